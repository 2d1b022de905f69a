"""Form fields several portal features share: a new password typed twice, and the box
for a one-time code of digits."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from dropline.core.limits import MAX_PASSWORD_LENGTH

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise


# What a one-time code of digits may be typed as: digits, with spaces or dashes between
# groups (the domain drops them). The browser checks it too where a form validates.
ONE_TIME_CODE_PATTERN = r"[0-9 \-]*"


def one_time_code_input(**attrs: str) -> forms.TextInput:
    """A box for a code of digits sent by text message or email or shown by an app: the
    phone offers the number pad and the code from the message."""
    return forms.TextInput(
        attrs={
            "autocomplete": "one-time-code",
            "inputmode": "numeric",
            "pattern": ONE_TIME_CODE_PATTERN,
            "autocapitalize": "none",
            "spellcheck": "false",
            **attrs,
        }
    )


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
