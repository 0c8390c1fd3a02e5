from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConferencesConfig(AppConfig):
    """Case conferences (casuistiekbespreking): meetings, participants, the agenda with its
    consent check, minutes and decisions."""

    name = "kansrijk.web.conferences"
    label = "conferences"
    verbose_name = _("Case conferences")
