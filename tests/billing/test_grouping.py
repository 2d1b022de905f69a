"""Golden invoices as a customer reads them: each line named and dated, grouped by
service, subtotals adding up to the bill, in English and Spanish; and why each bill
changed, the changes adding up exactly to the difference."""

import pytest

from dropline.billing.grouping import ROLES, group_lines, role_of
from dropline.billing.models import InvoiceLine
from dropline.billing.queries import invoice_changes, invoice_detail
from tests.support.bills import golden_household

pytestmark = pytest.mark.django_db


def shown(invoice, language="en"):
    detail = invoice_detail(invoice=invoice, language=language)
    return [
        (
            group.title,
            [(line.text, line.amount_cents) for line in group.lines],
            group.subtotal_cents,
        )
        for group in detail.groups
    ]


def explained(invoice, language="en"):
    result = invoice_changes(invoice=invoice, language=language)
    assert result.changes is not None
    assert sum(change.amount_cents for change in result.changes) == result.difference_cents
    return [(change.kind, change.text, change.amount_cents) for change in result.changes]


@pytest.fixture
def household():
    return golden_household()


def test_every_bill_adds_up_to_its_total_group_by_group(household):
    for invoice in household.invoices:
        detail = invoice_detail(invoice=invoice, language="en")
        assert sum(group.subtotal_cents for group in detail.groups) == invoice.total_cents
        lines = InvoiceLine.objects.filter(invoice=invoice).count()
        assert sum(len(group.lines) for group in detail.groups) == lines
        totals = detail.totals
        assert (
            totals.previous_balance_cents + totals.payments_cents + totals.new_charges_cents
            == totals.amount_due_cents
        )


def test_the_first_bill_a_promotional_price_and_its_fee(household):
    assert shown(household.bill(1)) == [
        (
            "Internet 500",
            [
                ("Internet 500, Jan. 5, 2026 \u2013 Feb. 4, 2026", 7000),
                (
                    "Promotional discount (Spring offer, until April 4, 2026), "
                    "Jan. 5, 2026 \u2013 Feb. 4, 2026",
                    -2500,
                ),
            ],
            4500,
        ),
        ("Taxes and fees", [("Regulatory recovery fee (2.5%)", 113)], 113),
    ]
    assert household.bill(1).total_cents == 4613
    assert invoice_changes(invoice=household.bill(1), language="en").changes is None


def test_an_add_on_added_mid_cycle_is_prorated_with_its_dates(household):
    # Wi-Fi boost ($5.00) from Feb 20: Feb 20 - Mar 4 is 13 of the 28 days of the
    # Feb 5 cycle, 500 * 13 / 28 = 232.14 -> $2.32; the fee is 2.5% of $52.32 = $1.31.
    assert shown(household.bill(3)) == [
        (
            "Internet 500",
            [
                ("Internet 500, March 5, 2026 \u2013 April 4, 2026", 7000),
                (
                    "Promotional discount (Spring offer, until April 4, 2026), "
                    "March 5, 2026 \u2013 April 4, 2026",
                    -2500,
                ),
                ("Wi-Fi boost, March 5, 2026 \u2013 April 4, 2026", 500),
                ("Wi-Fi boost, partial month Feb. 20, 2026 \u2013 March 4, 2026", 232),
            ],
            5232,
        ),
        ("Taxes and fees", [("Regulatory recovery fee (2.5%)", 131)], 131),
    ]
    assert explained(household.bill(3)) == [
        (
            "added",
            "New add-on Wi-Fi boost from Feb. 20, 2026 "
            "(partial month Feb. 20, 2026 \u2013 March 4, 2026): +$7.32",
            732,
        ),
        ("taxes_changed", "Taxes and fees, following your charges: +$0.18", 18),
    ]


def test_the_promotion_ends(household):
    assert household.bill(4).total_cents == 7688
    assert explained(household.bill(4)) == [
        (
            "proration",
            "Last bill's partial month for Wi-Fi boost is not repeated: -$2.32",
            -232,
        ),
        (
            "promotion_ended",
            "Your promotional price for Internet 500 ended on April 4, 2026: +$25.00",
            2500,
        ),
        ("taxes_changed", "Taxes and fees, following your charges: +$0.57", 57),
    ]


