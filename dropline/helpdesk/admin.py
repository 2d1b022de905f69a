"""Support records in the Django admin, read-only: tickets, articles and troubleshooting runs
change only through the domain functions (the portal, the API, the back-office), which audit
and notify."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest

from dropline.helpdesk.models import (
    Article,
    SavedReply,
    ServiceLevel,
    Ticket,
    TicketMessage,
    TroubleshootingRun,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(Ticket)
class TicketAdmin(ReadOnlyAdmin):
    list_display = ("number", "account", "category", "status", "assigned_to", "due_at")
    list_filter = ("status", "category")
    search_fields = ("number", "subject", "account__number")


@admin.register(Article)
class ArticleAdmin(ReadOnlyAdmin):
    list_display = ("slug", "language", "topic", "status", "published_at")
    list_filter = ("language", "topic", "status")
    search_fields = ("slug", "title")


admin.site.register(TicketMessage, ReadOnlyAdmin)
admin.site.register(SavedReply, ReadOnlyAdmin)
admin.site.register(ServiceLevel, ReadOnlyAdmin)
admin.site.register(TroubleshootingRun, ReadOnlyAdmin)
