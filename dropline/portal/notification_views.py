"""The customer's notification pages: contact details, settings, the notification centre
and one-click unsubscribe. Thin: parse input, call ``dropline.notifications``, render.

Every contact and message is looked up with the signed-in person in the query, so
another person's id answers 404.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Page, Paginator
from django.forms import BoundField
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dropline.accounts.models import User
from dropline.accounts.requests import signed_in_user
from dropline.core.phones import display_phone
from dropline.identity.security_events import record as security_events
from dropline.notifications import contacts as contact_points
from dropline.notifications import inbox as notification_centre
from dropline.notifications import preferences as choices
from dropline.notifications.categories import ESSENTIAL, Category, Channel
from dropline.notifications.models import (
    ContactKind,
    ContactPoint,
    ContactStatus,
    Message,
    QuietHours,
)
from dropline.notifications.unsubscribe import read_token
from dropline.portal.notification_forms import (
    AddContactForm,
    CodeForm,
    PreferencesForm,
    QuietHoursForm,
    preference_field,
)

INBOX_PAGE_SIZE = 25


# Contact details ----------------------------------------------------------------------


@dataclass
class ContactRow:
    contact: ContactPoint
    shown: str
    code_form: CodeForm | None = None
    errors: list[str] = field(default_factory=list)

    @property
    def undeliverable(self) -> bool:
        return self.contact.status == ContactStatus.UNDELIVERABLE

    @property
    def needs_code(self) -> bool:
        return needs_code(self.contact)


def needs_code(contact: ContactPoint) -> bool:
    """Unverified, or verified once but bouncing now: a new code proves it works."""
    return not contact.is_verified or contact.status == ContactStatus.UNDELIVERABLE


def shown_address(contact: ContactPoint) -> str:
    if contact.kind == ContactKind.PHONE:
        return display_phone(contact.address)
    return contact.address


def _code_prefix(contact_id: int) -> str:
    return f"contact-{contact_id}"


def _own_contact(user: User, contact_id: int) -> ContactPoint:
    return get_object_or_404(ContactPoint, pk=contact_id, user=user)


def _back_to(contact_id: int | None = None) -> HttpResponse:
    url = reverse("notifications:contacts")
    return redirect(f"{url}#contact-{contact_id}" if contact_id is not None else url)


def _contacts_page(
    request: HttpRequest,
    *,
    add_form: AddContactForm | None = None,
    code_forms: dict[int, CodeForm] | None = None,
    errors: dict[int, list[str]] | None = None,
) -> HttpResponse:
    user = signed_in_user(request)
    rows = []
    for contact in contact_points.contacts_for(user=user):
        row = ContactRow(
            contact=contact,
            shown=shown_address(contact),
            errors=(errors or {}).get(contact.pk, []),
        )
        if row.needs_code:
            row.code_form = (code_forms or {}).get(contact.pk) or CodeForm(
                prefix=_code_prefix(contact.pk)
            )
        rows.append(row)
    return render(
        request,
        "portal/notifications/contacts.html",
        {
            "emails": [row for row in rows if row.contact.kind == ContactKind.EMAIL],
            "phones": [row for row in rows if row.contact.kind == ContactKind.PHONE],
            "add_form": add_form or AddContactForm(),
        },
    )


@login_required
@require_GET
def contacts(request: HttpRequest) -> HttpResponse:
    return _contacts_page(request)


@login_required
@require_POST
@reauthentication_required
def add_contact(request: HttpRequest) -> HttpResponse:
    """Add an address and send it a code; if the code cannot be sent, keep nothing."""
    user = signed_in_user(request)
    form = AddContactForm(request.POST)
    if not form.is_valid():
        return _contacts_page(request, add_form=form)
    try:
        contact = contact_points.add_contact(
            user=user, kind=form.cleaned_data["kind"], address=form.cleaned_data["address"]
        )
    except contact_points.ContactError as exc:
        form.add_error("address", str(exc))
        return _contacts_page(request, add_form=form)
    try:
        contact_points.send_verification_code(contact=contact)
    except contact_points.ContactError as exc:
        contact_points.remove_contact(contact=contact)
        form.add_error("address", str(exc))
        return _contacts_page(request, add_form=form)
    messages.success(
        request,
        _("We sent a code to %(address)s. Enter it below to confirm the address.")
        % {"address": shown_address(contact)},
    )
    return _back_to(contact.pk)


@login_required
@require_POST
def verify_contact(request: HttpRequest, contact_id: int) -> HttpResponse:
    contact = _own_contact(signed_in_user(request), contact_id)
    if not needs_code(contact):
        messages.info(request, _("This address is already confirmed."))
        return _back_to(contact.pk)
    form = CodeForm(request.POST, prefix=_code_prefix(contact.pk))
    if form.is_valid():
        try:
            contact_points.verify_code(contact=contact, code=form.cleaned_data["code"])
        except contact_points.ContactError as exc:
            form.add_error("code", str(exc))
        else:
            security_events.contact_changed(
                request=request, user=contact.user, kind=contact.kind, added=contact.address
            )
            messages.success(
                request,
                _("%(address)s is confirmed.") % {"address": shown_address(contact)},
            )
            return _back_to(contact.pk)
    return _contacts_page(request, code_forms={contact.pk: form})


@login_required
@require_POST
def resend_code(request: HttpRequest, contact_id: int) -> HttpResponse:
    contact = _own_contact(signed_in_user(request), contact_id)
    try:
        contact_points.send_verification_code(contact=contact)
    except contact_points.ContactError as exc:
        return _contacts_page(request, errors={contact.pk: [str(exc)]})
    messages.success(
        request, _("We sent a new code to %(address)s.") % {"address": shown_address(contact)}
    )
    return _back_to(contact.pk)


@login_required
@require_POST
@reauthentication_required
def make_primary(request: HttpRequest, contact_id: int) -> HttpResponse:
    contact = _own_contact(signed_in_user(request), contact_id)
    try:
        contact_points.make_primary(contact=contact)
    except contact_points.ContactError as exc:
        return _contacts_page(request, errors={contact.pk: [str(exc)]})
    messages.success(
        request,
        _("We will use %(address)s first from now on.") % {"address": shown_address(contact)},
    )
    return _back_to(contact.pk)


@login_required
@require_POST
@reauthentication_required
def remove_contact(request: HttpRequest, contact_id: int) -> HttpResponse:
    contact = _own_contact(signed_in_user(request), contact_id)
    shown = shown_address(contact)
    try:
        contact_points.remove_contact(contact=contact)
    except contact_points.ContactError as exc:
        return _contacts_page(request, errors={contact.pk: [str(exc)]})
    if contact.is_verified:
        security_events.contact_changed(
            request=request, user=contact.user, kind=contact.kind, removed=contact.address
        )
    messages.success(request, _("%(address)s is removed.") % {"address": shown})
    return _back_to()


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
    quiet = QuietHours.objects.filter(user=user).first()
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
    current = QuietHours.objects.filter(user=user).values_list("time_zone", flat=True).first()
    form = QuietHoursForm(request.POST, current_zone=current)
    if form.is_valid():
        try:
            choices.set_quiet_hours(
                user=user,
                starts=form.cleaned_data["starts"],
                ends=form.cleaned_data["ends"],
                time_zone=form.cleaned_data["time_zone"],
            )
        except choices.PreferenceError:
            form.add_error(None, _("Choose a start, an end and a time zone from the list."))
        else:
            messages.success(
                request,
                _("Quiet hours are off: text messages can arrive at any time.")
                if form.turns_off
                else _("Your quiet hours are saved."),
            )
            return redirect(f"{reverse('notifications:preferences')}#quiet-hours")
    return _preferences_page(request, quiet_form=form)


# Notification centre ------------------------------------------------------------------


@dataclass(frozen=True)
class InboxItem:
    message: Message
    link: str

    @property
    def unread(self) -> bool:
        return self.message.read_at is None


def safe_link(link: str) -> str:
    """A message's link if it stays on this site or is plain http(s); else nothing."""
    if not link:
        return ""
    if link.startswith("/"):
        return link if not link.startswith(("//", "/\\")) else ""
    parts = urlsplit(link)
    return link if parts.scheme in {"http", "https"} and parts.netloc else ""


