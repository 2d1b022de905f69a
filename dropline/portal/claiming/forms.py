"""Input for getting a login.

The forms only parse; ``dropline.identity.claiming`` and ``invitations`` decide. Field
names match the keys of ``claiming.DetailsInvalid.errors`` so domain errors land on
the right field.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from dropline.portal.fields import check_typed_twice, new_password, new_password_again


def _text(**attrs: str) -> forms.TextInput:
    return forms.TextInput(attrs={"spellcheck": "false", **attrs})


class AccountDetailsForm(forms.Form):
    """What is printed on the bill."""

    account_number = forms.CharField(
        label=_("Account number"),
        max_length=40,
        help_text=_("12 digits, at the top of your bill. Spaces and dashes are fine."),
        widget=_text(inputmode="numeric", autocomplete="off"),
    )
    postal_code = forms.CharField(
        label=_("Service address ZIP code"),
        max_length=10,
        help_text=_(
            "The ZIP code where you get service, which may differ from your mailing address."
        ),
        widget=_text(inputmode="numeric", autocomplete="postal-code"),
    )
    last_name = forms.CharField(
        label=_("Account holder's last name"),
        max_length=100,
        help_text=_("As it appears on the bill."),
        widget=_text(autocomplete="family-name"),
    )


class NewLoginForm(forms.Form):
    """The login the person is creating."""

    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        help_text=_("Letters, digits and @ . + - _ only. You can also sign in with your email."),
        widget=_text(autocomplete="username", autocapitalize="none"),
    )
    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        help_text=_("We will send a link to confirm it before your account opens."),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    password = new_password(_("Password"))
    password_again = new_password_again(_("Password again"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        check_typed_twice(self, data, "password", "password_again")
        return data


class ClaimForm(AccountDetailsForm, NewLoginForm):
    """Claiming an account and creating the login in one step."""

    field_order = [
        "account_number",
        "postal_code",
        "last_name",
        "username",
        "email",
        "password",
        "password_again",
    ]


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Invitation code"),
        max_length=40,
        help_text=_(
            "It looks like DRPL-7KQ4-MZ2X-H9TB. Upper or lower case, with or without dashes."
        ),
        widget=_text(autocomplete="off", autocapitalize="characters"),
    )


class InvitationForm(CodeForm, NewLoginForm):
    """Redeeming a code and creating the login in one step."""

    field_order = ["code", "username", "email", "password", "password_again"]
