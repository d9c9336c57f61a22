"""Charts drawn on the server as inline SVG: no JavaScript, readable by screen readers.

Every chart is ``role="img"`` with a ``<title>`` and a ``<desc>`` that lists
every value in words, so the figures are never conveyed by the drawing alone
(the statistics page also shows them in a table).
"""

from __future__ import annotations

import hashlib
import math
from decimal import Decimal

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from cantho.money import format_money, format_number

Number = Decimal | int | float

WIDTH, HEIGHT = 640, 320
LEFT, RIGHT, TOP, BOTTOM = 86, 16, 44, 58
BAR = "#0b4a7d"
GRID = "#d5dde6"
TEXT = "#1d2733"
MUTED = "#505c6b"


def compact_number(value: Number) -> str:
    """A figure short enough for an axis: "1,3 tỉ" / "1.3 billion" from a million up, else grouped digits."""
    value = Decimal(str(value))
    if abs(value) >= 10**6:
        return format_money(value, "").strip()
    return format_number(value)


def nice_step(maximum: float, ticks: int = 4) -> float:
    """A round step (1, 2, 2.5 or 5 times a power of ten) giving about ``ticks`` intervals up to ``maximum``."""
    if maximum <= 0:
        return 1.0
    raw = maximum / ticks
    magnitude = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * magnitude:
            return factor * magnitude
    return 10 * magnitude


def _chart_id(title: str, points) -> str:
    digest = hashlib.sha1(f"{title}|{points}".encode()).hexdigest()[:10]
    return f"chart-{digest}"


def bar_chart(points: list[tuple[str, Number | None]], *, title: str, unit: str, chart_id: str | None = None) -> SafeString:
    """A vertical bar chart of ``points`` ((label, value) pairs; a value of None is drawn as "no figure").

    The y axis is labelled with ``unit``, the x axis "Year" in the active language.
    """
    chart_id = chart_id or _chart_id(title, points)
    values = [float(value) for _label, value in points if value is not None]
    step = nice_step(max(values, default=0))
    top = step * max(1, math.ceil(max(values, default=0) / step))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    base_y = TOP + plot_h

    def y_of(value: float) -> float:
        return base_y - plot_h * value / top

    grid = []
    tick = 0.0
    while tick <= top + step / 1000:
        y = round(y_of(tick), 1)
        grid.append(
            format_html(
                '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="1"/>'
                '<text x="{}" y="{}" text-anchor="end" dominant-baseline="middle" fill="{}" font-size="15">{}</text>',
                LEFT,
                y,
                WIDTH - RIGHT,
                y,
                GRID,
                LEFT - 6,
                y,
                MUTED,
                compact_number(Decimal(str(round(tick, 6)))),
            )
        )
        tick += step

    band = plot_w / max(1, len(points))
    bar_w = min(band * 0.6, 72)
    bars, described = [], []
    for index, (label, value) in enumerate(points):
        centre = round(LEFT + band * index + band / 2, 1)
        if value is None:
            shown = _("no figure")
            bars.append(format_html('<text x="{}" y="{}" text-anchor="middle" fill="{}" font-size="14">{}</text>', centre, base_y - 6, MUTED, "–"))
        else:
            shown = compact_number(value)
            y = round(y_of(float(value)), 1)
            bars.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{}</title></rect>'
                    '<text x="{}" y="{}" text-anchor="middle" fill="{}" font-size="15" font-weight="bold">{}</text>',
                    round(centre - bar_w / 2, 1),
                    y,
                    round(bar_w, 1),
                    round(base_y - y, 1),
                    BAR,
                    f"{label}: {shown} {unit}",
                    centre,
                    round(y - 7, 1),
                    TEXT,
                    shown,
                )
            )
        bars.append(format_html('<text x="{}" y="{}" text-anchor="middle" fill="{}" font-size="15">{}</text>', centre, base_y + 22, TEXT, label))
        described.append(_("%(label)s: %(value)s") % {"label": label, "value": f"{shown} {unit}" if value is not None else shown})

    description = _("Bar chart by year, in %(unit)s. %(values)s.") % {"unit": unit, "values": "; ".join(described)}
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" '
        'aria-labelledby="{id}-title {id}-desc" font-family="system-ui, sans-serif">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>'
        '<text x="{left}" y="24" fill="{muted}" font-size="15">{unit}</text>'
        "{grid}"
        '<line x1="{left}" y1="{base}" x2="{right}" y2="{base}" stroke="{text}" stroke-width="1.5"/>'
        "{bars}"
        '<text x="{centre}" y="{xlabel}" text-anchor="middle" fill="{muted}" font-size="15">{year}</text>'
        "</svg>",
        w=WIDTH,
        h=HEIGHT,
        id=chart_id,
        title=title,
        desc=description,
        left=LEFT,
        right=WIDTH - RIGHT,
        base=base_y,
        muted=MUTED,
        text=TEXT,
        unit=unit,
        grid=format_html_join("", "{}", ((g,) for g in grid)),
        bars=format_html_join("", "{}", ((b,) for b in bars)),
        centre=round(LEFT + plot_w / 2, 1),
        xlabel=HEIGHT - 10,
        year=_("Year"),
    )
