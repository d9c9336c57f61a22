"""Charts drawn on the server as inline SVG: no JavaScript, readable by screen readers.

Every chart is ``role="img"`` with a ``<title>`` and a ``<desc>`` that lists
every value in words, so the figures are never conveyed by the drawing alone
(the statistics page also shows them in a table).
"""

from __future__ import annotations

import hashlib
import math
from decimal import Decimal
from html import escape

from django.utils.safestring import SafeString, mark_safe
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


#: About how wide one character of a 15-pixel label is, in the chart's units (bold digits included).
CHAR_WIDTH = 9
#: Room kept between two labels side by side.
LABEL_GAP = 6


def _label_every(band: float, characters: int) -> int:
    """Label every how many bars so that labels of ``characters`` characters do not overlap."""
    return max(1, math.ceil((characters * CHAR_WIDTH + LABEL_GAP) / band))


def _value_labels(points, shown_values: dict[int, str], band: float) -> set[int]:
    """Which bars get their figure written above them: all when the figures fit side by side;
    on a denser chart the latest and the highest, which are what a reader looks for first
    (every figure stays in the bar's tooltip, in the chart's description and in the table)."""
    if not shown_values:
        return set()
    widest = max(len(shown) for shown in shown_values.values())
    if _label_every(band, widest) == 1:
        return set(shown_values)
    latest = max(shown_values)
    highest = max(shown_values, key=lambda index: (float(points[index][1]), index))
    apart = abs(highest - latest) * band >= widest * CHAR_WIDTH + LABEL_GAP
    return {latest, highest} if apart else {latest}


def bar_chart(points: list[tuple[str, Number | None]], *, title: str, unit: str, chart_id: str | None = None) -> SafeString:
    """A vertical bar chart of ``points`` ((label, value) pairs; a value of None is drawn as "no figure").

    The y axis is labelled with ``unit``, the x axis "Year" in the active language. On a chart
    too dense for every label, years are labelled every few bars (always the latest) and
    figures only on the latest and the highest bar (:func:`_value_labels`).
    """
    chart_id = chart_id or _chart_id(title, points)
    values = [float(value) for _label, value in points if value is not None]
    step = nice_step(max(values, default=0))
    top = step * max(1, math.ceil(max(values, default=0) / step))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    base_y = TOP + plot_h

    def y_of(value: float) -> float:
        return base_y - plot_h * value / top

    # f-strings with each text escaped once: the numbers need no escaping, and format_html per
    # element made the charts most of the statistics page's time.
    # Attributes every element of a kind shares are written once, on its group: 21 charts of 30 bars
    # made a fifth of the statistics page's bytes out of repeated colours and font sizes.
    grid, ticks = [], []
    tick = 0.0
    while tick <= top + step / 1000:
        y = round(y_of(tick), 1)
        label = escape(compact_number(Decimal(str(round(tick, 6)))))
        grid.append(f'<line x1="{LEFT}" y1="{y}" x2="{WIDTH - RIGHT}" y2="{y}"/>')
        ticks.append(f'<text x="{LEFT - 6}" y="{y}">{label}</text>')
        tick += step

    band = plot_w / max(1, len(points))
    bar_w = min(band * 0.6, 72)
    shown_values = {index: compact_number(value) for index, (_label, value) in enumerate(points) if value is not None}
    year_every = _label_every(band, max((len(label) for label, _value in points), default=0))
    value_labelled = _value_labels(points, shown_values, band)
    bars, gaps, figures, years, described = [], [], [], [], []
    for index, (label, value) in enumerate(points):
        centre = round(LEFT + band * index + band / 2, 1)
        if value is None:
            shown = _("no figure")
            gaps.append(f'<text x="{centre}" y="{base_y - 6}">–</text>')
        else:
            shown = shown_values[index]
            y = round(y_of(float(value)), 1)
            bars.append(
                f'<rect x="{round(centre - bar_w / 2, 1)}" y="{y}" width="{round(bar_w, 1)}" height="{round(base_y - y, 1)}">'
                f"<title>{escape(f'{label}: {shown} {unit}')}</title></rect>"
            )
            if index in value_labelled:
                # above this bar and any neighbour the figure's width reaches over
                reach = math.ceil((len(shown) * CHAR_WIDTH / 2) / band - 0.5)
                near = [float(points[i][1]) for i in range(max(0, index - reach), min(len(points), index + reach + 1)) if points[i][1] is not None]
                label_y = round(y_of(max(near)) - 7, 1)
                figures.append(f'<text x="{centre}" y="{label_y}">{escape(shown)}</text>')
        if (len(points) - 1 - index) % year_every == 0:  # the latest year always, then every so many back
            years.append(f'<text x="{centre}" y="{base_y + 22}">{escape(label)}</text>')
        described.append(_("%(label)s: %(value)s") % {"label": label, "value": f"{shown} {unit}" if value is not None else shown})

    description = _("Bar chart by year, in %(unit)s. %(values)s.") % {"unit": unit, "values": "; ".join(described)}
    return mark_safe(  # every text above and below is escaped
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" role="img" '
        f'aria-labelledby="{escape(chart_id)}-title {escape(chart_id)}-desc" font-family="system-ui, sans-serif" font-size="15">'
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title><desc id="{escape(chart_id)}-desc">{escape(description)}</desc>'
        f'<text x="{LEFT}" y="24" fill="{MUTED}">{escape(unit)}</text>'
        f'<g stroke="{GRID}">{"".join(grid)}</g>'
        f'<g text-anchor="end" dominant-baseline="middle" fill="{MUTED}">{"".join(ticks)}</g>'
        f'<line x1="{LEFT}" y1="{base_y}" x2="{WIDTH - RIGHT}" y2="{base_y}" stroke="{TEXT}" stroke-width="1.5"/>'
        f'<g fill="{BAR}">{"".join(bars)}</g>'
        + (f'<g text-anchor="middle" fill="{MUTED}" font-size="14">{"".join(gaps)}</g>' if gaps else "")
        + (f'<g text-anchor="middle" fill="{TEXT}" font-weight="bold">{"".join(figures)}</g>' if figures else "")
        + f'<g text-anchor="middle" fill="{TEXT}">{"".join(years)}</g>'
        f'<text x="{round(LEFT + plot_w / 2, 1)}" y="{HEIGHT - 10}" text-anchor="middle" fill="{MUTED}">{escape(_("Year"))}</text>'
        "</svg>"
    )
