"""A customer's account as the agent's hub: its details, its people, services and
equipment, links to its messages, security events and invitations, and the staff's
internal notes. Every opening is audited. (Finding an account is the home's.)"""

from __future__ import annotations

from django.contrib import messages as flash
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dropline.accounts.requests import signed_in_user
from dropline.backoffice.access import staff_permission_required
from dropline.backoffice.billing.summary import account_summary_context
from dropline.backoffice.customers.forms import NoteForm
from dropline.backoffice.payments.summary import account_payments_context
from dropline.backoffice.usage.summary import account_usage_context
from dropline.core import audit
from dropline.customers.models import CustomerAccount
from dropline.customers.notes import NoteError, add_note
from dropline.customers.numbering import normalize_account_number
from dropline.customers.queries import notes_for
from dropline.helpdesk.tickets.queries import account_tickets
from dropline.orders.queries import orders_for
from dropline.overview.summary import account_overview
from dropline.payments.disputes.queries import account_disputes

# The latest plan and add-on changes shown on the hub.
HUB_ORDERS = 10
# The latest disputes shown on the hub.
HUB_DISPUTES = 10
# The latest tickets shown on the hub.
HUB_TICKETS = 10


def _account(number: str) -> CustomerAccount:
    account = (
        CustomerAccount.objects.select_related("service_address__service_area")
        .filter(number=normalize_account_number(number))
        .first()
    )
    if account is None:
        raise Http404
    return account


def _hub(
    request: HttpRequest, account: CustomerAccount, *, note_form: NoteForm, status: int = 200
) -> HttpResponse:
    user = signed_in_user(request)
    overview = account_overview(account=account, language=get_language() or "en")
    members = account.members.select_related("user").order_by("role", "user__username")
    can_see_audit = user.has_perm("core.view_auditevent")
    return render(
        request,
        "backoffice/customers/customer.html",
        {
            "account": account,
            "overview": overview,
            "members": members,
            "notes": notes_for(account=account),
            "note_form": note_form,
            "events": (
                audit.events_for_account(account_number=account.number, limit=20)
                if can_see_audit
                else []
            ),
            "can_see_audit": can_see_audit,
            "orders": (
                orders_for(account=account, limit=HUB_ORDERS)
                if user.has_perm("orders.view_order")
                else []
            ),
            "disputes": (
                account_disputes(account=account, limit=HUB_DISPUTES)
                if user.has_perm("payments.view_dispute")
                else []
            ),
            "tickets": (
                account_tickets(account=account, limit=HUB_TICKETS)
                if user.has_perm("helpdesk.view_ticket")
                else []
            ),
            **account_summary_context(account, user=user),
            **account_payments_context(account, user=user),
            **account_usage_context(account, user=user),
        },
        status=status,
    )


@staff_permission_required("customers.view_customeraccount")
def customer_detail(request: HttpRequest, number: str) -> HttpResponse:
    account = _account(number)
    audit.record(
        action="customer.viewed",
        request=request,
        target=account,
        account_number=account.number,
    )
    return _hub(request, account, note_form=NoteForm())


@staff_permission_required("customers.add_customernote")
@require_POST
def add_customer_note(request: HttpRequest, number: str) -> HttpResponse:
    account = _account(number)
    if not signed_in_user(request).has_perm("customers.view_customeraccount"):
        raise Http404
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            add_note(
                account=account,
                author=signed_in_user(request),
                body=form.cleaned_data["body"],
                request=request,
            )
        except NoteError as exc:
            form.add_error("body", str(exc))
        else:
            flash.success(request, _("Note added."))
            return redirect("backoffice:customer", number=account.number)
    return _hub(request, account, note_form=form, status=400)
