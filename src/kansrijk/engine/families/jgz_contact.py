"""One row per child with a JGZ contact around age two in the data year (the first contact
of that year): speech-language items and BMI against the IOTF overweight cut-off."""

from __future__ import annotations

import ibis
import ibis.expr.types as ir
import pyarrow as pa

from kansrijk.engine.context import Context
from kansrijk.engine.families.base import (
    Family,
    parents_of,
    register,
    with_breakdowns,
    with_region,
)
from kansrijk.reference import iotf_cutoff

IOTF_AGES = [2.0 + 0.5 * k for k in range(33)]  # 2.0 .. 18.0


def _cutoffs() -> pa.Table:
    """IOTF (Cole 2000) overweight cut-offs at half years with the next value, so the engine
    can interpolate linearly in a join."""
    rows = []
    for sex in ("M", "F"):
        values = [iotf_cutoff(sex, a) for a in IOTF_AGES]
        for k, age in enumerate(IOTF_AGES):
            nxt = values[min(k + 1, len(values) - 1)]
            rows.append((sex, round(age * 2), values[k], nxt))
    return pa.table(
        {
            "o_sex": [r[0] for r in rows],
            "o_half": [r[1] for r in rows],
            "o_cut": [r[2] for r in rows],
            "o_next": [r[3] for r in rows],
        }
    )


def _contacts(ctx: Context) -> ir.Table:
    def build() -> ir.Table:
        c = ctx.data.table("jgz_contacts")
        c = c.mutate(year=c.contact_date.year().cast("int32"))
        c = c.filter(c.year.isin(list(ctx.years)))
        window = ibis.window(group_by=[c.child_id, c.year], order_by=[c.contact_date])
        c = c.mutate(rank=ibis.row_number().over(window))
        c = c.filter(c.rank == 0).drop("rank")
        kids = ctx.children().select(
            l_child="child_id", mother_id="mother_id", father_id="father_id", sex="sex"
        )
        return c.left_join(kids, c.child_id == kids.l_child).drop("l_child")

    return ctx.cached("jgz_contacts", build)


def parent_keys(ctx: Context) -> ir.Table:
    return parents_of(_contacts(ctx))


def build(ctx: Context, attrs: ir.Table) -> ir.Table:
    c = _contacts(ctx)
    c = with_region(ctx, c, "child_id", 12, 31)
    # Ages below 2 (contacts from about 21 months) use the age-2 cut-off: IOTF starts at 2.
    age = ibis.greatest(c.age_days / 365.25, 2.0)
    c = c.mutate(age_years=age, half=(age * 2).floor().cast("int64"))
    cut = ctx.constant("iotf_overweight", _cutoffs())
    c = c.left_join(cut, [c.sex == cut.o_sex, c.half == cut.o_half])
    cutoff = c.o_cut + (c.o_next - c.o_cut) * (c.age_years - c.half / 2.0) / 0.5
    bmi = c.weight_kg / (c.height_cm / 100.0) ** 2
    measured = c.height_cm.notnull() & c.weight_kg.notnull() & c.o_cut.notnull()
    scored = c.says_two_word_sentences.notnull() & c.points_six_body_parts.notnull()
    c = c.mutate(
        overweight=ibis.ifelse(measured, (bmi >= cutoff).cast("int8"), ibis.null("int8")),
        speech_language=ibis.ifelse(
            scored,
            (~c.says_two_word_sentences & ~c.points_six_body_parts).cast("int8"),
            ibis.null("int8"),
        ),
    )
    t = with_breakdowns(ctx, c, attrs)
    return t.mutate(jgz_organisation=t.organisation_code)


FAMILY = register(
    Family(
        name="jgz_contact",
        tables=("jgz_contacts", "persons", "parent_links", "addresses"),
        parent_keys=parent_keys,
        build=build,
    )
)
