"""The customer's contact pages: email addresses and mobile numbers for alerts, bills
and sign-in codes. Thin: parse input, call ``dropline.notifications.contacts`` (and
``dropline.identity.contacts`` for the changes that are security events), render.

Every contact is looked up with ``notifications.queries.own_contact``, the signed-in
person in the query, so another person's id answers 404.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from dropline.accounts.requests import signed_in_user
from dropline.identity import contacts as contact_changes
from dropline.notifications import contacts as contact_points
from dropline.notifications.models import ContactKind, ContactPoint
from dropline.notifications.queries import contact_state, needs_code, own_contact, shown_address
from dropline.portal.contacts.forms import AddContactForm, CodeForm, for_kind


@dataclass
class ContactRow:
    contact: ContactPoint
    shown: str
    code_form: CodeForm | None = None
    errors: list[str] = field(default_factory=list)

    @property
    def undeliverable(self) -> bool:
        return contact_state(self.contact) == "undeliverable"

    @property
    def needs_code(self) -> bool:
        return needs_code(self.contact)

    @cached_property
    def removal_refused(self) -> str | None:
        return contact_points.removal_refused(self.contact)


def _code_prefix(contact_id: int) -> str:
    return f"contact-{contact_id}"


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
        "portal/contacts/contacts.html",
        {
            "emails": [row for row in rows if row.contact.kind == ContactKind.EMAIL],
            "phones": [row for row in rows if row.contact.kind == ContactKind.PHONE],
            "add_forms": [
                add_form
                if add_form is not None and add_form["kind"].initial == kind
                else for_kind(kind)
                for kind in (ContactKind.EMAIL, ContactKind.PHONE)
            ],
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
    form = for_kind(request.POST.get("kind", ""), request.POST)
    if not form.is_valid():
        return _contacts_page(request, add_form=form)
    try:
        contact = contact_points.add_and_send_code(
            user=user, kind=form.cleaned_data["kind"], address=form.cleaned_data["address"]
        )
    except contact_points.ContactError as exc:
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
    contact = own_contact(user=signed_in_user(request), contact_id=contact_id)
    if not needs_code(contact):
        messages.info(request, _("This address is already confirmed."))
        return _back_to(contact.pk)
    form = CodeForm(request.POST, prefix=_code_prefix(contact.pk))
    if form.is_valid():
        try:
            contact_changes.verify(contact=contact, code=form.cleaned_data["code"], request=request)
        except contact_points.ContactError as exc:
            form.add_error("code", str(exc))
        else:
            messages.success(
                request,
                _("%(address)s is confirmed.") % {"address": shown_address(contact)},
            )
            return _back_to(contact.pk)
    return _contacts_page(request, code_forms={contact.pk: form})


@login_required
@require_POST
def resend_code(request: HttpRequest, contact_id: int) -> HttpResponse:
    contact = own_contact(user=signed_in_user(request), contact_id=contact_id)
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
    contact = own_contact(user=signed_in_user(request), contact_id=contact_id)
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
    contact = own_contact(user=signed_in_user(request), contact_id=contact_id)
    shown = shown_address(contact)
    try:
        contact_changes.remove(contact=contact, request=request)
    except contact_points.ContactError as exc:
        return _contacts_page(request, errors={contact.pk: [str(exc)]})
    messages.success(request, _("%(address)s is removed.") % {"address": shown})
    return _back_to()
