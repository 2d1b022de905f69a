"""Input for the second-factor pages: the forms only parse; ``dropline.identity.factors``
decides."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy

from dropline.accounts.models import SecondFactorMethod
from dropline.portal.fields import one_time_code_input

METHOD_CHOICES = [(value, label) for value, label in SecondFactorMethod.choices]


class DefaultMethodForm(forms.Form):
    method = forms.ChoiceField(label=gettext_lazy("Ask me first for"), widget=forms.RadioSelect)

    def __init__(self, *args: Any, methods: set[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["method"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(value, label) for value, label in METHOD_CHOICES if value in methods]


class TextMessageForm(forms.Form):
    contact = forms.TypedChoiceField(
        label=gettext_lazy("Send sign-in codes to"), coerce=int, widget=forms.RadioSelect
    )

    def __init__(self, *args: Any, numbers: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["contact"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = numbers


class RemoveForm(forms.Form):
    confirm_last = forms.BooleanField(
        label=gettext_lazy("I understand my account will be protected by the password alone"),
        required=False,
    )


class SmsCodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code from the text message"),
        max_length=16,
        widget=one_time_code_input(size="10"),
    )
