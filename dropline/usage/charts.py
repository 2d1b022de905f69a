"""A service's data use as bar charts, drawn on the server as SVG with pygal: the days of
this bill cycle (with the allowance's daily share as a line, when there is an
allowance) and the last twelve cycles (with the allowance as a line).

As ``billing.charts``: no JavaScript (``js=[]``, pygal's configuration script removed),
a ``<title>`` and ``<desc>`` for screen readers, and the page shows the same figures in
a table. Bytes stay integers until pygal scales them to draw; every figure written in
the picture comes from ``amounts.data_amount``, as in the table.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Sequence
from decimal import Decimal
from typing import NamedTuple

import pygal
from django.core.cache import cache
from django.utils import formats, translation
from django.utils.translation import gettext as _

from dropline.core import charts
from dropline.core.formatting import display_date
from dropline.usage.amounts import data_amount
from dropline.usage.meter import ServiceMeter
from dropline.usage.models import GB

WIDTH = 480
HEIGHT = 300
ALLOWANCE_COLOR = "#a34700"
# The usage page's drawn charts are kept in the cache under a digest of everything they
# draw (``page_charts``): drawn once for those figures and words, and any change to them
# is another key, so nothing needs to drop them. Change DRAWING when the drawing itself
# changes (style, sizes, pygal).
DRAWING = "1"
CHART_SECONDS = 24 * 60 * 60

_STYLE = charts.style(
    label_font_size=14,
    major_label_font_size=14,
    major_guide_stroke_color=ALLOWANCE_COLOR,
    major_guide_stroke_dasharray="6,4",
)


def _ticks(top: int) -> list[int]:
    """Round steps (1, 2 or 5 times a power of ten) from 0 to at least ``top`` bytes."""
    if top <= 0:
        return [0, GB]
    step = next(
        (
            size * 10**power
            for power in range(6, 16)
            for size in (1, 2, 5)
            if top <= 5 * size * 10**power
        ),
        top,
    )
    count = -(-top // step)
    return [step * n for n in range(count + 1)]


class Spec(NamedTuple):
    """Everything one chart draws."""

    labels: tuple[str, ...]
    values: tuple[int, ...]
    line: int | None
    line_label: str
    title: str
    desc: str
    language: str
    ident: str


def _chart(spec: Spec) -> str:
    labels, values, line, line_label, title, desc, language, ident = spec
    top = max([*values, line or 0])
    ticks = _ticks(top)
    y_labels: list[dict[str, object]] = [
        {"label": data_amount(tick, language=language), "value": tick / GB} for tick in ticks
    ]
    if line:
        y_labels.append({"label": line_label, "value": line / GB})
    chart = pygal.Bar(
        width=WIDTH,
        height=HEIGHT,
        explicit_size=True,
        js=[],
        disable_xml_declaration=True,
        show_legend=False,
        style=_STYLE,
        margin=8,
        spacing=4,
        x_label_rotation=0,
        truncate_label=-1,
        show_minor_x_labels=False,
        x_labels_major_every=max(1, len(labels) // 6),
        y_labels_major=[line / GB] if line else [],
        show_minor_y_labels=True,
        value_formatter=lambda value: data_amount(
            round(Decimal(str(value)) * GB), language=language
        ),
        no_data_text=desc,
        range=(0, ticks[-1] / GB),
    )
    chart.x_labels = list(labels)
    chart.y_labels = y_labels
    chart.add(title, [value / GB for value in values])
    return charts.titled(chart.render(is_unicode=True), title, desc, ident)


def describe_daily(meter: ServiceMeter, *, language: str) -> tuple[str, str]:
    with translation.override(language):
        title = _("Daily use this bill cycle")
        if not any(day.bytes for day in meter.daily):
            return title, _("No use yet this bill cycle.")
        busiest = max(meter.daily, key=lambda day: day.bytes)
        desc = _(
            "Data used each day from %(first)s to %(last)s: %(total)s in all, the most "
            "%(most)s on %(most_day)s. The table beside the chart has every figure."
        ) % {
            "first": display_date(meter.daily[0].day),
            "last": display_date(meter.daily[-1].day),
            "total": data_amount(sum(day.bytes for day in meter.daily)),
            "most": data_amount(busiest.bytes),
            "most_day": display_date(busiest.day),
        }
        if meter.daily_pace_bytes:
            desc += " " + _("The line is your allowance's share of a day, %(pace)s.") % {
                "pace": data_amount(meter.daily_pace_bytes)
            }
        return title, desc


def describe_history(meter: ServiceMeter, *, language: str) -> tuple[str, str]:
    with translation.override(language):
        title = _("Data use in your last bill cycles")
        cycles = meter.history
        if not any(cycle.used_bytes for cycle in cycles):
            return title, _("No use yet.")
        high = max(cycles, key=lambda cycle: cycle.used_bytes)
        desc = _(
            "Data used in each of your last %(count)d bill cycles, from %(first)s to "
            "%(last)s (the last one so far). Most %(high)s, in the cycle from %(high_start)s. "
            "The table beside the chart has every figure."
        ) % {
            "count": len(cycles),
            "first": display_date(cycles[0].start),
            "last": display_date(cycles[-1].end),
            "high": data_amount(high.used_bytes),
            "high_start": display_date(high.start),
        }
        if meter.allowance_bytes:
            desc += " " + _("The line is your allowance, %(allowance)s.") % {
                "allowance": data_amount(meter.allowance_bytes)
            }
        return title, desc


def _daily_spec(meter: ServiceMeter, *, language: str) -> Spec:
    title, desc = describe_daily(meter, language=language)
    with translation.override(language):
        labels = tuple(formats.date_format(day.day, "j") for day in meter.daily)
        pace = _("Daily share")
    return Spec(
        labels,
        tuple(day.bytes for day in meter.daily),
        line=meter.daily_pace_bytes,
        line_label=pace,
        title=title,
        desc=desc,
        language=language,
        ident=f"usage-daily-{meter.subscription_id}",
    )


def _history_spec(meter: ServiceMeter, *, language: str) -> Spec:
    title, desc = describe_history(meter, language=language)
    with translation.override(language):
        labels = tuple(formats.date_format(cycle.start, "M") for cycle in meter.history)
        allowance = _("Allowance")
    return Spec(
        labels,
        tuple(cycle.used_bytes for cycle in meter.history),
        line=meter.allowance_bytes,
        line_label=allowance,
        title=title,
        desc=desc,
        language=language,
        ident=f"usage-history-{meter.subscription_id}",
    )


def daily_chart_svg(meter: ServiceMeter, *, language: str) -> str:
    return _chart(_daily_spec(meter, language=language))


def history_chart_svg(meter: ServiceMeter, *, language: str) -> str:
    return _chart(_history_spec(meter, language=language))


def page_charts(meters: Sequence[ServiceMeter], *, language: str) -> list[tuple[str, str]]:
    """Each meter's daily and history charts as image addresses (``data_uri``), in one
    cache read: kept under a digest of all they draw, drawn only when new."""
    specs = [
        (_daily_spec(meter, language=language), _history_spec(meter, language=language))
        for meter in meters
    ]
    digest = hashlib.sha256(repr((DRAWING, specs)).encode()).hexdigest()
    key = f"usage-charts:{digest}"
    drawn = cache.get(key)
    if drawn is None:
        drawn = [(data_uri(_chart(daily)), data_uri(_chart(history))) for daily, history in specs]
        cache.set(key, drawn, CHART_SECONDS)
    return list(drawn)


def data_uri(svg: str) -> str:
    """The picture as an image address of its own (``data:``, which the pages' content
    security policy allows for images): drawn with the page's one read, no request more."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode("ascii")
