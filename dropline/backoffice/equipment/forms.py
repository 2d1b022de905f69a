"""The device lookup and the staff Wi-Fi form (the rules are ``dropline.network.wifi``'s)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class LookupForm(forms.Form):
    q = forms.CharField(
        label=_("Serial number, MAC address, device id or account number"),
        max_length=120,
        required=False,
    )


class StaffWifiForm(forms.Form):
    network = forms.CharField(widget=forms.HiddenInput, max_length=16)
    ssid = forms.CharField(label=_("Network name"), max_length=64, strip=False)
    passphrase = forms.CharField(
        label=_("New password"),
        required=False,
        max_length=64,
        strip=False,
        help_text=_("Leave empty to keep the password."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )


class LinkForm(forms.Form):
    device_id = forms.CharField(
        label=_("Device id"),
        max_length=120,
        required=False,
        help_text=_(
            "As device management knows it, e.g. 0000CA-TG3452-A1B2C3. Leave empty to unlink."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
