"""Fill the municipality and merger tables from ``kansrijk.geo`` (2015-2025), idempotently.

One row per CBS code, in force from 1 January of its first year to the day before the merger
that ended it (31 December of its last year, except for Weesp, merged on 24 March 2022). Rows
are upserted in bulk, so running it again after a geo update refreshes names and periods and
never deletes anything.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction

from kansrijk import geo
from kansrijk.geo.municipalities import periods
from kansrijk.web.coalitions.models import Municipality, MunicipalityMerger

_YEARS = range(2015, 2026)


@transaction.atomic
def sync_from_geo() -> tuple[int, int]:
    """Upsert every municipality and merger; returns (municipalities, mergers) in geo."""
    spans = periods()
    latest: dict[str, geo.Municipality] = {}
    for year in _YEARS:
        for m in geo.municipalities(year):
            latest[m.code] = m  # the latest year's name and province win
    rows = []
    for code, m in sorted(latest.items()):
        start, end = spans[code]
        rows.append(
            Municipality(
                code=code,
                name=m.name,
                province_code=m.province_code,
                province_name=m.province_name,
                valid_from=start,
                valid_to=end - timedelta(days=1) if end else None,
            )
        )
    Municipality.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=["name", "province_code", "province_name", "valid_from", "valid_to"],
    )
    mergers = geo.mergers()
    MunicipalityMerger.objects.bulk_create(
        [
            MunicipalityMerger(
                effective_date=m.effective_date,
                old_id=m.old_code,
                new_id=m.new_code,
                share=m.share,
            )
            for m in mergers
        ],
        update_conflicts=True,
        unique_fields=["effective_date", "old", "new"],
        update_fields=["share"],
    )
    return len(rows), len(mergers)
