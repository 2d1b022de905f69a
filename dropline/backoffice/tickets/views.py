"""The tickets queue and a ticket for Customer care and Billing: open tickets by due time
(overdue ones said in words), filters by status, category, assignee and overdue; one ticket
with its whole thread (internal notes marked), replies (with a saved-reply picker; the
customer is told), internal notes, assigning, merging into another ticket of the same
account, escalating to a technician visit, and closing. Reading needs
``helpdesk.view_ticket``; a reply or note ``helpdesk.add_ticketmessage``; assigning,
merging and closing ``helpdesk.change_ticket``; escalating ``field.add_appointment``.
Thin: ``helpdesk.tickets`` decides."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages as flash
from django.core.exceptions import PermissionDenied
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dropline.accounts.requests import signed_in_user
from dropline.backoffice.access import staff_permission_required
from dropline.backoffice.common import MAX_PAGES, PAGE_SIZE
from dropline.backoffice.tickets.forms import (
    AssignForm,
    EscalateForm,
    MergeForm,
    NoteForm,
    QueueForm,
    ReplyForm,
    SavedReplyPickForm,
)
from dropline.core import clock, uploads
from dropline.core.pagination import numbered_page
from dropline.field.describe import window_label
from dropline.field.models import VisitReason
from dropline.field.queries import bookable_windows, upcoming_appointment
from dropline.helpdesk.errors import SupportError
from dropline.helpdesk.models import Ticket, TicketStatus
from dropline.helpdesk.tickets import closing, desk, queries, replying
from dropline.helpdesk.tickets.replying import REOPEN_DAYS
from dropline.helpdesk.tickets.saved_replies import picker_replies, saved_reply

VIEW = "helpdesk.view_ticket"
CHANGE = "helpdesk.change_ticket"
WRITE = "helpdesk.add_ticketmessage"
BOOK = "field.add_appointment"
FILES = "helpdesk.view_ticketattachment"
OPEN_STATUSES = (TicketStatus.OPEN, TicketStatus.ANSWERED)


@dataclass(frozen=True)
class QueueRow:
    ticket: Ticket
    overdue: bool


def _ticket(ticket_id: int) -> Ticket:
    found = queries.staff_ticket(ticket_id=ticket_id)
    if found is None:
        raise Http404
    return found


@staff_permission_required(VIEW)
def queue(request: HttpRequest) -> HttpResponse:
    form = QueueForm(request.GET or None)
    if form.is_bound:
        form.is_valid()
    filters = form.filters()
    rows = queries.staff_queue(
        status=filters.status,
        category=filters.category,
        assigned_to=filters.assigned_to(me=signed_in_user(request).pk),
        overdue=filters.overdue,
    )
    page = numbered_page(rows, number=request.GET.get("page"), size=PAGE_SIZE, max_pages=MAX_PAGES)
    now = clock.now()
    shown = page.map(
        [QueueRow(ticket=t, overdue=queries.is_overdue(t, now=now)) for t in page.rows]
    )
    return render(
        request,
        "backoffice/tickets/queue.html",
        {"form": form, "page": shown, "filtered": form.is_bound},
    )


def _picked_body(request: HttpRequest) -> str:
    """The saved reply a GET ``?saved_reply=`` asked for (the picker without scripts)."""
    try:
        wanted = int(request.GET.get("saved_reply", ""))
    except ValueError:
        return ""
    found = saved_reply(saved_reply_id=wanted, in_use=True)
    return found.body if found is not None else ""


def _escalate_form(request: HttpRequest, ticket: Ticket, data: Any = None) -> EscalateForm:
    reason = str((data or request.GET).get("reason") or VisitReason.REPAIR)
    if reason not in VisitReason.values:
        reason = VisitReason.REPAIR
    windows = bookable_windows(account=ticket.account, reason=reason)
    return EscalateForm(data, windows=windows, initial={"reason": reason})


def _detail(
    request: HttpRequest,
    ticket: Ticket,
    *,
    forms: dict[str, Form] | None = None,
    status: int = 200,
) -> HttpResponse:
    user = signed_in_user(request)
    is_open = ticket.status in OPEN_STATUSES
    may_book = (
        is_open and user.has_perm(BOOK) and user.has_perm(CHANGE) and ticket.appointment_id is None
    )
    # One open visit per account: an account with one is not offered another.
    booked = upcoming_appointment(account=ticket.account) if may_book else None
    replies = picker_replies(language=ticket.account.preferred_language)
    chosen: dict[str, Any] = {
        "reply_form": ReplyForm(initial={"body": _picked_body(request)}),
        "pick_form": SavedReplyPickForm(
            request.GET if "saved_reply" in request.GET else None, replies=replies
        ),
        "note_form": NoteForm(),
        "assign_form": AssignForm(initial={"assignee": ticket.assigned_to_id}),
        "merge_form": MergeForm(),
        **(forms or {}),
    }
    if may_book and booked is None and "escalate_form" not in chosen:
        chosen["escalate_form"] = _escalate_form(request, ticket)
    return render(
        request,
        "backoffice/tickets/ticket.html",
        {
            "ticket": ticket,
            "account": ticket.account,
            "thread": queries.staff_thread(ticket),
            "overdue": queries.is_overdue(ticket, now=clock.now()),
            "is_open": is_open,
            # Staff may answer a closed ticket (it opens again), never a merged one.
            "may_write": ticket.status != TicketStatus.MERGED and user.has_perm(WRITE),
            "may_change": is_open and user.has_perm(CHANGE),
            "may_book": may_book,
            "booked": booked,
            "appointment_window": (
                window_label(ticket.appointment.window) if ticket.appointment else ""
            ),
            "may_download": user.has_perm(FILES),
            "merge_targets": queries.merge_targets(ticket) if is_open else [],
            "reopen_days": REOPEN_DAYS,
            "saved_replies": replies,
            "saved_reply_bodies": {str(r.pk): r.body for r in replies},
            **chosen,
        },
        status=status,
    )


def _back(ticket: Ticket) -> HttpResponse:
    return redirect("backoffice:ticket", ticket_id=ticket.pk)


def _refused(form: Form, exc: SupportError, fields: dict[str, str]) -> None:
    form.add_error(fields.get(exc.field), exc.message)


@staff_permission_required(VIEW)
def ticket(request: HttpRequest, ticket_id: int) -> HttpResponse:
    return _detail(request, _ticket(ticket_id))


@staff_permission_required(WRITE)
@require_POST
def reply(request: HttpRequest, ticket_id: int) -> HttpResponse:
    found = _ticket(ticket_id)
    form = ReplyForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            replying.staff_reply(
                ticket_id=found.pk,
                by=signed_in_user(request),
                body=form.cleaned_data["body"],
                files=form.cleaned_data["attachments"],
            )
        except SupportError as exc:
            _refused(form, exc, form.DOMAIN_FIELDS)
        else:
            flash.success(request, _("The reply is sent; the customer is told."))
            return _back(found)
    return _detail(request, found, forms={"reply_form": form}, status=400)


@staff_permission_required(WRITE)
@require_POST
def note(request: HttpRequest, ticket_id: int) -> HttpResponse:
    found = _ticket(ticket_id)
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            replying.add_note(
                ticket_id=found.pk, by=signed_in_user(request), body=form.cleaned_data["body"]
            )
        except SupportError as exc:
            _refused(form, exc, form.DOMAIN_FIELDS)
        else:
            flash.success(request, _("The internal note is saved. The customer is not told."))
            return _back(found)
    return _detail(request, found, forms={"note_form": form}, status=400)


@staff_permission_required(CHANGE)
@require_POST
def assign(request: HttpRequest, ticket_id: int) -> HttpResponse:
    found = _ticket(ticket_id)
    staff = signed_in_user(request)
    data = request.POST.copy()
    if data.get("to_me"):
        data["assignee"] = str(staff.pk)
    form = AssignForm(data)
    if form.is_valid():
        assignee = form.cleaned_data["assignee"]
        try:
            desk.assign(ticket_id=found.pk, assignee_id=assignee.pk if assignee else None, by=staff)
        except SupportError as exc:
            _refused(form, exc, form.DOMAIN_FIELDS)
        else:
            if assignee is None:
                flash.success(
                    request, _("Nobody is assigned now; the ticket is back in the queue.")
                )
            elif assignee.pk == staff.pk:
                flash.success(request, _("The ticket is assigned to you."))
            else:
                flash.success(
                    request,
                    _("The ticket is assigned to %(name)s.")
                    % {"name": assignee.get_full_name() or assignee.get_username()},
                )
            return _back(found)
    return _detail(request, found, forms={"assign_form": form}, status=400)


@staff_permission_required(CHANGE)
@require_POST
def merge(request: HttpRequest, ticket_id: int) -> HttpResponse:
    found = _ticket(ticket_id)
    form = MergeForm(request.POST)
    if form.is_valid():
        try:
            into = desk.merge(
                ticket_id=found.pk,
                into_ticket_id=form.cleaned_data["into"],
                by=signed_in_user(request),
            )
        except SupportError as exc:
            _refused(form, exc, form.DOMAIN_FIELDS)
        else:
            flash.success(
                request,
                _("Ticket %(merged)s is merged into this one.") % {"merged": found.number},
            )
            return _back(into)
    return _detail(request, found, forms={"merge_form": form}, status=400)


@staff_permission_required(BOOK)
@require_POST
def escalate(request: HttpRequest, ticket_id: int) -> HttpResponse:
    # Booking a visit for a ticket changes the ticket too.
    if not signed_in_user(request).has_perm(CHANGE):
        raise PermissionDenied
    found = _ticket(ticket_id)
    form = _escalate_form(request, found, request.POST)
    if form.is_valid():
        try:
            desk.escalate_to_visit(
                ticket_id=found.pk,
                window_id=form.cleaned_data["window"],
                reason=form.cleaned_data["reason"],
                by=signed_in_user(request),
            )
        except SupportError as exc:
            # A window that filled meanwhile: offer the windows open now.
            form.offer(bookable_windows(account=found.account, reason=form.cleaned_data["reason"]))
            _refused(form, exc, form.DOMAIN_FIELDS)
        else:
            flash.success(
                request, _("A technician visit is booked for this ticket; the customer is told.")
            )
            return _back(found)
    return _detail(request, found, forms={"escalate_form": form}, status=400)


@staff_permission_required(CHANGE)
@require_POST
def close(request: HttpRequest, ticket_id: int) -> HttpResponse:
    found = _ticket(ticket_id)
    try:
        closing.staff_close(ticket_id=found.pk, by=signed_in_user(request))
    except SupportError as exc:
        flash.error(request, exc.message)
    else:
        flash.success(request, _("The ticket is closed."))
    return _back(found)


@staff_permission_required(FILES)
def attachment(request: HttpRequest, ticket_id: int, file_id: int) -> HttpResponse:
    if not signed_in_user(request).has_perm(VIEW):
        raise Http404
    found = queries.staff_attachment(ticket_id=ticket_id, attachment_id=file_id)
    if found is None:
        raise Http404
    return uploads.download(found)
