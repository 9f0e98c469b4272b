from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The top of the portal: settings, URLs, home pages, the admin site and the demo."""

    name = "portal"
    label = "portal_site"
    verbose_name = "Portal: site"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from portal.middleware import touch_session_at_sign_in

        user_logged_in.connect(touch_session_at_sign_in, dispatch_uid="portal-touch-session")
