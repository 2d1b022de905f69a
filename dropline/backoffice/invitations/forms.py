"""The form that makes an invitation code: which role it is for, among those the account
allows now (``dropline.customers.invitations.printed_code_roles``)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy

from dropline.backoffice.common import StaffForm
from dropline.customers.models import MemberRole


class CodeRoleForm(StaffForm):
    role = forms.ChoiceField(
        label=gettext_lazy("The code is for"),
        choices=MemberRole.choices,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, roles: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["role"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(value, label) for value, label in MemberRole.choices if value in roles]
        if len(roles) == 1:
            field.initial = roles[0]
            field.widget = forms.HiddenInput()

    @property
    def single_role(self) -> bool:
        """One role only: it goes in a hidden field, not a lone radio button; the page
        says why."""
        return isinstance(self.fields["role"].widget, forms.HiddenInput)
