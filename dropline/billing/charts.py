"""The last bills as a bar chart, drawn on the server as SVG with pygal.

No JavaScript: pygal's tooltips script is left out (``js=[]``), so the picture is a
plain image. It carries its own ``<title>`` and ``<desc>`` for screen readers, and
the page shows the same figures in a table beside it. Amounts are integer cents
throughout; pygal only scales them to draw bars.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pygal
from django.utils import formats, translation
from django.utils.translation import gettext as _

from dropline.billing.models import Invoice
from dropline.core import charts
from dropline.core.formatting import display_date
from dropline.core.money import Money

WIDTH = 480  # drawn small and scaled to the column: labels stay legible on a phone
HEIGHT = 300

_STYLE = charts.style()


@dataclass(frozen=True)
class ChartBar:
    number: str
    label: str  # the month the bill is for, short ("Mar")
    period_start: str  # display dates, for the table and the description
    period_end: str
    total_cents: int
    currency: str

    @property
    def total(self) -> Money:
        return Money(self.total_cents, self.currency)


def bars(invoices: Sequence[Invoice], *, language: str) -> list[ChartBar]:
    """One bar per bill, oldest first, with its words in ``language``."""
    with translation.override(language):
        return [
            ChartBar(
                number=invoice.number,
                label=formats.date_format(invoice.period_start, "M"),
                period_start=display_date(invoice.period_start),
                period_end=display_date(invoice.period_end),
                total_cents=invoice.total_cents,
                currency=invoice.currency,
            )
            for invoice in invoices
        ]


def describe(chart_bars: Sequence[ChartBar], *, language: str) -> tuple[str, str]:
    """The chart's title and a sentence saying what it shows, for screen readers."""
    with translation.override(language):
        title = _("Your last bills")
        if not chart_bars:
            return title, _("There are no bills yet.")
        low = min(chart_bars, key=lambda bar: bar.total_cents)
        high = max(chart_bars, key=lambda bar: bar.total_cents)
        desc = _(
            "New charges of your last %(count)d bills, from %(first)s to %(last)s. "
            "Lowest %(low)s (%(low_month)s), highest %(high)s (%(high_month)s). "
            "The table beside the chart has every figure."
        ) % {
            "count": len(chart_bars),
            "first": chart_bars[0].period_start,
            "last": chart_bars[-1].period_end,
            "low": low.total.format(),
            "low_month": low.period_start,
            "high": high.total.format(),
            "high_month": high.period_start,
        }
        return title, desc


def bill_chart_svg(chart_bars: Sequence[ChartBar], *, language: str) -> str:
    """The bars as a standalone SVG document (no script), titled and described."""
    title, desc = describe(chart_bars, language=language)
    currency = chart_bars[0].currency if chart_bars else "USD"
    chart = pygal.Bar(
        width=WIDTH,
        height=HEIGHT,
        explicit_size=True,
        js=[],
        disable_xml_declaration=True,
        show_legend=False,
        style=_STYLE,
        margin=8,
        spacing=6,
        x_label_rotation=0,
        truncate_label=-1,
        max_scale=6,
        value_formatter=lambda value: Money(round(value), currency).format(),
        no_data_text=desc,
    )
    chart.x_labels = [bar.label for bar in chart_bars]
    chart.add(title, [bar.total_cents for bar in chart_bars])
    svg = chart.render(is_unicode=True)
    return charts.titled(svg, title, desc, "bill-chart")
