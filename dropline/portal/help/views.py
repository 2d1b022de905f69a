"""The help centre's pages under /support/: the hub (search, topics, popular articles,
and for someone signed in their requests and visits), search results, a topic's
articles and an article with "Was this helpful?".

Public: anyone may read them, signed in or not; nothing here reads an account. The
language is the browser's, or the one ``?lang=`` names (as on the status page); an
article missing in that language is shown in English. Thin: parse, call
``helpdesk.help``, render.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages as flash
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from dropline.helpdesk.errors import SupportError
from dropline.helpdesk.help import feedback as voting
from dropline.helpdesk.help import queries
from dropline.helpdesk.help import search as searching
from dropline.helpdesk.help.rendering import render as render_markdown
from dropline.helpdesk.models import HelpTopic

MAX_QUERY = 200
RESULTS = 20
# The other support pages, by URL name, with their path for as long as a name is not there.
SUPPORT_LINKS = {
    "troubleshoot": ("troubleshooter:index", "/support/troubleshoot/"),
    "requests": ("tickets:index", "/support/tickets/"),
    "new_request": ("tickets:new", "/support/tickets/new/"),
    "visits": ("appointments:index", "/appointments/"),
}


def support_links() -> dict[str, str]:
    links = {}
    for key, (name, path) in SUPPORT_LINKS.items():
        try:
            links[key] = reverse(name)
        except NoReverseMatch:
            links[key] = path
    return links


def _language(request: HttpRequest) -> str:
    asked = request.GET.get("lang", "") or request.POST.get("lang", "")
    codes = [code for code, _name in settings.LANGUAGES]
    if asked in codes:
        return asked
    current = (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return current if current in codes else settings.LANGUAGE_CODE


def _lang_query(request: HttpRequest) -> str:
    """``?lang=xx`` when the page was asked for in a language, for links between pages."""
    asked = request.GET.get("lang", "") or request.POST.get("lang", "")
    return asked if asked in [code for code, _name in settings.LANGUAGES] else ""


def _page(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    language = _language(request)
    lang = _lang_query(request)
    context = {
        **context,
        "lang": lang,
        "lang_suffix": f"?{urlencode({'lang': lang})}" if lang else "",
        "signed_in": request.user.is_authenticated,
        "links": support_links(),
    }
    with translation.override(language):
        response = render(request, template, context, status=status)
    patch_vary_headers(response, ("Accept-Language", "Cookie"))
    response["Content-Language"] = language
    return response


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    language = _language(request)
    return _page(
        request,
        "portal/help/index.html",
        {
            "topics": queries.topic_counts(language=language),
            "popular": queries.popular_articles(language=language),
        },
    )


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    language = _language(request)
    query = request.GET.get("q", "").strip()[:MAX_QUERY]
    hits = searching.search(query=query, language=language, limit=RESULTS) if query else []
    return _page(
        request,
        "portal/help/search.html",
        {
            "query": query,
            "hits": hits,
            "topics": queries.topic_counts(language=language) if not hits else [],
        },
    )


@require_GET
def topic(request: HttpRequest, topic: str) -> HttpResponse:
    if topic not in HelpTopic.values:
        raise Http404
    language = _language(request)
    return _page(
        request,
        "portal/help/topic.html",
        {
            "topic_label": HelpTopic(topic).label,
            "articles": queries.articles_by_topic(topic=topic, language=language),
        },
    )


@require_GET
def article(request: HttpRequest, slug: str) -> HttpResponse:
    language = _language(request)
    found = queries.article_for_reader(slug=slug, language=language)
    if found is None:
        raise Http404
    return _page(
        request,
        "portal/help/article.html",
        {
            "article": found,
            "html": render_markdown(found.published_body),
            "other_language": found.language != language,
            "topic_label": HelpTopic(found.topic).label,
            "related": queries.related_articles(found),
            "voted": request.GET.get("voted") == "1",
        },
    )


def _voter(request: HttpRequest) -> str:
    if request.user.is_authenticated:
        return voting.voter(person_id=request.user.pk, session_key=None)
    if not request.session.session_key:
        request.session.save()  # a visitor answers as their browser session
    return voting.voter(person_id=None, session_key=request.session.session_key)


@require_POST
def feedback(request: HttpRequest, slug: str) -> HttpResponse:
    asked = request.POST.get("language", "")
    language = asked if asked in [c for c, _n in settings.LANGUAGES] else _language(request)
    found = queries.article_for_reader(slug=slug, language=language)
    if found is None:
        raise Http404
    answer = request.POST.get("helpful", "")
    voted: dict[str, str] = {}
    with translation.override(_language(request)):
        if answer not in ("yes", "no"):
            flash.error(request, _("Choose Yes or No."))
        else:
            try:
                voting.vote(article_id=found.pk, voter=_voter(request), helpful=answer == "yes")
            except SupportError as refused:
                flash.error(request, refused.message)
            else:
                voted = {"voted": "1"}
    lang = _lang_query(request)
    query = urlencode({**({"lang": lang} if lang else {}), **voted})
    target = reverse("help:article", args=[slug]) + (f"?{query}" if query else "")
    return HttpResponseRedirect(f"{target}#feedback")
