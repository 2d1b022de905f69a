"""Input for getting back in: the forms only parse; ``dropline.identity.recovery`` decides."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from dropline.core.limits import MAX_PASSWORD_LENGTH
from dropline.identity.recovery import errors, reset_codes, username_reminder
from dropline.notifications.categories import Channel

# How the code page speaks of where the code went: (label, error) by channel.
_CODE_WORDING = {
    Channel.SMS: (
        _("Code from the text message"),
        _("Enter the 6 digits from the text message."),
    ),
    Channel.EMAIL: (
        _("Code from the e-mail"),
        _("Enter the 6 digits from the e-mail."),
    ),
}


def _text(**attrs: str) -> forms.TextInput:
    return forms.TextInput(attrs={"spellcheck": "false", "autocapitalize": "none", **attrs})


class ResetEmailRequestForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )


class ResetCodeRequestForm(forms.Form):
    identifier = forms.CharField(
        label=_("Username, e-mail address or mobile number"),
        max_length=254,
        help_text=_("Any one of them. We text the code to the verified mobile number on file."),
        widget=_text(autocomplete="username"),
    )


class ResetCodeForm(forms.Form):
    code = forms.CharField(
        max_length=20,
        help_text=_("6 digits."),
        widget=_text(inputmode="numeric", autocomplete="one-time-code", size="8"),
    )
    password1 = forms.CharField(
        label=_("New password"),
        max_length=MAX_PASSWORD_LENGTH,
        strip=False,
        help_text=_(
            "At least 12 characters. A few unrelated words make a strong password that is "
            "easy to remember."
        ),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("New password again"),
        max_length=MAX_PASSWORD_LENGTH,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, channel: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].label, self._code_error = _CODE_WORDING[Channel(channel)]

    def clean_code(self) -> str:
        code = reset_codes.clean_code(self.cleaned_data["code"])
        if code is None:
            raise forms.ValidationError(self._code_error)
        return code

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords are different. Type it again."))
        return data


class UsernameReminderForm(forms.Form):
    address = forms.CharField(
        label=_("E-mail address or mobile number"),
        max_length=254,
        help_text=_("One you have verified on your login. We send your username there."),
        widget=_text(autocomplete="email"),
    )

    def clean_address(self) -> username_reminder.Address:
        try:
            return username_reminder.parse_address(self.cleaned_data["address"])
        except errors.InvalidAddressError as exc:
            raise forms.ValidationError(str(exc)) from None
