"""allauth's account forms in Dropline's style (``ACCOUNT_FORMS`` points here): a label
never ends in a colon, and no placeholder repeats the label in other words or case
(Dropline's pages give each field a label and, where it helps, a line of help)."""

from __future__ import annotations

from typing import Any

from allauth.account import forms as allauth_forms
from django import forms


class HouseStyle(forms.Form):
    """Mixed in first: ``label_suffix=""`` and no placeholders."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.pop("placeholder", None)


class LoginForm(HouseStyle, allauth_forms.LoginForm):
    pass


class AddEmailForm(HouseStyle, allauth_forms.AddEmailForm):
    pass


class ChangePasswordForm(HouseStyle, allauth_forms.ChangePasswordForm):
    pass


class SetPasswordForm(HouseStyle, allauth_forms.SetPasswordForm):
    pass


class ResetPasswordForm(HouseStyle, allauth_forms.ResetPasswordForm):
    pass


class ResetPasswordKeyForm(HouseStyle, allauth_forms.ResetPasswordKeyForm):
    pass


class ReauthenticateForm(HouseStyle, allauth_forms.ReauthenticateForm):
    pass


class ConfirmEmailVerificationCodeForm(HouseStyle, allauth_forms.ConfirmEmailVerificationCodeForm):
    """allauth's emailed code is letters ("BCDF-GHJK"): the phone offers its letters in
    capitals, and the code from the email where it can (allauth's one-time-code)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].widget.attrs.update(
            {"autocapitalize": "characters", "spellcheck": "false"}
        )
