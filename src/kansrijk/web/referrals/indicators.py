"""Publish the process indicators of care coordination (`kansrijk.coordination.indicators`).

The facts per signal come from three queries (signals with their client's municipality,
referrals, the referral events that reach ``in_progress`` or ``accepted``), joined in memory:

* municipality: the client's ``municipality_code``; month: the month of the signal's
  ``recorded_at`` (local date);
* the signal's referrals: the client's referrals created at or after the signal and before the
  client's next signal (referrals carry no link to a signal, so they count for the latest
  signal before them);
* first contact: the first day one of those referrals reached ``in_progress`` (the workflow's
  own notion: a referral still ``requested`` or ``accepted`` awaits first contact);
* accepted referral: one of those referrals was accepted (reached ``accepted`` or
  ``in_progress``);
* overdue: per referral, whether it awaits first contact after its deadline day on ``today``
  (the rule of ``referrals.services.overdue``).

Reading those rows is a read of client data for statistics: every computation writes one
audit entry (no user, no client, purpose ``statistics``, identity and care coordination: the
municipality of residence, the signals' days, the referrals' states, deadlines and history)
saying how many signals, referrals and referral events it read.

The table leaves only through the publication gate: `protect` with its declared structure
(`PROCESS_STRUCTURE`: the quantities of `kansrijk.coordination.indicators.QUANTITIES`; no
hierarchy, as no totals are made) and the person policy at the disclosure threshold, then
`kansrijk.publication.publish`, which writes ``process_indicators.{parquet,csv}`` and
``manifest.json`` atomically in ``KANSRIJK_RESULTS_DIR / "care"`` (the audit trail in its
internal sibling ``care.internal``). A hidden row keeps its keys and ``suppressed``, nothing
else; the public table carries no reason. Only the aggregates leave; no client key is written.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from datetime import date, datetime
from pathlib import Path
from typing import Final

import pyarrow as pa
from django.conf import settings
from django.utils import timezone

from kansrijk.coordination.categories import DataCategory
from kansrijk.coordination.indicators import (
    KEYS,
    MEASURE_KEY,
    QUANTITIES,
    SignalFacts,
    process_indicators,
)
from kansrijk.coordination.referrals import AWAITING_CONTACT, ReferralState
from kansrijk.publication import (
    THRESHOLD,
    DisclosurePolicy,
    Protected,
    TableStructure,
    protect,
    publish,
)
from kansrijk.web.audit import log as audit
from kansrijk.web.audit.models import AuditAction, AuditPurpose
from kansrijk.web.referrals.models import Referral, ReferralEvent, Signal

BASENAME: Final = "process_indicators"
FORMATS: Final = ("parquet", "csv")
#: The declared structure of the process-indicator table (see the module docstring).
PROCESS_STRUCTURE: Final = TableStructure(
    keys=KEYS,
    measure_keys=(MEASURE_KEY,),
    measures=pa.table(
        {
            MEASURE_KEY: pa.array(list(QUANTITIES), pa.string()),
            "numerator": pa.array([n for n, _ in QUANTITIES.values()], pa.string()),
            "denominator": pa.array([d for _, d in QUANTITIES.values()], pa.string()),
        }
    ),
)
_AWAITING: Final = frozenset(s.value for s in AWAITING_CONTACT)
_REACHED: Final = (ReferralState.ACCEPTED.value, ReferralState.IN_PROGRESS.value)
#: What the computation reads of each client (see the module docstring).
READ_CATEGORIES: Final = (DataCategory.IDENTITY.value, DataCategory.CARE_COORDINATION.value)


def results_dir() -> Path:
    return Path(settings.KANSRIJK_RESULTS_DIR) / "care"


def _day(moment: datetime) -> date:
    return timezone.localdate(moment)


def signal_facts(today: date) -> list[SignalFacts]:
    """One `SignalFacts` per signal (see the module docstring for the definitions)."""
    signals = list(
        Signal.objects.order_by("client_id", "recorded_at", "pk").values_list(
            "client_id", "client__municipality_code", "recorded_at"
        )
    )
    starts: dict[int, list[datetime]] = defaultdict(list)
    for client_id, _, at in signals:
        starts[client_id].append(at)

    contact: dict[int, date] = {}
    accepted: set[int] = set()
    events = list(
        ReferralEvent.objects.filter(to_state__in=_REACHED).values_list(
            "referral_id", "to_state", "at"
        )
    )
    for referral_id, state, at in events:
        accepted.add(referral_id)
        if state == ReferralState.IN_PROGRESS.value:
            day = _day(at)
            contact[referral_id] = min(contact.get(referral_id, day), day)

    # Per (client, index of the signal within the client's signals): its referrals.
    attributed: dict[tuple[int, int], list[tuple[int, bool]]] = defaultdict(list)
    referrals_read = list(
        Referral.objects.filter(client_id__in=list(starts)).values_list(
            "pk", "client_id", "created_at", "state", "deadline"
        )
    )
    for pk, client_id, created, state, deadline in referrals_read:
        index = bisect_right(starts[client_id], created) - 1
        if index < 0:
            continue  # referred before the client's first signal
        late = state in _AWAITING and deadline is not None and deadline < today
        attributed[client_id, index].append((pk, late))

    facts: list[SignalFacts] = []
    seen: dict[int, int] = defaultdict(int)
    for client_id, municipality, at in signals:
        index = seen[client_id]
        seen[client_id] += 1
        referrals = attributed.get((client_id, index), [])
        contacts = [contact[pk] for pk, _ in referrals if pk in contact]
        facts.append(
            SignalFacts(
                municipality=municipality,
                signal_date=_day(at),
                first_contact=min(contacts) if contacts else None,
                accepted_referral=any(pk in accepted for pk, _ in referrals),
                referrals_overdue=tuple(late for _, late in referrals),
            )
        )
    audit.record(
        action=AuditAction.READ,
        user=None,
        purpose=AuditPurpose.STATISTICS,
        flags=audit.Flags(authorised=True),
        categories=READ_CATEGORIES,
        detail=(
            f"process indicators: read {len(signals)} signals, {len(referrals_read)} referrals, "
            f"{len(events)} referral events"
        ),
    )
    return facts


def protected_table(today: date, threshold: int = THRESHOLD) -> Protected:
    """The process indicators through the gate: ``.public`` is all that may leave."""
    table = process_indicators(signal_facts(today))
    return protect(table, PROCESS_STRUCTURE, DisclosurePolicy(threshold=threshold))


def publish_process_indicators(
    today: date, *, out_dir: Path | None = None, threshold: int = THRESHOLD
) -> list[Path]:
    """Compute, protect and publish the process indicators; return the written files."""
    protected = protected_table(today, threshold)
    manifest: dict[str, object] = {
        "kind": "care process indicators",
        "parameters": {"today": today.isoformat(), "threshold": threshold},
        "rows": protected.public.num_rows,
    }
    paths = publish(
        protected,
        results_dir() if out_dir is None else out_dir,
        manifest=manifest,
        formats=FORMATS,
        basename=BASENAME,
    )
    return list(paths.values())
