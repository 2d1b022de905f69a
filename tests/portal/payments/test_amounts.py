"""What a customer types as an amount becomes exact cents, whatever the amount."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from dropline.portal.payments.forms import dollars_to_cents


@given(st.integers(min_value=0, max_value=10**11))
def test_any_amount_in_dollars_and_cents_is_those_cents(cents: int) -> None:
    dollars, rest = divmod(cents, 100)
    assert dollars_to_cents(f"{dollars}.{rest:02d}") == cents
    assert dollars_to_cents(f"${dollars:,}.{rest:02d}") == cents
    if rest % 10 == 0:
        assert dollars_to_cents(f"{dollars}.{rest // 10}") == cents
    if rest == 0:
        assert dollars_to_cents(str(dollars)) == cents


@pytest.mark.parametrize("text", ["", "-5", "1e3", "12.345", "12,34", "abc", "$", "1.2.3", "0x10"])
def test_anything_else_is_refused(text: str) -> None:
    with pytest.raises(ValidationError):
        dollars_to_cents(text)
