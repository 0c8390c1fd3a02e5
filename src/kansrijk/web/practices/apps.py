from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PracticesConfig(AppConfig):
    """Learning between coalitions: the practice library. A coalition describes an approach
    (problem, activity, partners, phase, client route or intervention, results, the local
    indicators it aims to move, a contact), publishes it, and every platform user finds it by
    search, filters and among the coalitions like their own."""

    name = "kansrijk.web.practices"
    label = "practices"
    verbose_name = _("Practice library")
