"""The customer's support requests under /support/tickets/: the list (open ones first),
a new request (``?category=&subject=`` pre-fill it), one request with its thread (never
staff's internal notes), a reply with files, closing, rating the help once closed, and a
file's download.

Thin: ``helpdesk.tickets.queries`` reads within the account being looked at (another
account's request or file is a 404); the writes decide and refuse. Anyone on the account
may open, answer, close and rate its requests.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dropline.core import uploads
from dropline.customers.models import AccountMember
from dropline.helpdesk.errors import SupportError
from dropline.helpdesk.models import Ticket, TicketCategory
from dropline.helpdesk.tickets import closing, queries, replying
from dropline.helpdesk.tickets.opening import open_ticket
from dropline.portal.common import current_membership
from dropline.portal.tickets.forms import RateForm, ReplyForm, TicketForm

NO_ACCOUNT = "portal/no_account.html"


def _membership(request: HttpRequest) -> AccountMember:
    membership = current_membership(request)
    if membership is None:
        raise Http404
    return membership


def _ticket(membership: AccountMember, ticket_id: int) -> Ticket:
    found = queries.ticket_for(account=membership.account, ticket_id=ticket_id)
    if found is None:
        raise Http404
    return found


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    membership = current_membership(request)
    if membership is None:
        return render(request, NO_ACCOUNT)
    tickets = list(queries.tickets_for(account=membership.account)[:200])
    return render(
        request,
        "portal/tickets/index.html",
        {
            "membership": membership,
            "active": [t for t in tickets if t.status in queries.ACTIVE_STATUSES],
            "finished": [t for t in tickets if t.status not in queries.ACTIVE_STATUSES],
        },
    )


def _prefill(request: HttpRequest) -> dict[str, str]:
    initial = {}
    category = request.GET.get("category", "")
    if category in TicketCategory.values:
        initial["category"] = category
    subject = request.GET.get("subject", "").strip()
    if subject:
        initial["subject"] = subject[:120]
    return initial


@login_required
@require_http_methods(["GET", "POST"])
def new(request: HttpRequest) -> HttpResponse:
    membership = _membership(request)
    if request.method != "POST":
        form = TicketForm(initial=_prefill(request))
        return render(request, "portal/tickets/new.html", {"membership": membership, "form": form})
    form = TicketForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            ticket = open_ticket(
                account=membership.account,
                person=request.user,  # type: ignore[arg-type]
                category=data["category"],
                subject=data["subject"],
                description=data["description"],
                files=data["attachments"],
            )
        except SupportError as exc:
            form.add_error(form.DOMAIN_FIELDS.get(exc.field), exc.message)
        else:
            messages.success(
                request,
                _("We got your request %(number)s. We will answer by the time shown.")
                % {"number": ticket.number},
            )
            return redirect("tickets:detail", ticket_id=ticket.pk)
    return render(
        request, "portal/tickets/new.html", {"membership": membership, "form": form}, status=400
    )


def _detail(
    request: HttpRequest,
    membership: AccountMember,
    ticket: Ticket,
    *,
    reply_form: ReplyForm | None = None,
    rate_form: RateForm | None = None,
    status: int = 200,
) -> HttpResponse:
    context: dict[str, Any] = {
        "membership": membership,
        "ticket": ticket,
        "thread": queries.customer_thread(ticket),
        "may_reply": replying.may_reply(ticket),
        "reopen_days": replying.REOPEN_DAYS,
        "may_close": ticket.status in queries.ACTIVE_STATUSES,
        "may_rate": closing.may_rate(ticket),
        "reply_form": reply_form or ReplyForm(),
        "rate_form": rate_form or RateForm(),
    }
    return render(request, "portal/tickets/detail.html", context, status=status)


@login_required
@require_GET
def detail(request: HttpRequest, ticket_id: int) -> HttpResponse:
    membership = _membership(request)
    return _detail(request, membership, _ticket(membership, ticket_id))


@login_required
@require_GET
def updates(request: HttpRequest, ticket_id: int) -> JsonResponse:
    """The page's poll: how many messages the customer sees and the status."""
    found = _ticket(_membership(request), ticket_id)
    return JsonResponse(
        {
            "messages": queries.customer_thread_count(found),
            "status": found.status,
            "status_label": str(found.get_status_display()),
        }
    )


@login_required
@require_POST
def reply(request: HttpRequest, ticket_id: int) -> HttpResponse:
    membership = _membership(request)
    found = _ticket(membership, ticket_id)
    form = ReplyForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            replying.customer_reply(
                account=membership.account,
                person=request.user,  # type: ignore[arg-type]
                ticket_id=found.pk,
                body=form.cleaned_data["body"],
                files=form.cleaned_data["attachments"],
            )
        except SupportError as exc:
            form.add_error(form.DOMAIN_FIELDS.get(exc.field), exc.message)
        else:
            messages.success(request, _("Your message is sent."))
            return redirect("tickets:detail", ticket_id=found.pk)
    return _detail(request, membership, found, reply_form=form, status=400)


@login_required
@require_POST
def close(request: HttpRequest, ticket_id: int) -> HttpResponse:
    membership = _membership(request)
    found = _ticket(membership, ticket_id)
    try:
        closing.close(
            account=membership.account,
            person=request.user,  # type: ignore[arg-type]
            ticket_id=found.pk,
        )
    except SupportError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Your request is closed. Tell us how we did below."))
    return redirect("tickets:detail", ticket_id=found.pk)


@login_required
@require_POST
def rate(request: HttpRequest, ticket_id: int) -> HttpResponse:
    membership = _membership(request)
    found = _ticket(membership, ticket_id)
    form = RateForm(request.POST)
    if form.is_valid():
        try:
            closing.rate(
                account=membership.account,
                person=request.user,  # type: ignore[arg-type]
                ticket_id=found.pk,
                rating=form.cleaned_data["rating"],
                comment=form.cleaned_data["comment"],
            )
        except SupportError as exc:
            form.add_error(form.DOMAIN_FIELDS.get(exc.field), exc.message)
        else:
            messages.success(request, _("Thank you for rating our help."))
            return redirect("tickets:detail", ticket_id=found.pk)
    return _detail(request, membership, found, rate_form=form, status=400)


@login_required
@require_GET
def attachment(request: HttpRequest, ticket_id: int, attachment_id: int) -> HttpResponse:
    membership = _membership(request)
    found = queries.customer_attachment(
        account=membership.account, ticket_id=ticket_id, attachment_id=attachment_id
    )
    if found is None:
        raise Http404
    return uploads.download(found)
