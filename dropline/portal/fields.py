"""Form fields several portal features share: a new password typed twice."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from dropline.core.limits import MAX_PASSWORD_LENGTH

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise


def new_password(label: str | _StrPromise) -> forms.CharField:
    """A new password, with the policy's advice under it."""
    return forms.CharField(
        label=label,
        max_length=MAX_PASSWORD_LENGTH,
        strip=False,
        help_text=_(
            "At least 12 characters. A few unrelated words make a strong password that is "
            "easy to remember."
        ),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )


def new_password_again(label: str | _StrPromise) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=MAX_PASSWORD_LENGTH,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )


def check_typed_twice(form: forms.Form, data: dict[str, Any], first: str, second: str) -> None:
    """Put an error on the second field when the two passwords differ."""
    one, two = data.get(first), data.get(second)
    if one and two and one != two:
        form.add_error(second, _("The two passwords are different. Type it again."))
