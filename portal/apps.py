from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "Portal: accounts and boards"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from portal.middleware import touch_session_at_sign_in

        user_logged_in.connect(touch_session_at_sign_in, dispatch_uid="portal-touch-session")
