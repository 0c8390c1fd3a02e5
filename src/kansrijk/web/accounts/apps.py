from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "kansrijk.web.accounts"
    label = "accounts"
    verbose_name = _("Accounts and organisations")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from kansrijk.web.accounts.access import sync_programme_group

        post_migrate.connect(sync_programme_group, sender=self)
