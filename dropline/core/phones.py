"""Phone numbers: stored in E.164, shown the way people write them."""

from __future__ import annotations

import phonenumbers


def display_phone(e164: str, *, region: str = "US") -> str:
    """``+13195550142`` as ``(319) 555-0142`` at home, international format abroad."""
    if not e164:
        return ""
    try:
        number = phonenumbers.parse(e164, region)
    except phonenumbers.NumberParseException:
        return e164
    same_country = phonenumbers.region_code_for_number(number) == region
    style = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if same_country
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    return phonenumbers.format_number(number, style)
