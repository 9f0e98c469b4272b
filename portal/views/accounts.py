from django import forms
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import AuthenticationForm
from django.forms.utils import ErrorDict
from django.shortcuts import render
from django.urls import reverse_lazy

from portal.core.models import User
from portal.mfa import second_factor_not_required
from portal.password_forms import ChangePasswordForm, ChoosePasswordForm

LOCKED_OUT_MESSAGE = (
    "You have tried to sign in too many times. For your security, wait 15 minutes and try again, "
    "or reset your password."
)


class SignInForm(AuthenticationForm):
    username = forms.EmailField(
        label="Email address",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    error_messages = {
        # The same words whether or not the email is known, so the form cannot be used to
        # find out who has an account.
        "invalid_login": "The email address or password is not right. Check them and try again.",
        "inactive": "The email address or password is not right. Check them and try again.",
    }

    def clean_username(self):
        # The throttle counts failures per address as authenticate() receives it: one spelling
        # for every mix of capitals, or each would get its own allowance of guesses.
        return User.objects.normalize_email(self.cleaned_data["username"])


class SignInView(auth_views.LoginView):
    form_class = SignInForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True


def signin_locked_out(request, credentials, *args, **kwargs):
    """What django-axes answers once the limit is reached: the sign-in page, refused.

    The message never says whether the email address has an account (account enumeration).
    """
    form = SignInForm(request, initial={"username": request.POST.get("username", "")})
    # Show the refusal through the form's own error summary, without checking the password.
    form._errors = ErrorDict()
    form.cleaned_data = {}
    form.add_error(None, LOCKED_OUT_MESSAGE)
    return render(request, "registration/login.html", {"form": form}, status=429)


sign_in = login_not_required(SignInView.as_view())
sign_out = second_factor_not_required(auth_views.LogoutView.as_view())
password_change = auth_views.PasswordChangeView.as_view(
    form_class=ChangePasswordForm, success_url=reverse_lazy("password_change_done")
)
password_change_done = auth_views.PasswordChangeDoneView.as_view()
password_reset = login_not_required(
    auth_views.PasswordResetView.as_view(
        email_template_name="registration/password_reset_email.txt",
        subject_template_name="registration/password_reset_subject.txt",
    )
)
password_reset_done = login_not_required(auth_views.PasswordResetDoneView.as_view())
password_reset_confirm = login_not_required(
    auth_views.PasswordResetConfirmView.as_view(form_class=ChoosePasswordForm)
)
password_reset_complete = login_not_required(auth_views.PasswordResetCompleteView.as_view())
