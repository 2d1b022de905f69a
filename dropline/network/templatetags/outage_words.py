"""Outages in words on pages: the services affected, a title and cause in the page's
language."""

from __future__ import annotations

from django import template
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from dropline.catalog.models import ServiceKind
from dropline.network.models import Outage, OutageUpdate

register = template.Library()


def _language() -> str:
    return (get_language() or "en").split("-")[0]


@register.filter
def services_affected(outage: Outage) -> str:
    """``Internet, TV``; every service when none is named."""
    if not outage.service_kinds:
        return _("All services")
    labels = dict(ServiceKind.choices)
    return ", ".join(str(labels.get(kind, kind)) for kind in outage.service_kinds)


@register.filter
def title_here(outage: Outage) -> str:
    return outage.title(_language())


@register.filter
def cause_here(outage: Outage) -> str:
    return outage.cause(_language())


@register.filter
def message_here(update: OutageUpdate) -> str:
    return update.message(_language())
