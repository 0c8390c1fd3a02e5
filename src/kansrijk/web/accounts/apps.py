from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "kansrijk.web.accounts"
    label = "accounts"
    verbose_name = _("Accounts and organisations")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from kansrijk.web.accounts.access import sync_programme_group

        # After every app's post_migrate: permissions are created per app, in app order.
        post_migrate.connect(sync_programme_group, dispatch_uid="kansrijk_programme_group")
