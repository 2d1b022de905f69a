"""Bill lines in plain words, in English and in Spanish, with their dates."""

import datetime as dt
from decimal import Decimal

import pytest

from dropline.billing.describe import describe_line, percent_text
from dropline.billing.lines import RatedLine
from dropline.billing.models import Invoice, InvoiceLine

D = dt.date


def line(kind, amount, *, label="Internet 500", label_es="", start=None, end=None, **extra):
    values = {
        "kind": kind,
        "category": "internet",
        "item_key": "sub:1",
        "group_key": "sub:1",
        "label": label,
        "label_es": label_es,
        "period_start": start,
        "period_end": end,
        "quantity": 1,
        "amount_cents": amount,
        "taxable": True,
    }
    values.update(extra)
    return RatedLine(**values)


@pytest.mark.parametrize(
    ("rated", "english", "spanish"),
    [
        (
            line("recurring", 7000, start=D(2026, 3, 5), end=D(2026, 4, 4)),
            "Internet 500, March 5, 2026 \u2013 April 4, 2026",
            "Internet 500, 5 de marzo de 2026 \u2013 4 de abril de 2026",
        ),
        (
            line(
                "discount",
                -1290,
                label="Spring offer, until March 20, 2026",
                label_es="Oferta de primavera, hasta el 20 de marzo de 2026",
                start=D(2026, 3, 5),
                end=D(2026, 3, 20),
            ),
            "Promotional discount (Spring offer, until March 20, 2026), "
            "March 5, 2026 \u2013 March 20, 2026",
            "Descuento promocional (Oferta de primavera, hasta el 20 de marzo de 2026), "
            "5 de marzo de 2026 \u2013 20 de marzo de 2026",
        ),
        (
            line(
                "proration",
                419,
                label="Wi-Fi boost",
                label_es="Refuerzo de Wi-Fi",
                start=D(2026, 3, 10),
                end=D(2026, 4, 4),
            ),
            "Wi-Fi boost, partial month March 10, 2026 \u2013 April 4, 2026",
            "Refuerzo de Wi-Fi, parte del mes, 10 de marzo de 2026 \u2013 4 de abril de 2026",
        ),
        (
            line("proration", -1419, label="TV", start=D(2026, 3, 25), end=D(2026, 4, 4)),
            "TV, credit for the days not used, March 25, 2026 \u2013 April 4, 2026",
            "TV, crédito por los días no usados, 25 de marzo de 2026 \u2013 4 de abril de 2026",
        ),
        (
            line(
                "one_time",
                3500,
                label="Installation visit",
                label_es="Visita de instalación",
                start=D(2026, 3, 20),
                end=D(2026, 3, 20),
            ),
            "One-time charge: Installation visit, March 20, 2026",
            "Cargo único: Visita de instalación, 20 de marzo de 2026",
        ),
        (
            line("credit", -1000, label="Outage credit", start=D(2026, 3, 28), end=D(2026, 3, 28)),
            "Credit: Outage credit, March 28, 2026",
            "Crédito: Outage credit, 28 de marzo de 2026",
        ),
        (
            line(
                "tax",
                659,
                label="Iowa sales tax",
                label_es="Impuesto sobre las ventas de Iowa",
                percent=Decimal("6.0000"),
                category="fees",
            ),
            "Iowa sales tax (6%)",
            "Impuesto sobre las ventas de Iowa (6 %)",
        ),
        (
            line(
                "tax",
                175,
                label="Regulatory recovery fee",
                label_es="Cargo de recuperación regulatoria",
                percent=Decimal("2.5000"),
                category="fees",
            ),
            "Regulatory recovery fee (2.5%)",
            "Cargo de recuperación regulatoria (2,5 %)",
        ),
        (
            line("tax", 200, label="911 fee", label_es="Cargo 911", category="mobile", quantity=2),
            "911 fee, 2 mobile lines",
            "Cargo 911, 2 líneas móviles",
        ),
        (
            line("tax", 100, label="911 fee", label_es="Cargo 911", category="mobile"),
            "911 fee, 1 mobile line",
            "Cargo 911, 1 línea móvil",
        ),
    ],
)
def test_each_kind_of_line_in_both_languages(rated, english, spanish):
    assert describe_line(rated, "en") == english
    assert describe_line(rated, "es") == spanish


def test_an_invoice_line_reads_like_the_rated_line_it_came_from():
    rated = line("recurring", 7000, start=D(2026, 3, 5), end=D(2026, 4, 4))
    stored = InvoiceLine(
        invoice=Invoice(),
        position=0,
        **{name: getattr(rated, name) for name in RatedLine.__dataclass_fields__},
    )
    assert describe_line(stored, "en") == describe_line(rated, "en")
    assert describe_line(stored, "es") == describe_line(rated, "es")


def test_the_language_asked_for_does_not_leak_into_the_page_around_it():
    from django.utils import translation

    with translation.override("en"):
        describe_line(line("recurring", 1, start=D(2026, 3, 5), end=D(2026, 4, 4)), "es")
        assert translation.get_language() == "en"


def test_percentages_lose_their_trailing_zeros():
    assert percent_text(Decimal("6.0000")) == "6%"
    assert percent_text(Decimal("0.2500")) == "0.25%"
