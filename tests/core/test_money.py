from decimal import Decimal

import pytest

from dropline.core.money import CurrencyMismatchError, Money


def test_adds_and_subtracts_exactly_in_minor_units():
    total = Money(1999, "USD") + Money(1, "USD") - Money(500, "USD")
    assert total == Money(1500, "USD")


def test_refuses_to_mix_currencies():
    with pytest.raises(CurrencyMismatchError):
        Money(100, "USD") + Money(100, "EUR")


def test_refuses_floats_everywhere():
    with pytest.raises(TypeError):
        Money(1.5, "USD")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        Money.from_decimal(1.5, "USD")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        Money(100, "USD") * 1.5  # type: ignore[operator]


@pytest.mark.parametrize(
    ("rate", "expected"),
    [
        (Decimal("0.5"), 1),  # 1 cent * 0.5 = 0.5 rounds half-up to 1
        (Decimal("0.49"), 0),
        (Decimal("-0.5"), -1),  # half away from zero for credits
        (Decimal("2.335"), 2),
    ],
)
def test_multiplying_by_a_decimal_rounds_half_up_once(rate, expected):
    assert Money(1, "USD") * rate == Money(expected, "USD")


def test_per_gb_rate_times_usage_rounds_at_the_line():
    # 3.333 GB at $14.00/GB is $46.662, billed as $46.66
    assert Money(1400, "USD") * Decimal("3.333") == Money(4666, "USD")


def test_from_decimal_rounds_half_up_to_the_currency_minor_unit():
    assert Money.from_decimal("12.345", "USD") == Money(1235, "USD")
    assert Money.from_decimal("1234.5", "JPY") == Money(1235, "JPY")
    assert Money.from_decimal("1.0005", "KWD") == Money(1001, "KWD")


@pytest.mark.parametrize(
    ("money", "text"),
    [
        (Money(123450, "USD"), "$1,234.50"),
        (Money(-300, "USD"), "-$3.00"),
        (Money(5, "USD"), "$0.05"),
        (Money(1500, "JPY"), "¥1,500"),
        (Money(1000, "CHF"), "10.00 CHF"),
    ],
)
def test_formats_for_people(money, text):
    assert money.format() == text


def test_rejects_codes_that_are_not_iso_4217():
    with pytest.raises(ValueError, match="ISO 4217"):
        Money(1, "usd")


def test_total_of_nothing_is_zero_in_that_currency():
    assert Money.total([], "USD") == Money.zero("USD")
