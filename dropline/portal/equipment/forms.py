"""The Wi-Fi form: one network's name and password. The rules are the domain's
(``dropline.network.wifi``); a refusal comes back on the field it names."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

# The network a form is for travels in this field, outside the form's prefix.
NETWORK_FIELD = "network"


class WifiForm(forms.Form):
    ssid = forms.CharField(
        label=_("Network name"),
        max_length=64,
        strip=False,
        help_text=_("Up to 32 letters, digits or symbols, with no space at either end."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"}
        ),
    )
    passphrase = forms.CharField(
        label=_("Password"),
        required=False,
        max_length=64,
        strip=False,
        help_text=_("8 to 63 characters. Leave it as it is to keep the password."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"}
        ),
    )

    def new_passphrase(self) -> str | None:
        """The password asked for, or None to keep the one the network has."""
        value: str = self.cleaned_data["passphrase"]
        return value or None
