from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExperiencesConfig(AppConfig):
    """Experiences and learning: study rounds with their interview guide, sessions,
    participants and consent, pseudonymised transcripts, the codebook, coding by two
    researchers, inter-coder agreement, the consensus and memos."""

    name = "kansrijk.web.experiences"
    label = "experiences"
    verbose_name = _("Experiences")
