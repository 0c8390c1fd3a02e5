from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferralsConfig(AppConfig):
    """Referrals between organisations (warme overdracht), signals (screenings) that propose a
    client route, a coalition's local route variants and the process indicators over them."""

    name = "kansrijk.web.referrals"
    label = "referrals"
    verbose_name = _("Referrals")
