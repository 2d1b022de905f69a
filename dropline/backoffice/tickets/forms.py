"""Forms for the tickets queue, a ticket's actions, saved replies and service levels: they
parse; ``helpdesk.tickets`` decides."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from dropline.accounts.models import User
from dropline.backoffice.common import StaffForm
from dropline.field.describe import window_label
from dropline.field.models import VisitReason
from dropline.field.queries import WindowOffer
from dropline.helpdesk.models import SavedReply, Ticket, TicketCategory, TicketStatus
from dropline.helpdesk.tickets.service_levels import MAX_HOURS, MIN_HOURS

# The queue's status filter: besides each status, "all" (the default, "", is the active
# ones: waiting for us or for the customer).
STATUS_ANY = "all"
ASSIGNED_ME = "me"
ASSIGNED_NOBODY = "nobody"
# Who may be given a ticket: staff who may work on it.
ASSIGNABLE_PERMISSION = "helpdesk.change_ticket"


@dataclass(frozen=True)
class QueueFilters:
    status: str  # "" (active), "all", or a TicketStatus value
    category: str
    assigned: str  # "", "me" or "nobody"
    overdue: bool

    def assigned_to(self, *, me: int) -> int | None:
        """``staff_queue``'s ``assigned_to``: None for anyone, 0 for nobody."""
        if self.assigned == ASSIGNED_ME:
            return me
        if self.assigned == ASSIGNED_NOBODY:
            return 0
        return None


class QueueForm(StaffForm):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", _("Waiting for us or for the customer")),
            *TicketStatus.choices,
            (STATUS_ANY, _("Any status")),
        ],
    )
    category = forms.ChoiceField(
        label=_("Category"),
        required=False,
        choices=[("", _("Any category")), *TicketCategory.choices],
    )
    assigned = forms.ChoiceField(
        label=_("Assigned to"),
        required=False,
        choices=[("", _("Anyone")), (ASSIGNED_ME, _("Me")), (ASSIGNED_NOBODY, _("Nobody yet"))],
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)

    def filters(self) -> QueueFilters:
        data: dict[str, Any] = getattr(self, "cleaned_data", {}) if self.is_bound else {}
        return QueueFilters(
            status=str(data.get("status") or ""),
            category=str(data.get("category") or ""),
            assigned=str(data.get("assigned") or ""),
            overdue=bool(data.get("overdue")),
        )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class FilesField(forms.FileField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget",
            MultipleFileInput(attrs={"multiple": True, "accept": ".pdf,.png,.jpg,.jpeg"}),
        )
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", _("Optional. PDF, PNG or JPEG, 10 MB each."))
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class SavedReplyChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.title} ({obj.get_language_display()})"


class StaffChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.get_full_name() or obj.get_username())


class SavedReplyPickForm(StaffForm):
    """The picker above the reply form: a GET that fills the reply with the chosen text."""

    saved_reply = SavedReplyChoice(
        label=_("Saved reply"),
        queryset=SavedReply.objects.none(),
        empty_label=_("Choose a saved reply"),
    )

    def __init__(self, *args: Any, replies: QuerySet[SavedReply], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["saved_reply"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = replies


class ReplyForm(StaffForm):
    body = forms.CharField(
        label=_("Reply to the customer"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("The customer reads this and is told by email or text message."),
    )
    attachments = FilesField(label=_("Files"))

    DOMAIN_FIELDS = {"body": "body", "files": "attachments"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "reply_%s")
        super().__init__(*args, **kwargs)


class NoteForm(StaffForm):
    body = forms.CharField(
        label=_("Internal note"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only staff read it. The customer never sees it and is not told."),
    )

    DOMAIN_FIELDS = {"body": "body"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "note_%s")
        super().__init__(*args, **kwargs)


def assignable_staff() -> QuerySet[User]:
    """Active staff who may work on tickets, by name."""
    return (
        User.objects.with_perm(
            ASSIGNABLE_PERMISSION,
            is_active=True,
            backend="django.contrib.auth.backends.ModelBackend",
        )
        .filter(is_staff=True)
        .order_by("first_name", "last_name", "username")
    )


class AssignForm(StaffForm):
    assignee = StaffChoice(
        label=_("Assign to"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Nobody (put it back in the queue)"),
    )

    DOMAIN_FIELDS = {"assignee_id": "assignee"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["assignee"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = assignable_staff()


class MergeForm(StaffForm):
    into = forms.CharField(
        label=_("Merge into ticket number"),
        max_length=20,
        help_text=_("Another ticket of the same account. This ticket's thread moves there."),
    )

    DOMAIN_FIELDS = {"into_ticket_id": "into", "ticket_id": "into"}

    def clean_into(self) -> int:
        number = str(self.cleaned_data["into"]).strip().upper()
        found = Ticket.objects.filter(number__iexact=number).values_list("pk", flat=True).first()
        if found is None:
            raise forms.ValidationError(_("No ticket has this number. Check it and try again."))
        return int(found)


def offer_label(window: WindowOffer) -> str:
    """``Tuesday, March 3, between 8 a.m. and 10 a.m. (2 places left)``"""
    return str(
        ngettext(
            "%(window)s (%(places)d place left)",
            "%(window)s (%(places)d places left)",
            window.open_places,
        )
        % {"window": window_label(window), "places": window.open_places}
    )


class EscalateForm(StaffForm):
    reason = forms.ChoiceField(label=_("Reason for the visit"), choices=VisitReason.choices)
    window = forms.TypedChoiceField(
        label=_("Arrival window"),
        coerce=int,
        choices=[],
        widget=forms.RadioSelect,
        help_text=_("Open windows in the account's service area."),
    )

    DOMAIN_FIELDS = {"reason": "reason", "window_id": "window"}

    def __init__(self, *args: Any, windows: list[WindowOffer], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.offer(windows)

    def offer(self, windows: list[WindowOffer]) -> None:
        field = self.fields["window"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [(str(w.id), offer_label(w)) for w in windows]


class SavedReplyForm(StaffForm):
    title = forms.CharField(label=_("Title"), max_length=120)
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    body = forms.CharField(
        label=_("Reply"), max_length=5000, widget=forms.Textarea(attrs={"rows": 8})
    )

    DOMAIN_FIELDS = {"title": "title", "language": "language", "body": "body"}


class ServiceLevelForm(StaffForm):
    """One category's hours; the category is the form's prefix and a hidden field of the
    page's own."""

    hours = forms.IntegerField(
        label=_("Answer within (hours)"),
        min_value=MIN_HOURS,
        max_value=MAX_HOURS,
        help_text=_("From 1 to 720 hours (30 days)."),
    )