def _page_number(request: HttpRequest) -> int:
    try:
        return max(1, int(request.POST.get("page", "1")))
    except ValueError:
        return 1


def _back_to_inbox(page: int, anchor: str = "") -> HttpResponse:
    url = reverse("notifications:inbox")
    if page > 1:
        url += f"?page={page}"
    return redirect(f"{url}#{anchor}" if anchor else url)


@login_required
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    page: Page[Message] = Paginator(
        notification_centre.inbox_for(user=user), INBOX_PAGE_SIZE
    ).get_page(request.GET.get("page"))
    items = [InboxItem(message=message, link=safe_link(message.link)) for message in page]
    return render(request, "portal/notifications/inbox.html", {"page": page, "items": items})


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
    """Stop one category's e-mail from a signed link, signed in or not.

    GET only asks; POST (our button, or a mail client's one-click request) acts.
    """
    found = read_token(token)
    person = User.objects.filter(pk=found[0], is_active=True).first() if found else None
    if found is None or person is None or found[1] not in Category.values:
        return render(request, "portal/notifications/unsubscribe_invalid.html", status=400)
    category = found[1]
    context = {
        "category": Category(category).label,
        "essential": category in ESSENTIAL,
        "token": token,
        "done": False,
    }
    if request.method == "POST" and not context["essential"]:
        context["done"] = choices.unsubscribe(user=person, category=category)
    return render(request, "portal/notifications/unsubscribe.html", context)
