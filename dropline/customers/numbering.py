"""Account numbers: 12 digits, the last a Luhn check digit so typos are caught."""

from __future__ import annotations

from dropline.core import sequences

ACCOUNT_PREFIX = "826"
_SERIAL_DIGITS = 8


def luhn_check_digit(digits: str) -> str:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 0:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return str((10 - total % 10) % 10)


def is_valid_account_number(number: str) -> bool:
    return (
        len(number) == len(ACCOUNT_PREFIX) + _SERIAL_DIGITS + 1
        and number.isdigit()
        and luhn_check_digit(number[:-1]) == number[-1]
    )


def format_account_number(serial: int) -> str:
    body = f"{ACCOUNT_PREFIX}{serial:0{_SERIAL_DIGITS}d}"
    return body + luhn_check_digit(body)


def allocate_account_numbers(count: int = 1) -> list[str]:
    return [format_account_number(n) for n in sequences.reserve(name="account", count=count)]


def normalize_account_number(text: str) -> str:
    """What a person typed ("826 0000 1234", "826-00001234") as bare digits."""
    return "".join(ch for ch in text if ch.isdigit())
