from django.apps import AppConfig
from django.conf import settings
from django.core import checks
from django.core.exceptions import ValidationError
from django.core.validators import validate_email


def support_email_is_set(app_configs, **kwargs):
    """`check --deploy`: the accessibility statement must give people somewhere to write."""
    try:
        validate_email(settings.SUPPORT_EMAIL)
    except ValidationError:
        return [
            checks.Warning(
                "SUPPORT_EMAIL is not an email address, so the accessibility statement gives no "
                "contact.",
                hint="Set SUPPORT_EMAIL to the mailbox of the team that runs the portal.",
                id="portal.W001",
            )
        ]
    return []


class PortalConfig(AppConfig):
    """The top of the portal: settings, URLs, home pages, the admin site and the demo."""

    name = "portal"
    label = "portal_site"
    verbose_name = "Portal: site"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from portal.middleware import touch_session_at_sign_in

        checks.register(support_email_is_set, "portal", deploy=True)
        user_logged_in.connect(touch_session_at_sign_in, dispatch_uid="portal-touch-session")
