"""Notification records, read-only: messages and announcements change only through
the domain functions (the back-office pages), so the outbox's guarantees hold."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest

from dropline.notifications.models import (
    Announcement,
    ContactPoint,
    DeliveryAttempt,
    Message,
    PushSubscription,
    SimulatedSms,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


class DeliveryAttemptInline(admin.TabularInline):
    model = DeliveryAttempt
    extra = 0
    fields = ("at", "succeeded", "detail")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(Message)
class MessageAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "event", "channel", "to_address", "status")
    list_filter = ("status", "channel", "category")
    search_fields = ("to_address", "user__username", "idempotency_key")
    list_select_related = ("user",)
    raw_id_fields = ("user", "account")
    exclude = ("body_html",)  # shown safely on the back-office message page, not here
    inlines = [DeliveryAttemptInline]
    show_full_result_count = False


@admin.register(SimulatedSms)
class SimulatedSmsAdmin(ReadOnlyAdmin):
    list_display = ("sent_at", "to", "segments", "encoding", "reference")
    search_fields = ("to", "reference")
    show_full_result_count = False


@admin.register(Announcement)
class AnnouncementAdmin(ReadOnlyAdmin):
    list_display = ("title_en", "kind", "status", "starts_at", "ends_at")
    list_filter = ("status", "kind")
    search_fields = ("title_en", "title_es")


@admin.register(ContactPoint)
class ContactPointAdmin(ReadOnlyAdmin):
    list_display = ("address", "kind", "user", "is_primary", "verified_at", "status")
    list_filter = ("kind", "status")
    search_fields = ("address", "user__username")
    list_select_related = ("user",)
    raw_id_fields = ("user",)


@admin.register(PushSubscription)
class PushSubscriptionAdmin(ReadOnlyAdmin):
    """Which browsers get a person's push notifications and whether they still do; the
    endpoint and keys (what it takes to write to a browser) are left out."""

    list_display = ("user", "browser", "os", "created_at", "last_success_at", "last_failure_at")
    search_fields = ("user__username",)
    list_select_related = ("user",)
    raw_id_fields = ("user",)
    exclude = ("endpoint", "p256dh", "auth")
