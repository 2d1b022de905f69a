"""Past speed tests as a line chart drawn on the server with pygal: download and upload
in Mbps, with the plan's speeds of each test's day as dashed lines.

As the other charts (``core.charts``): no script, a ``<title>`` and ``<desc>`` for
screen readers, and the page shows the same figures in a table beside it.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence

import pygal
from django.utils import formats, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dropline.core import charts
from dropline.core.formatting import display_date
from dropline.network.models import SpeedTest
from dropline.network.speed_tests.speeds import mbps

WIDTH = 480
HEIGHT = 300
DOWNLOAD_COLOR = "#0b5cad"
UPLOAD_COLOR = "#a34700"

_STYLE = charts.style(
    colors=(DOWNLOAD_COLOR, UPLOAD_COLOR, DOWNLOAD_COLOR, UPLOAD_COLOR),
    label_font_size=14,
    major_label_font_size=14,
    legend_font_size=14,
)
_DASHED = {"dasharray": "6,4", "width": 2}


def describe(tests: Sequence[SpeedTest], *, language: str) -> tuple[str, str]:
    """The chart's title and a description saying what it shows, in ``language``."""
    with translation.override(language):
        title = _("Your past speed tests")
        if not tests:
            return title, _("No speed tests yet.")
        fastest = max(tests, key=lambda t: t.download_kbps)
        desc = ngettext(
            "Download and upload speeds of your last test, on %(first)s: download "
            "%(fastest)s. The dashed lines are your plan's speeds. The table beside the "
            "chart has every figure.",
            "Download and upload speeds of your last %(count)d tests, from %(first)s to "
            "%(last)s. Fastest download %(fastest)s, on %(fastest_day)s. The dashed lines "
            "are your plan's speeds. The table beside the chart has every figure.",
            len(tests),
        ) % {
            "count": len(tests),
            "first": display_date(tests[0].ran_at.date()),
            "last": display_date(tests[-1].ran_at.date()),
            "fastest": mbps(fastest.download_kbps),
            "fastest_day": display_date(fastest.ran_at.date()),
        }
        return title, desc


def history_chart_svg(tests: Sequence[SpeedTest], *, language: str) -> str:
    title, desc = describe(tests, language=language)
    with translation.override(language):
        chart = pygal.Line(
            width=WIDTH,
            height=HEIGHT,
            explicit_size=True,
            js=[],
            disable_xml_declaration=True,
            style=_STYLE,
            margin=8,
            legend_at_bottom=True,
            legend_at_bottom_columns=2,
            x_label_rotation=0,
            truncate_label=-1,
            show_minor_x_labels=False,
            x_labels_major_every=max(1, len(tests) // 4),
            include_x_axis=True,
            value_formatter=lambda value: f"{formats.number_format(value, decimal_pos=0)} Mbps",
            no_data_text=desc,
        )
        chart.x_labels = [formats.date_format(t.ran_at, "M j") for t in tests]
        chart.add(_("Download speed"), [t.download_kbps / 1000 for t in tests])
        chart.add(_("Upload speed"), [t.upload_kbps / 1000 for t in tests])
        if any(t.plan_download_mbps for t in tests):
            chart.add(
                _("Plan's download speed"),
                [t.plan_download_mbps for t in tests],
                stroke_style=_DASHED,
                show_dots=False,
            )
        if any(t.plan_upload_mbps for t in tests):
            chart.add(
                _("Plan's upload speed"),
                [t.plan_upload_mbps for t in tests],
                stroke_style=_DASHED,
                show_dots=False,
            )
        svg = chart.render(is_unicode=True)
    return charts.titled(svg, title, desc, "speed-history")


def data_uri(svg: str) -> str:
    """The picture as an image address of its own (``data:``, allowed for images)."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode("ascii")
