"""What the exports share: the rows they export and the labels they show (Dutch and English).

Every export starts from a `Publication` (a table checked when it was opened) and selects
rows with Arrow compute, never row by row in Python, so a municipality's download stays quick
however large the table is.
"""

from __future__ import annotations

from typing import Final

import pyarrow as pa
import pyarrow.compute as pc

from kansrijk import geo
from kansrijk.publication import HIDDEN_EN, HIDDEN_NL, TOTAL, Publication
from kansrijk.report import labels
from kansrijk.report.labels import LANGS, Lang

#: Region types in the order rows are shown: the country first, then provinces, municipalities
#: and the remainder of units whose municipality is unknown.
REGION_TYPES: Final = ("nl", "province", "gemeente", "unknown")
_REGION_TYPE_LABELS: Final = {
    "nl": ("land", "country"),
    "province": ("provincie", "province"),
    "gemeente": ("gemeente", "municipality"),
    "unknown": ("onbekend", "unknown"),
}
_NL_NAME: Final = ("Nederland", "Netherlands")
_UNKNOWN_NAME: Final = ("onbekende gemeente", "unknown municipality")
#: What an export says of a hidden cell (never why it is hidden).
HIDDEN_LABEL: Final = (HIDDEN_NL, HIDDEN_EN)


def check_lang(lang: str) -> Lang:
    """``lang`` when it is a supported language (ValueError otherwise)."""
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}; choose from {LANGS}")
    return lang


def pick(pair: tuple[str, str], lang: Lang) -> str:
    """The Dutch or English member of a (nl, en) pair."""
    return pair[0] if lang == "nl" else pair[1]


def region_type_label(region_type: str, lang: Lang) -> str:
    pair = _REGION_TYPE_LABELS.get(region_type)
    return pick(pair, lang) if pair else region_type


def breakdown_label(breakdown: str, lang: Lang) -> str:
    return (
        labels.value_label(TOTAL, lang)
        if breakdown == TOTAL
        else labels.breakdown_label(breakdown, lang)
    )


value_label = labels.value_label
unit_label = labels.unit_label


def region_name(published: Publication, code: str, lang: Lang) -> str:
    """The name of a region; the country and the unknown remainder get a label."""
    if code == geo.NL_CODE:
        return pick(_NL_NAME, lang)
    if code == geo.UNKNOWN_REGION:
        return pick(_UNKNOWN_NAME, lang)
    try:
        return published.region(code).name
    except KeyError:
        return code


def edition_rows(published: Publication, table: pa.Table) -> pa.Table:
    """The rows of the run's (first) edition: the one the definitions of `published` describe.

    A run computed for several editions holds one row per cell and edition; the workbook and
    the FHIR reports show the edition whose definitions they print.
    """
    editions = pc.unique(table["edition"])
    if len(editions) <= 1:
        return table
    return table.filter(pc.equal(table["edition"], published.edition))


def municipality_rows(published: Publication, municipality: str) -> pa.Table:
    """A municipality's rows plus, for comparison, the same cells of its province and NL.

    "The same cells" means the totals of every period, and the breakdowns the municipality
    has in the periods it has them (the engine gives municipalities breakdowns only pooled, for
    the latest window), so every breakdown row of the province or the country has a municipal
    counterpart. Rows keep the table's order.
    Raises KeyError when ``municipality`` is not a municipality of the classification year.
    """
    region = published.region(municipality)
    if region.type != "gemeente" or region.province_code is None:
        raise KeyError(f"{municipality} is not a municipality")
    t = published.results
    own = pc.and_(pc.equal(t["region_type"], "gemeente"), pc.equal(t["region_code"], municipality))
    # (indicator, edition, period, breakdown) of each row, as one string to match on.
    cell = pc.binary_join_element_wise(
        t["indicator_id"],
        *(pc.cast(t[k], pa.string()) for k in ("edition", "period_start", "period_end")),
        t["breakdown"],
        "|",
    )
    same = pc.or_(
        pc.equal(t["breakdown"], TOTAL), pc.is_in(cell, value_set=pc.unique(cell.filter(own)))
    )
    province = pc.and_(
        pc.equal(t["region_type"], "province"), pc.equal(t["region_code"], region.province_code)
    )
    country = pc.and_(pc.equal(t["region_type"], "nl"), pc.equal(t["region_code"], geo.NL_CODE))
    comparison = pc.and_(pc.or_(province, country), same)
    return t.filter(pc.or_(own, comparison))


def selected_rows(published: Publication, municipality: str | None) -> pa.Table:
    """The whole checked table, or one municipality's subset (see `municipality_rows`)."""
    if municipality is None:
        return published.results
    return municipality_rows(published, municipality)
