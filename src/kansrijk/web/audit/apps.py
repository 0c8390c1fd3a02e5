from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    """The NEN 7513 audit log: its tables, hash chain, signed checkpoints, the supervision
    pages and the ``audit_verify`` and ``audit_checkpoint`` commands."""

    name = "kansrijk.web.audit"
    label = "audit"
    verbose_name = _("Audit log")
