"""Staff pages for notifications: the message log, the SMS simulator's inbox,
announcements (create, preview, send, resolve) and message template previews.

Thin: parse input, call ``dropline.notifications``, render.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.conf import settings
from django.contrib import messages as flash
from django.db import transaction
from django.db.models import Model, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template import TemplateDoesNotExist, TemplateSyntaxError
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dropline.accounts.models import User
from dropline.accounts.requests import signed_in_user
from dropline.backoffice.access import staff_permission_required
from dropline.backoffice.notifications.forms import (
    AnnouncementForm,
    MessageFilterForm,
    ResolveForm,
    SmsFilterForm,
    TemplatePreviewForm,
)
from dropline.core import audit, clock
from dropline.core.security import CONTENT_SECURITY_POLICY
from dropline.customers.models import AccountMember, CustomerAccount
from dropline.customers.numbering import normalize_account_number
from dropline.notifications import announcements
from dropline.notifications.channels.segments import SegmentCount, count_segments
from dropline.notifications.contacts import ContactError, normalize
from dropline.notifications.models import (
    Announcement,
    AnnouncementKind,
    AnnouncementStatus,
    ContactKind,
    Message,
    SimulatedSms,
)
from dropline.notifications.rendering import Rendered
from dropline.notifications.rendering import render as render_message

PAGE_SIZE = 50
# Pages past this are refused: narrow the filters instead. Keeps every page's
# OFFSET small and the log free of a COUNT over the whole outbox.
MAX_PAGES = 100
NOTICE_EVENT = "announcement.notice"
RESOLVED_EVENT = "announcement.resolved"
REFRESH_SECONDS = 3


def _rendered_html_policy() -> str:
    """The site's Content-Security-Policy, adjusted for pages that show rendered
    e-mail HTML in a sandboxed ``srcdoc`` frame, which inherits the page's policy:
    the e-mail's inline styles may apply, and there is no ``frame-ancestors`` (the
    frame would inherit it and refuse to show; X-Frame-Options still keeps the
    page itself out of other sites' frames). Scripts, other origins and remote
    images stay blocked, for the page and the frame alike."""
    directives = []
    for directive in CONTENT_SECURITY_POLICY.split(";"):
        name = directive.split()[0]
        if name == "frame-ancestors":
            continue
        directives.append("style-src 'self' 'unsafe-inline'" if name == "style-src" else directive)
    return "; ".join(d.strip() for d in directives)


RENDERED_HTML_POLICY = _rendered_html_policy()

RowT = TypeVar("RowT", bound=Model)


@dataclass(frozen=True)
class BoundedPage(Generic[RowT]):
    rows: list[RowT]
    number: int
    has_previous: bool
    has_next: bool
    at_limit: bool  # more rows exist past the last page offered

    @property
    def previous_number(self) -> int:
        return self.number - 1

    @property
    def next_number(self) -> int:
        return self.number + 1


def bounded_page(queryset: QuerySet[RowT], *, page: str | None) -> BoundedPage[RowT]:
    """One page of ``PAGE_SIZE`` rows in one query (no COUNT), at most ``MAX_PAGES`` deep."""
    try:
        number = min(max(int(page or 1), 1), MAX_PAGES)
    except ValueError:
        number = 1
    start = (number - 1) * PAGE_SIZE
    rows = list(queryset[start : start + PAGE_SIZE + 1])
    more = len(rows) > PAGE_SIZE
    return BoundedPage(
        rows=rows[:PAGE_SIZE],
        number=number,
        has_previous=number > 1,
        has_next=more and number < MAX_PAGES,
        at_limit=more and number == MAX_PAGES,
    )


def _with_rendered_html_policy(response: HttpResponse) -> HttpResponse:
    response["Content-Security-Policy"] = RENDERED_HTML_POLICY
    return response


def _phone_or_none(text: str) -> str | None:
    try:
        return normalize(kind=ContactKind.PHONE, address=text)
    except ContactError:
        return None


# Message log ----------------------------------------------------------------


def _filtered_messages(filters: dict[str, Any]) -> QuerySet[Message]:
    found = (
        Message.objects.select_related("user", "account")
        .defer("body_text", "body_html")
        .order_by("-created_at", "-id")
    )
    number = normalize_account_number(filters.get("account") or "")
    if number:
        # Announcements reach people, not accounts (their messages carry no account):
        # an account's log includes its members' messages that name no account.
        members = AccountMember.objects.filter(account__number=number).values("user_id")
        found = found.filter(
            Q(account__number=number) | Q(account__isnull=True, user_id__in=members)
        )
    recipient = (filters.get("recipient") or "").strip()
    if recipient:
        condition = Q(to_address__iexact=recipient) | Q(user__username__iexact=recipient)
        phone = _phone_or_none(recipient) if "@" not in recipient else None
        if phone:
            condition |= Q(to_address=phone)
        found = found.filter(condition)
    for field in ("category", "channel", "status"):
        if filters.get(field):
            found = found.filter(**{field: filters[field]})
    return found


@staff_permission_required("notifications.view_message")
def message_log(request: HttpRequest) -> HttpResponse:
    form = MessageFilterForm(request.GET or None)
    filters: dict[str, Any] = {}
    if form.is_bound:
        form.is_valid()  # an invalid filter is dropped (and shown); the others still apply
        filters = form.cleaned_data
    page = bounded_page(_filtered_messages(filters), page=request.GET.get("page"))
    return render(
        request,
        "backoffice/notifications/messages.html",
        {"form": form, "page": page, "filtered": any(filters.values())},
    )


@staff_permission_required("notifications.view_message")
def message_detail(request: HttpRequest, pk: int) -> HttpResponse:
    message = get_object_or_404(Message.objects.select_related("user", "account"), pk=pk)
    response = render(
        request,
        "backoffice/notifications/message.html",
        {"message": message, "attempts": list(message.delivery_attempts.all())},
    )
    return _with_rendered_html_policy(response)


# SMS simulator ---------------------------------------------------------------


@staff_permission_required("notifications.view_simulatedsms")
def sms_inbox(request: HttpRequest) -> HttpResponse:
    form = SmsFilterForm(request.GET or None)
    texts = SimulatedSms.objects.order_by("-sent_at", "-id")
    to = form.cleaned_data["to"].strip() if form.is_valid() else ""
    if to:
        texts = texts.filter(to__in={to, _phone_or_none(to) or to})
    page = bounded_page(texts, page=request.GET.get("page"))
    return render(
        request,
        "backoffice/notifications/sms_inbox.html",
        {"form": form, "page": page, "filtered": bool(to)},
    )


# Announcements ---------------------------------------------------------------


@dataclass(frozen=True)
class LanguagePreview:
    code: str
    name: str
    rendered: Rendered
    sms_segments: SegmentCount


def _previews(announcement: Announcement, event: str) -> list[LanguagePreview]:
    previews = []
    for code, name in settings.LANGUAGES:
        rendered = render_message(
            event=event, language=code, context={"announcement": announcement}
        )
        previews.append(LanguagePreview(code, str(name), rendered, count_segments(rendered.sms)))
    return previews


@staff_permission_required("notifications.view_announcement")
def announcement_list(request: HttpRequest) -> HttpResponse:
    found = (
        Announcement.objects.select_related("created_by")
        .prefetch_related("areas")
        .order_by("-created_at", "-id")
    )
    page = bounded_page(found, page=request.GET.get("page"))
    return render(request, "backoffice/announcements/announcements.html", {"page": page})


@staff_permission_required("notifications.add_announcement")
def announcement_new(request: HttpRequest) -> HttpResponse:
    form = AnnouncementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                announcement = announcements.create_announcement(
                    kind=data["kind"],
                    areas=data["areas"],
                    starts_at=data["starts_at"],
                    ends_at=data["ends_at"],
                    title_en=data["title_en"],
                    title_es=data["title_es"],
                    body_en=data["body_en"],
                    body_es=data["body_es"],
                    created_by=signed_in_user(request),
                )
                audit.record(
                    action="announcement.created",
                    request=request,
                    target=announcement,
                    data={"kind": announcement.kind, "areas": [a.code for a in data["areas"]]},
                )
        except announcements.AnnouncementError as exc:
            form.add_error(None, str(exc))
        else:
            flash.success(request, _("Announcement saved as a draft. Check it, then send it."))
            return redirect("backoffice:announcement", pk=announcement.pk)
    return render(
        request,
        "backoffice/announcements/announcement_form.html",
        {"form": form, "time_zone": settings.TIME_ZONE},
    )


def _announcement_page(
    request: HttpRequest,
    announcement: Announcement,
    *,
    resolve_form: ResolveForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The preview before sending, the progress after, and the forms that move it on."""
    draft = announcement.status == AnnouncementStatus.DRAFT
    sending = announcement.status == AnnouncementStatus.SENDING
    resolved = announcement.status == AnnouncementStatus.RESOLVED
    can_change = signed_in_user(request).has_perm("notifications.change_announcement")
    if resolve_form is None and can_change and announcement.status == AnnouncementStatus.SENT:
        resolve_form = ResolveForm()
    response = render(
        request,
        "backoffice/announcements/announcement.html",
        {
            "announcement": announcement,
            "areas": list(announcement.areas.all()),
            "draft": draft,
            "sending": sending,
            "resolved": resolved,
            "refresh": REFRESH_SECONDS if sending and request.GET.get("auto") == "on" else None,
            "reach": announcements.accounts_reached(announcement).count() if draft else None,
            "notice_previews": _previews(announcement, NOTICE_EVENT),
            "resolved_previews": _previews(announcement, RESOLVED_EVENT) if resolved else [],
            "can_send": can_change and draft,
            "resolve_form": resolve_form,
        },
        status=status,
    )
    return _with_rendered_html_policy(response)