def test_a_price_change_and_a_one_time_fee(household):
    assert shown(household.bill(5)) == [
        (
            "Internet 500",
            [
                ("Internet 500, May 5, 2026 \u2013 June 4, 2026", 7500),
                ("Wi-Fi boost, May 5, 2026 \u2013 June 4, 2026", 500),
            ],
            8000,
        ),
        (
            "Account charges and credits",
            [("One-time charge: Technician visit, April 12, 2026", 4900)],
            4900,
        ),
        ("Taxes and fees", [("Regulatory recovery fee (2.5%)", 200)], 200),
    ]
    assert explained(household.bill(5)) == [
        ("price_changed", "New price for Internet 500 from May 5, 2026: +$5.00", 500),
        ("one_time", "One-time charge Technician visit on April 12, 2026: +$49.00", 4900),
        ("taxes_changed", "Taxes and fees, following your charges: +$0.12", 12),
    ]


def test_a_credit(household):
    bill = household.bill(6)
    assert shown(bill)[1] == (
        "Account charges and credits",
        [("Credit: Outage credit, May 20, 2026", -1000)],
        -1000,
    )
    assert bill.total_cents == 7200
    assert explained(bill) == [
        ("credit", "Credit Outage credit on May 20, 2026: -$10.00", -1000),
        (
            "one_time",
            "Last bill's one-time charge Technician visit is not repeated: -$49.00",
            -4900,
        ),
    ]


def test_the_same_bills_in_spanish(household):
    assert shown(household.bill(3), "es") == [
        (
            "Internet 500",
            [
                ("Internet 500, 5 de marzo de 2026 \u2013 4 de abril de 2026", 7000),
                (
                    "Descuento promocional (Oferta de primavera, hasta el 4 de abril de "
                    "2026), 5 de marzo de 2026 \u2013 4 de abril de 2026",
                    -2500,
                ),
                ("Refuerzo de Wi-Fi, 5 de marzo de 2026 \u2013 4 de abril de 2026", 500),
                (
                    "Refuerzo de Wi-Fi, parte del mes, "
                    "20 de febrero de 2026 \u2013 4 de marzo de 2026",
                    232,
                ),
            ],
            5232,
        ),
        ("Impuestos y cargos", [("Cargo de recuperación regulatoria (2,5 %)", 131)], 131),
    ]
    assert shown(household.bill(5), "es")[1] == (
        "Cargos y créditos de la cuenta",
        [("Cargo único: Visita del técnico, 12 de abril de 2026", 4900)],
        4900,
    )
    texts = [text for _kind, text, _amount in explained(household.bill(4), "es")]
    assert "Su precio promocional de Internet 500 terminó el 4 de abril de 2026: +$25.00" in texts
    credit = explained(household.bill(6), "es")[0]
    assert credit == (
        "credit",
        "Crédito Crédito por corte de servicio del 20 de mayo de 2026: -$10.00",
        -1000,
    )


def test_a_service_group_is_named_by_the_customers_own_label(household):
    household.internet.label = "Upstairs"
    household.internet.save(update_fields=["label"])
    detail = invoice_detail(invoice=household.bill(2), language="en")
    assert (detail.groups[0].title, detail.groups[0].detail) == ("Internet 500", "Upstairs")


def test_every_line_plays_one_role(household):
    lines = InvoiceLine.objects.filter(invoice__account=household.account)
    roles = {role_of(line) for line in lines}
    assert roles <= set(ROLES)
    assert roles == {"service", "discount", "add_on", "proration", "one_time", "credit", "tax"}
    groups = group_lines(list(lines.filter(invoice=household.bill(6))), language="en")
    assert [group.key for group in groups] == [
        f"sub:{household.internet.pk}",
        "account",
        "taxes",
    ]
