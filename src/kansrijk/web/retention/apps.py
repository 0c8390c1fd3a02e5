from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RetentionConfig(AppConfig):
    """Retention of client records: legal holds, the retention run (``care_retention``) and
    the deletion register."""

    name = "kansrijk.web.retention"
    label = "retention"
    verbose_name = _("Retention")
