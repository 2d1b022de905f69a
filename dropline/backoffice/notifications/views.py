"""Staff pages for notifications: the message log, one message, the SMS simulator's
inbox and message template previews.

Thin: parse input, call ``dropline.notifications`` (the message log's rule is
``notifications.queries.message_log``), render.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template import TemplateDoesNotExist, TemplateSyntaxError

from dropline.accounts.models import User
from dropline.backoffice.access import staff_permission_required
from dropline.backoffice.common import MAX_PAGES, PAGE_SIZE, with_rendered_html_policy
from dropline.backoffice.notifications.forms import (
    MessageFilterForm,
    SmsFilterForm,
    TemplatePreviewForm,
)
from dropline.core import clock
from dropline.core.pagination import numbered_page
from dropline.customers.models import CustomerAccount
from dropline.notifications import queries
from dropline.notifications.channels.segments import SegmentCount, count_segments
from dropline.notifications.models import (
    Announcement,
    AnnouncementKind,
    AnnouncementStatus,
    Message,
)
from dropline.notifications.rendering import Rendered
from dropline.notifications.rendering import render as render_message

# Message log ----------------------------------------------------------------


@staff_permission_required("notifications.view_message")
def message_log(request: HttpRequest) -> HttpResponse:
    form = MessageFilterForm(request.GET or None)
    if form.is_bound:
        form.is_valid()  # an invalid filter is dropped (and shown); the others still apply
    filters = form.filters()
    page = queries.message_log(filters=filters, page=request.GET.get("page"))
    return render(
        request,
        "backoffice/notifications/messages.html",
        {"form": form, "page": page, "filtered": not filters.is_empty()},
    )


@staff_permission_required("notifications.view_message")
def message_detail(request: HttpRequest, pk: int) -> HttpResponse:
    message = get_object_or_404(Message.objects.select_related("user", "account"), pk=pk)
    response = render(
        request,
        "backoffice/notifications/message.html",
        {"message": message, "attempts": list(message.delivery_attempts.all())},
    )
    return with_rendered_html_policy(response)


# SMS simulator ---------------------------------------------------------------


@staff_permission_required("notifications.view_simulatedsms")
def sms_inbox(request: HttpRequest) -> HttpResponse:
    form = SmsFilterForm(request.GET or None)
    to = form.cleaned_data["to"].strip() if form.is_valid() else ""
    page = numbered_page(
        queries.simulated_texts(to=to),
        number=request.GET.get("page"),
        size=PAGE_SIZE,
        max_pages=MAX_PAGES,
    )
    return render(
        request,
        "backoffice/notifications/sms_inbox.html",
        {"form": form, "page": page, "filtered": bool(to)},
    )


# Template preview ----------------------------------------------------------------


def sample_announcement() -> Announcement:
    """An unsaved announcement with sample text, for previewing templates."""
    starts = (clock.now() + dt.timedelta(days=1)).replace(minute=0, second=0, microsecond=0)
    return Announcement(
        kind=AnnouncementKind.MAINTENANCE,
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=4),
        title_en="Planned maintenance in Riverbend North",
        title_es="Mantenimiento programado en Riverbend North",
        body_en="We are upgrading the network. Internet and TV may drop for up to 30 minutes.",
        body_es=(
            "Estamos mejorando la red. Internet y la televisión pueden cortarse hasta 30 minutos."
        ),
        resolution_en="The maintenance is finished and every service is back.",
        resolution_es="El mantenimiento ha terminado y todos los servicios funcionan.",
        status=AnnouncementStatus.DRAFT,
        created_at=clock.now(),
    )


def _sample_context() -> dict[str, Any]:
    return {
        "announcement": sample_announcement(),
        "user": User(username="sample", first_name="Maria", last_name="Rivera"),
        "account": CustomerAccount(number="826000012345", name="Rivera Household"),
    }


@staff_permission_required("notifications.view_announcement")
def template_preview(request: HttpRequest) -> HttpResponse:
    form = TemplatePreviewForm(request.GET or None)
    rendered: Rendered | None = None
    segments: SegmentCount | None = None
    problem = ""
    if form.is_valid():
        try:
            rendered = render_message(
                event=form.cleaned_data["event"],
                language=form.cleaned_data["language"],
                context=_sample_context(),
            )
        except (TemplateDoesNotExist, TemplateSyntaxError) as exc:
            problem = str(exc)
        except (AttributeError, KeyError, TypeError, ValueError) as exc:
            # A template written for other context than the sample announcement.
            problem = f"{type(exc).__name__}: {exc}"
        else:
            segments = count_segments(rendered.sms)
    response = render(
        request,
        "backoffice/notifications/template_preview.html",
        {"form": form, "rendered": rendered, "segments": segments, "problem": problem},
    )
    return with_rendered_html_policy(response)
