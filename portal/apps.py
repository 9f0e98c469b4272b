from django.apps import AppConfig
from django.conf import settings
from django.core import checks
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connections
from django.db.models.signals import post_migrate


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


def install_session_notices(using: str = "default", **kwargs) -> None:
    """After every `migrate`: the sessions table tells each process which session changed."""
    from portal.core.change_notices import install_session_notices
    from portal.models import Session

    install_session_notices(connections[using], Session._meta.db_table)


class PortalConfig(AppConfig):
    """The top of the portal: settings, URLs, home pages, the admin site and the demo."""

    name = "portal"
    label = "portal_site"
    verbose_name = "Portal: site"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from portal.core.change_notices import listener
        from portal.middleware import touch_session_at_sign_in
        from portal.models import Session

        checks.register(support_email_is_set, "portal", deploy=True)
        user_logged_in.connect(touch_session_at_sign_in, dispatch_uid="portal-touch-session")
        listener.sessions_table = Session._meta.db_table
        post_migrate.connect(install_session_notices, sender=self, dispatch_uid="portal-sessions")
