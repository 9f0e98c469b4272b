from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Accounts, boards and memberships: the ground floor every other app stands on.

    It keeps the label `portal` that its tables, migrations and `AUTH_USER_MODEL` were made with.
    """

    name = "portal.core"
    label = "portal"
    verbose_name = "Portal: accounts and boards"
