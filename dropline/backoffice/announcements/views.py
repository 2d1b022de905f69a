"""Staff pages for outage and maintenance announcements: list, create, preview, send
and resolve.

Thin: parse input, call ``dropline.notifications.announcements``, render.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages as flash
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dropline.accounts.requests import signed_in_user
from dropline.backoffice.access import staff_permission_required
from dropline.backoffice.announcements.forms import AnnouncementForm, ResolveForm
from dropline.backoffice.common import MAX_PAGES, PAGE_SIZE, with_rendered_html_policy
from dropline.core import clock
from dropline.core.pagination import numbered_page
from dropline.notifications import announcements, queries
from dropline.notifications.channels.segments import SegmentCount, count_segments
from dropline.notifications.models import Announcement, AnnouncementStatus
from dropline.notifications.rendering import Rendered
from dropline.notifications.rendering import render as render_message

NOTICE_EVENT = "announcement.notice"
RESOLVED_EVENT = "announcement.resolved"
REFRESH_SECONDS = 3


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
    current = request.GET.get("current") == "1"
    found = queries.current_announcements(at=clock.now()) if current else Announcement.objects.all()
    found = (
        found.select_related("created_by").prefetch_related("areas").order_by("-created_at", "-id")
    )
    page = numbered_page(found, number=request.GET.get("page"), size=PAGE_SIZE, max_pages=MAX_PAGES)
    return render(
        request,
        "backoffice/announcements/announcements.html",
        {"page": page, "current": current},
    )


@staff_permission_required("notifications.add_announcement")
def announcement_new(request: HttpRequest) -> HttpResponse:
    form = AnnouncementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
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
                request=request,
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
    return with_rendered_html_policy(response)


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
        announcements.start_sending(announcement=announcement, request=request)
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
        announcements.resolve(
            announcement=announcement,
            resolution_en=form.cleaned_data["resolution_en"],
            resolution_es=form.cleaned_data["resolution_es"],
            request=request,
        )
    except announcements.AnnouncementError:
        flash.error(request, _("Only an announcement that has finished sending can be resolved."))
    else:
        flash.success(request, _("The resolved notice is on its way."))
    return redirect("backoffice:announcement", pk=pk)