def _announcement_or_404(pk: int) -> Announcement:
    return get_object_or_404(
        Announcement.objects.select_related("created_by").prefetch_related("areas"), pk=pk
    )


@staff_permission_required("notifications.view_announcement")
def announcement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _announcement_page(request, _announcement_or_404(pk))


@staff_permission_required("notifications.change_announcement")
@require_POST
def announcement_send(request: HttpRequest, pk: int) -> HttpResponse:
    announcement = get_object_or_404(Announcement, pk=pk)
    try:
        with transaction.atomic():
            announcements.start_sending(announcement=announcement)
            announcement.refresh_from_db()
            audit.record(
                action="announcement.sent",
                request=request,
                target=announcement,
                data={"accounts_total": announcement.accounts_total},
            )
    except announcements.AnnouncementError:
        flash.error(request, _("This announcement has already been sent; it was not sent again."))
    else:
        flash.success(request, _("Sending started."))
    return redirect("backoffice:announcement", pk=pk)


@staff_permission_required("notifications.change_announcement")
@require_POST
def announcement_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    announcement = _announcement_or_404(pk)
    form = ResolveForm(request.POST)
    if not form.is_valid():
        return _announcement_page(request, announcement, resolve_form=form, status=400)
    try:
        with transaction.atomic():
            announcements.resolve(
                announcement=announcement,
                resolution_en=form.cleaned_data["resolution_en"],
                resolution_es=form.cleaned_data["resolution_es"],
            )
            announcement.refresh_from_db()
            audit.record(
                action="announcement.resolved",
                request=request,
                target=announcement,
                data={"resolution_total": announcement.resolution_total},
            )
    except announcements.AnnouncementError:
        flash.error(request, _("Only an announcement that has finished sending can be resolved."))
    else:
        flash.success(request, _("The resolved notice is on its way."))
    return redirect("backoffice:announcement", pk=pk)


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
    return _with_rendered_html_policy(response)
