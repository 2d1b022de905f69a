"""Field records in the Django admin, read-only: visits, windows and capacity change only
through the domain functions (the portal, the API, the dispatch board), which audit and
notify."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest

from dropline.field.models import (
    Appointment,
    CapacityException,
    CapacityTemplate,
    Technician,
    VisitWindow,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(Appointment)
class AppointmentAdmin(ReadOnlyAdmin):
    list_display = ["number", "account", "window", "reason", "status", "technician"]
    list_filter = ["status", "reason"]
    search_fields = ["number", "account__number"]


@admin.register(VisitWindow)
class VisitWindowAdmin(ReadOnlyAdmin):
    list_display = ["area", "starts_at", "ends_at", "capacity", "booked"]
    list_filter = ["area"]


admin.site.register(Technician, ReadOnlyAdmin)
admin.site.register(CapacityTemplate, ReadOnlyAdmin)
admin.site.register(CapacityException, ReadOnlyAdmin)
