"""Input for support requests: the forms only parse; ``dropline.helpdesk.tickets`` decides,
files included (checked by content there)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from dropline.helpdesk.models import TicketCategory
from dropline.helpdesk.tickets.text import MAX_BODY, MAX_RATING_COMMENT, MAX_SUBJECT
from dropline.portal.disputes.forms import MultipleFileField


class TicketForm(forms.Form):
    category = forms.ChoiceField(
        label=_("What is it about?"),
        choices=[("", _("Choose a topic")), *TicketCategory.choices],
    )
    subject = forms.CharField(
        label=_("Subject"),
        max_length=MAX_SUBJECT,
        help_text=_("A few words, such as “Internet drops every evening”."),
    )
    description = forms.CharField(
        label=_("How can we help?"),
        max_length=MAX_BODY,
        help_text=_("Tell us what happens, since when, and anything you already tried."),
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    attachments = MultipleFileField(label=_("Files (a photo, a screenshot)"))

    # Which field shows a domain refusal.
    DOMAIN_FIELDS = {
        "category": "category",
        "subject": "subject",
        "description": "description",
        "files": "attachments",
    }


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Your message"), max_length=MAX_BODY, widget=forms.Textarea(attrs={"rows": 4})
    )
    attachments = MultipleFileField(label=_("Files"))

    DOMAIN_FIELDS = {"body": "body", "files": "attachments"}


class RateForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("How was our help?"),
        choices=[
            (5, _("5: Very good")),
            (4, _("4: Good")),
            (3, _("3: All right")),
            (2, _("2: Poor")),
            (1, _("1: Very poor")),
        ],
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Anything to add? (optional)"),
        max_length=MAX_RATING_COMMENT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    DOMAIN_FIELDS = {"rating": "rating", "comment": "comment"}
