"""A small server-rendered SVG bar chart of one percentage per year.

Accessible without scripts: ``role="img"`` labelled by its own ``<title>`` and ``<desc>`` (which
lists every value), each bar carries its value as text (nothing is told by colour alone), and
the page shows the same numbers in a table beside it.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

WIDTH, HEIGHT = 360, 200
LEFT, RIGHT, TOP, BOTTOM = 40, 10, 20, 30
BAR = "#154273"  # the header's blue: 10:1 contrast on white
GRID = "#767676"


def _n(value: float) -> str:
    """A coordinate with one decimal (format_html escapes its arguments before formatting)."""
    return f"{value:.1f}"


def whole_percent(value: float) -> str:
    """A percentage rounded half up to a whole number, as RIVM publishes them: "65%"."""
    return f"{Decimal(repr(value)).quantize(Decimal(1), rounding=ROUND_HALF_UP)}%"


def trend_chart(
    chart_id: str, title: str, description: str, points: Sequence[tuple[int, float | None]]
) -> SafeString:
    """Bars of 0-100% per year; a year without a figure gets a dash and no bar."""
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / max(len(points), 1)
    bar_w = min(48.0, slot * 0.6)

    def y(percent: float) -> float:
        return TOP + plot_h * (1 - percent / 100)

    grid = format_html_join(
        "",
        '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="{}" stroke-width="0.5"/>'
        '<text x="{}" y="{}" text-anchor="end" dominant-baseline="middle">{}%</text>',
        (
            (LEFT, WIDTH - RIGHT, _n(y(p)), _n(y(p)), GRID, LEFT - 6, _n(y(p)), p)
            for p in (0, 25, 50, 75, 100)
        ),
    )
    bars = []
    for i, (year, value) in enumerate(points):
        centre = LEFT + slot * (i + 0.5)
        label = format_html(
            '<text x="{}" y="{}" text-anchor="middle">{}</text>',
            _n(centre),
            HEIGHT - BOTTOM + 18,
            year,
        )
        if value is None:
            bars.append(
                format_html(
                    '{}<text x="{}" y="{}" text-anchor="middle">–</text>',
                    label,
                    _n(centre),
                    _n(y(0) - 6),
                )
            )
            continue
        top = y(max(0.0, min(100.0, value)))
        bars.append(
            format_html(
                '{}<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>'
                '<text x="{}" y="{}" text-anchor="middle" font-weight="bold">{}</text>',
                label,
                _n(centre - bar_w / 2),
                _n(top),
                _n(bar_w),
                _n(y(0) - top),
                BAR,
                _n(centre),
                _n(top - 5),
                whole_percent(value),
            )
        )
    return format_html(
        '<svg role="img" viewBox="0 0 {} {}" '
        'aria-labelledby="{}-title {}-desc" xmlns="http://www.w3.org/2000/svg">'
        '<title id="{}-title">{}</title><desc id="{}-desc">{}</desc>{}{}</svg>',
        WIDTH,
        HEIGHT,
        chart_id,
        chart_id,
        chart_id,
        title,
        chart_id,
        description,
        grid,
        SafeString("".join(bars)),
    )
