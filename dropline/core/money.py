"""Money as integer minor units with a currency; no float anywhere near it.

Arithmetic between amounts is exact. Multiplying by a Decimal (a per-GB rate,
a proration fraction) rounds once, half-up, to the currency's minor unit.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

# ISO 4217 minor-unit exponents that differ from 2, for currencies a provider may bill in.
_EXPONENTS = {"JPY": 0, "KRW": 0, "CLP": 0, "ISK": 0, "BHD": 3, "KWD": 3, "JOD": 3, "OMR": 3}
_SYMBOLS = {"USD": "$", "CAD": "$", "MXN": "$", "EUR": "€", "GBP": "£", "JPY": "¥"}


class CurrencyMismatchError(ValueError):
    """Two amounts in different currencies were combined."""


def minor_unit_exponent(currency: str) -> int:
    return _EXPONENTS.get(currency, 2)


@dataclass(frozen=True, slots=True, order=False)
class Money:
    amount_minor: int
    currency: str

    def __post_init__(self) -> None:
        if not isinstance(self.amount_minor, int) or isinstance(self.amount_minor, bool):
            raise TypeError(f"Money needs integer minor units, got {self.amount_minor!r}")
        if len(self.currency) != 3 or not self.currency.isalpha() or not self.currency.isupper():
            raise ValueError(f"currency must be an ISO 4217 code, got {self.currency!r}")

    @classmethod
    def zero(cls, currency: str) -> Money:
        return cls(0, currency)

    @classmethod
    def from_decimal(cls, value: Decimal | str | int, currency: str) -> Money:
        """From major units ("12.345" USD is 1235 cents: rounded half-up once)."""
        if isinstance(value, float):
            raise TypeError("Money never comes from a float; pass a Decimal or a string")
        quantum = Decimal(1).scaleb(-minor_unit_exponent(currency))
        major = Decimal(value).quantize(quantum, rounding=ROUND_HALF_UP)
        return cls(int(major.scaleb(minor_unit_exponent(currency))), currency)

    def to_decimal(self) -> Decimal:
        return Decimal(self.amount_minor).scaleb(-minor_unit_exponent(self.currency))

    def _check(self, other: Money) -> None:
        if not isinstance(other, Money):
            raise TypeError(f"cannot combine Money with {type(other).__name__}")
        if other.currency != self.currency:
            raise CurrencyMismatchError(f"{self.currency} and {other.currency}")

    def __add__(self, other: Money) -> Money:
        self._check(other)
        return Money(self.amount_minor + other.amount_minor, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._check(other)
        return Money(self.amount_minor - other.amount_minor, self.currency)

    def __neg__(self) -> Money:
        return Money(-self.amount_minor, self.currency)

    def __lt__(self, other: Money) -> bool:
        self._check(other)
        return self.amount_minor < other.amount_minor

    def __le__(self, other: Money) -> bool:
        self._check(other)
        return self.amount_minor <= other.amount_minor

    def __gt__(self, other: Money) -> bool:
        self._check(other)
        return self.amount_minor > other.amount_minor

    def __ge__(self, other: Money) -> bool:
        self._check(other)
        return self.amount_minor >= other.amount_minor

    def __mul__(self, factor: int | Decimal) -> Money:
        if isinstance(factor, bool) or not isinstance(factor, int | Decimal):
            raise TypeError("Money is multiplied by an int or a Decimal only")
        if isinstance(factor, int):
            return Money(self.amount_minor * factor, self.currency)
        exact = Decimal(self.amount_minor) * factor
        return Money(int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP)), self.currency)

    __rmul__ = __mul__

    def __bool__(self) -> bool:
        return self.amount_minor != 0

    @staticmethod
    def total(amounts: list[Money], currency: str) -> Money:
        result = Money.zero(currency)
        for amount in amounts:
            result = result + amount
        return result

    def format(self, *, decimal_separator: str = ".", group_separator: str = ",") -> str:
        """``$1,234.50``, ``-$3.00``; separators are passed in by the locale."""
        exponent = minor_unit_exponent(self.currency)
        whole, fraction = divmod(abs(self.amount_minor), 10**exponent)
        grouped = f"{whole:,}".replace(",", group_separator)
        text = grouped + (f"{decimal_separator}{fraction:0{exponent}d}" if exponent else "")
        symbol = _SYMBOLS.get(self.currency)
        body = f"{symbol}{text}" if symbol else f"{text} {self.currency}"
        return f"-{body}" if self.amount_minor < 0 else body

    def __str__(self) -> str:
        return self.format()
