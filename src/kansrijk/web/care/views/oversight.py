"""Accountability pages: emergency access and its review. The client's access overview and
the audit log are in ``kansrijk.web.audit.views``, retention holds in
``kansrijk.web.retention.views``."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from kansrijk.web.audit.log import Flags
from kansrijk.web.audit.models import AuditAction, AuditEvent, AuditPurpose
from kansrijk.web.care import emergency as emergency_rules
from kansrijk.web.care import services
from kansrijk.web.care.access import ALL_CATEGORIES, Access
from kansrijk.web.care.forms import EmergencyForm, ReviewForm
from kansrijk.web.care.guard import Trail, care_view
from kansrijk.web.care.views.common import (
    READ,
    UPDATE,
)

# --- Emergency access -------------------------------------------------------------------------


#: The one answer to every refused attempt: it must not tell an unknown BSN from a family
#: outside the user's region or from a user who tried too often.
REFUSED_STATUS = 404


def _refusal() -> str:
    return _(
        "No emergency access: no family with this BSN can be opened by you. Either no family "
        "with this BSN is registered in your municipality or region, or you cannot open "
        "emergency access now. The attempt has been logged."
    )


@require_http_methods(["GET", "POST"])
@care_view(AuditAction.EMERGENCY, purpose=AuditPurpose.EMERGENCY, allow=lambda a: a.may_break_glass)
def emergency(request: HttpRequest, access: Access, trail: Trail) -> HttpResponse:
    """Break the glass: a family by BSN, with a reason, for a few hours, only in the user's
    municipality or region; reviewed afterwards. See ``care.emergency``."""
    form = EmergencyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        outcome = emergency_rules.break_glass(
            access.user, d["bsn"], d["category"], d["reason"], d["hours"], access.now
        )
        granted = outcome.granted
        if granted is None:
            trail.log(
                flags=Flags(authorised=False, emergency_access=True),
                client_id=outcome.client_id,
                detail=f"emergency refused: {outcome.why}",
            )
            form.add_error(None, _refusal())
            context = {"form": form, "max_hours": services.MAX_EMERGENCY_HOURS}
            return render(request, "care/emergency.html", context, status=REFUSED_STATUS)
        trail.log(
            flags=Flags(authorised=True, emergency_access=True),
            client_id=granted.client_id,
            categories=sorted(ALL_CATEGORIES),
            detail=(
                f"emergency access {granted.pk} ({granted.reason_category}, {granted.basis}) "
                f"until {granted.expires_at:%Y-%m-%d %H:%M}"
            ),
        )
        messages.warning(
            request,
            _("Emergency access until %(until)s. It has been logged and will be reviewed.")
            % {"until": granted.expires_at.astimezone().strftime("%d-%m-%Y %H:%M")},
        )
        return redirect("care:client", pk=granted.client_id)
    trail.log(flags=Flags(authorised=True), action=READ, detail="emergency form")
    return render(
        request,
        "care/emergency.html",
        {"form": form, "max_hours": services.MAX_EMERGENCY_HOURS},
        status=400 if request.method == "POST" else 200,
    )


def _entry_rows(events: list[AuditEvent]) -> list[tuple[AuditEvent, list[str], str]]:
    """An audit entry for the review: the entry, its category labels and the page it was."""
    return [(e, e.category_labels, e.detail) for e in events]


@require_GET
@care_view(READ, purpose=AuditPurpose.SUPERVISION, allow=lambda a: a.may_review_emergencies)
def emergency_reviews(request: HttpRequest, access: Access, trail: Trail) -> HttpResponse:
    """Accesses to review, each with what was viewed under it, and the last reviewed ones."""
    pending = list(services.emergencies_to_review(access.user, access.municipality_code)[:50])
    reviewed = list(
        emergency_rules.in_review_scope(access.user, access.municipality_code)
        .filter(reviewed_at__isnull=False)
        .order_by("-reviewed_at")[:50]
    )
    entries = emergency_rules.entries_by_emergency(pending)
    trail.log(flags=Flags(authorised=True), detail=f"emergency reviews: {len(pending)} pending")
    context = {
        "pending": [(e, _entry_rows(entries[e.pk])) for e in pending],
        "reviewed": reviewed,
        "form": ReviewForm(),
        "now": access.now,
    }
    return render(request, "care/emergency_reviews.html", context)


@require_http_methods(["GET", "POST"])
@care_view(UPDATE, purpose=AuditPurpose.SUPERVISION, allow=lambda a: a.may_review_emergencies)
def emergency_review(
    request: HttpRequest, access: Access, trail: Trail, emergency_pk: int
) -> HttpResponse:
    """One access: its reason and every audit entry made under it (GET); the review (POST)."""
    if request.method == "GET":
        emergency = get_object_or_404(
            emergency_rules.in_review_scope(access.user, access.municipality_code),
            pk=emergency_pk,
        )
        events = list(emergency_rules.entries_under(emergency))
        trail.log(
            flags=Flags(authorised=True),
            action=READ,
            client_id=emergency.client_id,
            detail=f"emergency access {emergency.pk}: {len(events)} entries",
        )
        context = {
            "e": emergency,
            "entries": _entry_rows(events),
            "may_review": emergency.reviewed_at is None and emergency.user_id != access.user.pk,
        }
        return render(request, "care/emergency_review.html", context)
    emergency = get_object_or_404(
        services.emergencies_to_review(access.user, access.municipality_code), pk=emergency_pk
    )
    form = ReviewForm(request.POST)
    if not form.is_valid():
        trail.log(flags=Flags(authorised=True), action=READ, detail="review refused: no note")
        messages.error(request, _("Write a review note."))
        return redirect("care:emergency_reviews")
    services.review_emergency(emergency, access.user, form.cleaned_data["note"], access.now)
    trail.log(
        flags=Flags(authorised=True),
        client_id=emergency.client_id,
        detail=f"emergency access {emergency.pk} reviewed",
    )
    messages.success(request, _("The emergency access has been reviewed."))
    return redirect("care:emergency_reviews")
