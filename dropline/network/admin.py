"""Network records in the Django admin. Equipment is edited here; device actions,
simulated devices, outages and speed tests are read-only: they change only through the
domain functions (the portal, the back-office, ``dropline devices``), which audit and
notify."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest

from dropline.network.models import (
    DeviceAction,
    Equipment,
    Outage,
    OutageUpdate,
    OutageWatch,
    SimulatedDevice,
    SpeedTest,
)


@admin.register(Equipment)
class EquipmentAdmin(admin.ModelAdmin):
    list_display = ("serial_number", "model", "account", "status", "is_rental")
    search_fields = ("serial_number", "mac_address", "account__number", "device_id")
    raw_id_fields = ("account", "subscription")
    list_select_related = ("model", "account")


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(DeviceAction)
class DeviceActionAdmin(ReadOnlyAdmin):
    list_display = ("equipment", "kind", "status", "by_staff", "requested_at", "finished_at")
    list_filter = ("kind", "status", "by_staff")
    search_fields = ("equipment__serial_number", "equipment__device_id", "task_id")
    raw_id_fields = ("equipment", "requested_by")
    list_select_related = ("equipment__model",)
    date_hierarchy = "requested_at"


@admin.register(SimulatedDevice)
class SimulatedDeviceAdmin(ReadOnlyAdmin):
    list_display = ("device_id", "connected", "booted_at", "last_inform_at", "fault")
    list_filter = ("connected",)
    search_fields = ("device_id", "serial_number")


class OutageUpdateInline(admin.TabularInline):
    model = OutageUpdate
    extra = 0
    fields = ("posted_at", "status", "eta", "message_en", "notified")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(Outage)
class OutageAdmin(ReadOnlyAdmin):
    list_display = ("title_en", "kind", "status", "starts_at", "eta", "resolved_at")
    list_filter = ("kind", "status", "areas")
    search_fields = ("title_en", "title_es")
    date_hierarchy = "starts_at"
    inlines = [OutageUpdateInline]


@admin.register(OutageWatch)
class OutageWatchAdmin(ReadOnlyAdmin):
    list_display = ("outage", "user", "account", "created_at", "notified_at")
    raw_id_fields = ("outage", "user", "account")
    list_select_related = ("outage", "user", "account")


@admin.register(SpeedTest)
class SpeedTestAdmin(ReadOnlyAdmin):
    list_display = ("account", "ran_at", "download_kbps", "upload_kbps", "latency_ms", "connection")
    list_filter = ("connection",)
    search_fields = ("account__number",)
    raw_id_fields = ("account", "subscription", "user")
    list_select_related = ("account",)
    date_hierarchy = "ran_at"
