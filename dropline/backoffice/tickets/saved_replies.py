"""Saved replies for the ticket reply form: the list (in use and retired), adding one,
changing one and retiring one. Reading needs ``helpdesk.view_savedreply``, adding
``helpdesk.add_savedreply``, changing and retiring ``helpdesk.change_savedreply``. Thin:
``helpdesk.tickets.saved_replies`` decides."""

from __future__ import annotations

from django.contrib import messages as flash
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dropline.accounts.requests import signed_in_user
from dropline.backoffice.access import staff_permission_required
from dropline.backoffice.tickets.forms import SavedReplyForm
from dropline.helpdesk.errors import SupportError
from dropline.helpdesk.models import SavedReply
from dropline.helpdesk.tickets import saved_replies as domain

VIEW = "helpdesk.view_savedreply"
ADD = "helpdesk.add_savedreply"
CHANGE = "helpdesk.change_savedreply"


@staff_permission_required(VIEW)
def saved_replies(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "backoffice/tickets/saved_replies.html",
        {"replies": domain.saved_replies(include_retired=True)},
    )


def _form_page(
    request: HttpRequest, form: SavedReplyForm, reply: SavedReply | None, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "backoffice/tickets/saved_reply_form.html",
        {"form": form, "reply": reply},
        status=status,
    )


@staff_permission_required(ADD)
def saved_reply_new(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _form_page(request, SavedReplyForm(), None)
    form = SavedReplyForm(request.POST)
    if form.is_valid():
        try:
            domain.add_saved_reply(
                title=form.cleaned_data["title"],
                language=form.cleaned_data["language"],
                body=form.cleaned_data["body"],
                by=signed_in_user(request),
                request=request,
            )
        except SupportError as exc:
            form.add_error(form.DOMAIN_FIELDS.get(exc.field), exc.message)
        else:
            flash.success(request, _("The saved reply is added; the reply form offers it now."))
            return redirect("backoffice:saved_replies")
    return _form_page(request, form, None, status=400)


def _reply(saved_reply_id: int) -> SavedReply:
    found = domain.saved_reply(saved_reply_id=saved_reply_id)
    if found is None:
        raise Http404
    return found


@staff_permission_required(CHANGE)
def saved_reply_edit(request: HttpRequest, saved_reply_id: int) -> HttpResponse:
    reply = _reply(saved_reply_id)
    if request.method != "POST":
        initial = {"title": reply.title, "language": reply.language, "body": reply.body}
        return _form_page(request, SavedReplyForm(initial=initial), reply)
    form = SavedReplyForm(request.POST)
    if form.is_valid():
        try:
            domain.change_saved_reply(
                saved_reply_id=reply.pk,
                title=form.cleaned_data["title"],
                language=form.cleaned_data["language"],
                body=form.cleaned_data["body"],
                by=signed_in_user(request),
                request=request,
            )
        except SupportError as exc:
            form.add_error(form.DOMAIN_FIELDS.get(exc.field), exc.message)
        else:
            flash.success(request, _("The saved reply is changed."))
            return redirect("backoffice:saved_replies")
    return _form_page(request, form, reply, status=400)


@staff_permission_required(CHANGE)
@require_POST
def saved_reply_retire(request: HttpRequest, saved_reply_id: int) -> HttpResponse:
    reply = _reply(saved_reply_id)
    try:
        domain.retire_saved_reply(
            saved_reply_id=reply.pk, by=signed_in_user(request), request=request
        )
    except SupportError as exc:
        flash.error(request, exc.message)
    else:
        flash.success(
            request,
            _("“%(title)s” is retired; the reply form no longer offers it.")
            % {"title": reply.title},
        )
    return redirect("backoffice:saved_replies")
