"""The form that makes an invitation code: which role it is for."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy

from dropline.customers.models import MemberRole


class CodeRoleForm(forms.Form):
    role = forms.ChoiceField(
        label=gettext_lazy("The code is for"),
        choices=MemberRole.choices,
        widget=forms.RadioSelect,
    )
