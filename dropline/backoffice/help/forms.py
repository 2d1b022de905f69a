"""Forms for the help article editor: they parse input, ``helpdesk.help.publishing``
decides."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from dropline.backoffice.common import StaffForm
from dropline.helpdesk.help.publishing import MAX_POSITION, Draft
from dropline.helpdesk.models import ArticleStatus, HelpTopic


class DraftForm(StaffForm):
    title = forms.CharField(label=_("Title"), max_length=160)
    summary = forms.CharField(
        label=_("Summary"),
        max_length=300,
        required=False,
        help_text=_("One sentence, shown in lists and search results."),
    )
    topic = forms.ChoiceField(label=_("Topic"), choices=HelpTopic.choices)
    position = forms.IntegerField(
        label=_("Position"),
        min_value=0,
        max_value=MAX_POSITION,
        initial=100,
        help_text=_("Lower numbers come first within the topic."),
    )
    body = forms.CharField(
        label=_("Text (Markdown)"),
        max_length=50000,
        widget=forms.Textarea(attrs={"rows": 22}),
        help_text=_("Headings with ##, lists with - or 1., links as [words](/billing/)."),
    )

    def draft(self) -> Draft:
        data = self.cleaned_data
        return Draft(
            title=data["title"],
            summary=data["summary"],
            topic=data["topic"],
            position=data["position"],
            body=data["body"],
        )


class NewArticleForm(DraftForm):
    slug = forms.SlugField(
        label=_("Address"),
        max_length=80,
        help_text=_("The end of the article's web address, like restart-your-modem."),
    )
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)

    field_order = ["slug", "language", "title", "summary", "topic", "position", "body"]


class ListFilterForm(StaffForm):
    topic = forms.ChoiceField(
        label=_("Topic"), choices=[("", _("Every topic")), *HelpTopic.choices], required=False
    )
    language = forms.ChoiceField(
        label=_("Language"),
        choices=[("", _("Every language")), *settings.LANGUAGES],
        required=False,
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("Every status")), *ArticleStatus.choices],
        required=False,
    )
