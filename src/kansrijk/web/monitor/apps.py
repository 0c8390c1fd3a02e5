from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitorConfig(AppConfig):
    name = "kansrijk.web.monitor"
    label = "monitor"
    verbose_name = _("Monitor")

    def ready(self) -> None:
        from kansrijk.web.monitor import status

        status.connect_invalidation()
