"""Staff pages for help articles: the list by topic, language and status with the
helpful counts, a new article, the editor of the draft with a preview rendered by the
customer pages' own renderer (the "Preview" button renders on the server, no script),
publishing and withdrawing.

Thin: parse input, call ``dropline.helpdesk.help.publishing``, render. Reading needs
``helpdesk.view_article``; saving ``change_article`` (new: ``add_article``); publishing
and withdrawing ``publish_article``.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages as flash
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dropline.accounts.requests import signed_in_user
from dropline.backoffice.access import refusal, staff_permission_required
from dropline.backoffice.common import MAX_PAGES, PAGE_SIZE
from dropline.backoffice.help.forms import DraftForm, ListFilterForm, NewArticleForm
from dropline.core.pagination import numbered_page
from dropline.helpdesk.errors import SupportError
from dropline.helpdesk.help import publishing, queries
from dropline.helpdesk.help.rendering import render as render_markdown
from dropline.helpdesk.models import Article


def _refused(form: forms.Form, error: SupportError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


def _preview(form: forms.Form) -> str:
    """The posted text as customers would see it, when the form was asked to preview."""
    body = form.data.get("body", "")
    return render_markdown(str(body)) if body else ""


@staff_permission_required("helpdesk.view_article")
def article_list(request: HttpRequest) -> HttpResponse:
    filters = ListFilterForm(request.GET or None)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    page = numbered_page(
        queries.staff_articles(
            topic=chosen.get("topic", ""),
            language=chosen.get("language", ""),
            status=chosen.get("status", ""),
        ),
        number=request.GET.get("page"),
        size=PAGE_SIZE,
        max_pages=MAX_PAGES,
    )
    return render(request, "backoffice/help/articles.html", {"page": page, "filters": filters})


@staff_permission_required("helpdesk.add_article")
def article_new(request: HttpRequest) -> HttpResponse:
    form = NewArticleForm(request.POST or None)
    status, preview = 200, None
    if request.method == "POST":
        if "preview" in request.POST:
            preview = _preview(form)
            form = NewArticleForm(initial=request.POST.dict())
        elif form.is_valid():
            try:
                article = publishing.create_article(
                    slug=form.cleaned_data["slug"],
                    language=form.cleaned_data["language"],
                    draft=form.draft(),
                    by=signed_in_user(request),
                    request=request,
                )
            except SupportError as error:
                _refused(form, error)
                status = 400
            else:
                flash.success(request, _("Saved as a draft. Customers see it once published."))
                return redirect("backoffice:help_article", article_id=article.pk)
        else:
            status = 400
    return render(
        request,
        "backoffice/help/article_new.html",
        {"form": form, "preview": preview},
        status=status,
    )


def _article_or_404(article_id: int) -> Article:
    found = queries.staff_article(article_id=article_id)
    if found is None:
        raise Http404
    return found


@staff_permission_required("helpdesk.view_article")
def article_edit(request: HttpRequest, article_id: int) -> HttpResponse:
    article = _article_or_404(article_id)
    user = signed_in_user(request)
    initial = {
        "title": article.title,
        "summary": article.summary,
        "topic": article.topic,
        "position": article.position,
        "body": article.body,
    }
    form = DraftForm(request.POST or None, initial=initial)
    status = 200
    preview = render_markdown(article.body)
    if request.method == "POST":
        refused = refusal(request, permission="helpdesk.change_article")
        if refused is not None:
            return refused
        if "preview" in request.POST:
            preview = _preview(form)
            form = DraftForm(initial=request.POST.dict())
        elif form.is_valid():
            try:
                publishing.save_draft(
                    article_id=article.pk, draft=form.draft(), by=user, request=request
                )
            except SupportError as error:
                _refused(form, error)
                status = 400
            else:
                flash.success(request, _("Draft saved. Customers see it once published."))
                return redirect("backoffice:help_article", article_id=article.pk)
        else:
            status = 400
    for name in ("title", "summary", "body"):
        form.fields[name].widget.attrs["lang"] = article.language
    unpublished = article.status != "published" or (
        (article.title, article.summary, article.body)
        != (article.published_title, article.published_summary, article.published_body)
    )
    return render(
        request,
        "backoffice/help/article.html",
        {
            "article": article,
            "form": form,
            "preview": preview,
            "unpublished_changes": unpublished,
            "can_change": user.has_perm("helpdesk.change_article"),
            "can_publish": user.has_perm("helpdesk.publish_article"),
        },
        status=status,
    )


@require_POST
@staff_permission_required("helpdesk.publish_article")
def article_publish(request: HttpRequest, article_id: int) -> HttpResponse:
    article = _article_or_404(article_id)
    try:
        publishing.publish(article_id=article.pk, by=signed_in_user(request), request=request)
    except SupportError as error:
        flash.error(request, error.message)
    else:
        flash.success(request, _("Published. Customers read and find this text now."))
    return redirect("backoffice:help_article", article_id=article.pk)


@require_POST
@staff_permission_required("helpdesk.publish_article")
def article_withdraw(request: HttpRequest, article_id: int) -> HttpResponse:
    article = _article_or_404(article_id)
    try:
        publishing.withdraw(article_id=article.pk, by=signed_in_user(request), request=request)
    except SupportError as error:
        flash.error(request, error.message)
    else:
        flash.success(request, _("Withdrawn. Customers no longer see this article."))
    return redirect("backoffice:help_article", article_id=article.pk)
