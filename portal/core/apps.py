from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CoreConfig(AppConfig):
    """Accounts, boards and memberships: the ground floor every other app stands on.

    It keeps the label `portal` that its tables, migrations and `AUTH_USER_MODEL` were made with.
    """

    name = "portal.core"
    label = "portal"
    verbose_name = "Portal: accounts and boards"

    def ready(self):
        from portal.core.forms import use_plain_choice_messages
        from portal.core.record_changes import install_triggers

        use_plain_choice_messages()
        # After every migrate (a flush too), so that every table, a new one included, is watched.
        post_migrate.connect(install_triggers, sender=self, dispatch_uid="portal-record-triggers")
