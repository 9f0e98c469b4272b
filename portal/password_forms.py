"""The forms where someone chooses a password, in the portal's words rather than Django's.

Choosing one from an invitation, from a reset link, and changing it when signed in all ask the
same two boxes the same way, and say the same thing when they differ.
"""

from django.contrib.auth.forms import PasswordChangeForm, SetPasswordForm

MISMATCH = "The two passwords are not the same. Type the same password in both boxes."
NOT_THEIRS = "That is not your current password. Type it again, or sign out and reset it."


class _PlainWords:
    """Labels and messages for the two new-password boxes of a `SetPasswordForm`."""

    first_label = "New password"
    second_label = "Type the new password again"

    def _plain_words(self) -> None:
        self.fields["new_password1"].label = self.first_label
        self.fields["new_password2"].label = self.second_label
        self.fields["new_password2"].help_text = ""
        for field in self.fields.values():
            field.error_messages["required"] = f"{field.label}."


class ChoosePasswordForm(_PlainWords, SetPasswordForm):
    """A password chosen from an invitation or a reset link."""

    error_messages = {**SetPasswordForm.error_messages, "password_mismatch": MISMATCH}

    def __init__(self, user, *args, **kwargs):
        super().__init__(user, *args, **kwargs)
        self._plain_words()


class InvitedPasswordForm(ChoosePasswordForm):
    """An invited rep's first password: there is no old one, so it is not "new"."""

    first_label = "Choose a password"
    second_label = "Type the password again"


class ChangePasswordForm(_PlainWords, PasswordChangeForm):
    """A signed-in person's new password, with their current one to show it is them."""

    error_messages = {
        **PasswordChangeForm.error_messages,
        "password_mismatch": MISMATCH,
        "password_incorrect": NOT_THEIRS,
    }

    def __init__(self, user, *args, **kwargs):
        super().__init__(user, *args, **kwargs)
        self.fields["old_password"].label = "Your current password"
        self._plain_words()
