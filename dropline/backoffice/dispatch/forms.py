"""Forms for the dispatch pages: they parse input, ``field.capacity`` and
``field.dispatch`` decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from dropline.accounts.models import User
from dropline.backoffice.announcements.forms import ProviderDateTimeField
from dropline.backoffice.common import StaffForm
from dropline.customers.models import ServiceArea
from dropline.field.capacity import (
    MAX_CAPACITY,
    MAX_NAME_LENGTH,
    MAX_REASON_LENGTH,
    linkable_users,
)
from dropline.field.models import Technician, Weekday


def _areas() -> forms.ModelChoiceField[ServiceArea]:
    return forms.ModelChoiceField(
        label=_("Service area"),
        queryset=ServiceArea.objects.order_by("name"),
        error_messages={"required": _("Choose a service area.")},
    )


def _time(label: Any, *, required: bool = True, help_text: Any = "") -> forms.TimeField:
    return forms.TimeField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )


def _capacity() -> forms.IntegerField:
    return forms.IntegerField(label=_("Visits"), min_value=0, max_value=MAX_CAPACITY)


class BoardForm(StaffForm):
    """Which day and area the board shows (GET)."""

    day = forms.DateField(label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}))
    area = forms.ModelChoiceField(
        label=_("Service area"),
        queryset=ServiceArea.objects.order_by("name"),
        required=False,
        empty_label=_("Every area"),
    )


class AssignForm(StaffForm):
    technician = forms.TypedChoiceField(
        label=_("Technician"), coerce=int, empty_value=None, required=False
    )

    def __init__(self, *args: Any, technicians: list[Technician], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["technician"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", _("Nobody yet")), *((t.pk, t.name) for t in technicians)]
        field.help_text = _("Those who cover the area and work that day.")


class OnTheWayForm(StaffForm):
    eta = ProviderDateTimeField(label=_("Expected arrival"))


STATUS_ACTIONS = ("on_the_way", "arrived", "completed", "missed")


class TechnicianForm(StaffForm):
    name = forms.CharField(label=_("Name"), max_length=MAX_NAME_LENGTH)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    areas = forms.ModelMultipleChoiceField(
        label=_("Service areas"),
        queryset=ServiceArea.objects.order_by("name"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one service area.")},
    )
    workdays = forms.TypedMultipleChoiceField(
        label=_("Working days"),
        choices=Weekday.choices,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one working day.")},
    )
    is_active = forms.BooleanField(label=_("Takes visits"), required=False, initial=True)
    # Which staff sign-in marks this technician's own visits: those with the Technician
    # role that no other technician has (``field.capacity`` checks again when saving).
    user = forms.TypedChoiceField(
        label=_("Staff sign-in"),
        coerce=int,
        empty_value=None,
        required=False,
        help_text=_("Staff with the Technician role. They see and mark their own visits."),
    )

    def __init__(self, *args: Any, technician_id: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["user"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [
            ("", _("No sign-in")),
            *(
                (user.pk, _sign_in_label(user))
                for user in linkable_users(technician_id=technician_id)
            ),
        ]

    @classmethod
    def initial_for(cls, technician: Technician) -> dict[str, Any]:
        return {
            "name": technician.name,
            "phone": technician.phone,
            "areas": list(technician.areas.all()),
            "workdays": [int(day) for day in technician.workdays],
            "is_active": technician.is_active,
            "user": technician.user_id,
        }


def _sign_in_label(user: User) -> str:
    name = user.get_full_name()
    return f"{name} ({user.get_username()})" if name else user.get_username()


class TemplateForm(StaffForm):
    area = _areas()
    weekday = forms.TypedChoiceField(
        label=_("Day of the week"), choices=Weekday.choices, coerce=int
    )
    starts_at = _time(_("Window starts"))
    ends_at = _time(_("Window ends"))
    capacity = _capacity()


class TemplateChangeForm(StaffForm):
    ends_at = _time(_("Window ends"))
    capacity = _capacity()


class ExceptionForm(StaffForm):
    area = _areas()
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    starts_at = _time(
        _("Window starts"),
        required=False,
        help_text=_("Leave empty for every window of the day, as for a holiday."),
    )
    capacity = forms.IntegerField(
        label=_("Visits"),
        min_value=0,
        max_value=MAX_CAPACITY,
        initial=0,
        help_text=_("0 closes the day or the window."),
    )
    reason = forms.CharField(label=_("Reason"), max_length=MAX_REASON_LENGTH)
