"""The customer's notification pages: settings (with quiet hours), the notification
center and one-click unsubscribe. Thin: parse input, call ``dropline.notifications``,
render. The contact pages share this URL namespace; they are ``dropline.portal.contacts``.

Every message is looked up with the signed-in person in the query, so another person's
id answers 404.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms import BoundField
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dropline.accounts.requests import signed_in_user
from dropline.core import pagination
from dropline.notifications import inbox as notification_centre
from dropline.notifications import preferences as choices
from dropline.notifications import queries as notification_queries
from dropline.notifications import unsubscribe as unsubscribing
from dropline.notifications.categories import ESSENTIAL, Category, Channel
from dropline.notifications.models import Message
from dropline.portal.notifications.forms import (
    PreferencesForm,
    QuietHoursForm,
    preference_field,
)

INBOX_PAGE_SIZE = 25
INBOX_MAX_PAGES = 100  # the newest 2,500 notifications; "Page x of N" counts no further


# Notification settings ----------------------------------------------------------------


@dataclass(frozen=True)
class GridCell:
    channel_label: str
    field: BoundField


@dataclass(frozen=True)
class GridRow:
    category: str
    label: str
    essential: bool
    cells: list[GridCell]


def _grid_rows(form: PreferencesForm) -> list[GridRow]:
    return [
        GridRow(
            category=category,
            label=str(Category(category).label),
            essential=category in ESSENTIAL,
            cells=[
                GridCell(
                    channel_label=str(Channel(channel).label),
                    field=form[preference_field(category, channel)],
                )
                for channel in Channel.values
            ],
        )
        for category in Category.values
    ]


def _preferences_page(
    request: HttpRequest,
    *,
    form: PreferencesForm | None = None,
    quiet_form: QuietHoursForm | None = None,
) -> HttpResponse:
    user = signed_in_user(request)
    if form is None:
        form = PreferencesForm(grid=choices.preference_grid(user=user))
    quiet = notification_queries.quiet_hours(user=user)
    if quiet_form is None:
        quiet_form = QuietHoursForm(
            initial={"starts": quiet.starts, "ends": quiet.ends} if quiet else None,
            current_zone=quiet.time_zone if quiet else None,
        )
    return render(
        request,
        "portal/notifications/preferences.html",
        {
            "form": form,
            "rows": _grid_rows(form),
            "channels": [str(label) for label in Channel.labels],
            "quiet_form": quiet_form,
            "quiet": quiet,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    if request.method != "POST":
        return _preferences_page(request)
    form = PreferencesForm(request.POST, grid=choices.preference_grid(user=user))
    if not form.is_valid():  # checkboxes cannot be invalid; kept for safety
        return _preferences_page(request, form=form)
    choices.set_preferences(user=user, grid=form.chosen_grid())
    messages.success(request, _("Your notification settings are saved."))
    return redirect("notifications:preferences")


@login_required
@require_POST
def quiet_hours(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    current = notification_queries.quiet_hours(user=user)
    form = QuietHoursForm(request.POST, current_zone=current.time_zone if current else None)
    if form.is_valid():
        try:
            choices.set_quiet_hours(
                user=user,
                starts=form.cleaned_data["starts"],
                ends=form.cleaned_data["ends"],
                time_zone=form.cleaned_data["time_zone"],
            )
        except choices.QuietHoursError as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(
                request,
                _("Quiet hours are off: text messages can arrive at any time.")
                if form.turns_off
                else _("Your quiet hours are saved."),
            )
            return redirect(f"{reverse('notifications:preferences')}#quiet-hours")
    return _preferences_page(request, quiet_form=form)


# Notification center ------------------------------------------------------------------


@dataclass(frozen=True)
class InboxItem:
    message: Message
    link: str

    @property
    def unread(self) -> bool:
        return self.message.read_at is None


def _page_number(request: HttpRequest) -> int:
    return pagination.page_number(request.POST.get("page"), max_pages=INBOX_MAX_PAGES)


def _back_to_inbox(page: int, anchor: str = "") -> HttpResponse:
    url = reverse("notifications:inbox")
    if page > 1:
        url += f"?page={page}"
    return redirect(f"{url}#{anchor}" if anchor else url)


@login_required
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    rows = notification_centre.inbox_for(user=user)
    # A page past the last is the last, as the page count says.
    page_count = pagination.page_count(rows, size=INBOX_PAGE_SIZE, max_pages=INBOX_MAX_PAGES)
    page = pagination.numbered_page(
        rows, number=request.GET.get("page"), size=INBOX_PAGE_SIZE, max_pages=page_count
    )
    items = [
        InboxItem(message=message, link=notification_centre.safe_link(message.link))
        for message in page.rows
    ]
    return render(
        request,
        "portal/notifications/inbox.html",
        {"page": page, "page_count": page_count, "items": items},
    )


@login_required
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    count = notification_centre.mark_read(user=signed_in_user(request))
    if count:
        messages.success(
            request,
            ngettext(
                "%(count)d notification marked as read.",
                "%(count)d notifications marked as read.",
                count,
            )
            % {"count": count},
        )
    return _back_to_inbox(_page_number(request))


@login_required
@require_POST
def mark_read(request: HttpRequest, message_id: int) -> HttpResponse:
    user = signed_in_user(request)
    message = get_object_or_404(notification_centre.inbox_for(user=user), pk=message_id)
    notification_centre.mark_read(user=user, message_id=message.pk)
    return _back_to_inbox(_page_number(request), anchor=f"message-{message.pk}")


# Unsubscribe ----------------------------------------------------------------------------


@csrf_exempt  # RFC 8058: mail clients POST "List-Unsubscribe=One-Click" with no token
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """Stop one category's email from a signed link, signed in or not.

    GET only asks; POST (our button, or a mail client's one-click request) acts.
    """
    link = unsubscribing.read_link(token)
    if link is None:
        return render(request, "portal/notifications/unsubscribe_invalid.html", status=400)
    context = {
        "category": link.category_label,
        "essential": link.essential,
        "token": token,
        "done": request.method == "POST" and unsubscribing.unsubscribe(link=link),
    }
    return render(request, "portal/notifications/unsubscribe.html", context)
