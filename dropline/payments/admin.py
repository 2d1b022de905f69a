"""Payments in the records admin, read only: money moves only through the domain's
writes (``paying``, ``refunds``, ``events``), each audited and posted to the ledger."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from dropline.payments.models import (
    GatewayCustomer,
    GatewayEvent,
    Payment,
    PaymentMethod,
    Refund,
    ScheduledPayment,
)


class ReadOnly:
    """Viewing only: no adding, changing or deleting."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(GatewayCustomer)
class GatewayCustomerAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ("account", "gateway", "reference", "created_at")
    search_fields = ("account__number", "reference")


@admin.register(PaymentMethod)
class PaymentMethodAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ("account", "kind", "brand", "last4", "is_default", "created_at", "removed_at")
    list_filter = ("kind", "gateway")
    search_fields = ("account__number", "last4")
    exclude = ("token",)


@admin.register(Payment)
class PaymentAdmin(ReadOnly, admin.ModelAdmin):
    list_display = (
        "confirmation_number",
        "account",
        "amount_cents",
        "status",
        "source",
        "created_at",
    )
    list_filter = ("status", "source", "gateway")
    search_fields = ("confirmation_number", "account__number", "gateway_reference")
    exclude = ("idempotency_key",)


@admin.register(Refund)
class RefundAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ("payment", "amount_cents", "status", "created_at")
    list_filter = ("status",)
    search_fields = ("payment__confirmation_number",)


@admin.register(ScheduledPayment)
class ScheduledPaymentAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ("account", "amount_cents", "pay_on", "status")
    list_filter = ("status",)


@admin.register(GatewayEvent)
class GatewayEventAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ("gateway", "event_id", "kind", "occurred_at", "received_at", "outcome")
    list_filter = ("gateway", "kind")
    search_fields = ("event_id",)
