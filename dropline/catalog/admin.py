"""The catalogue in the records admin, read only: plans, promotions, channels, add-ons,
equipment models and labels are changed on the back-office's catalogue pages, where
each change is checked and audited (``catalog/editing/``)."""

from typing import Any

from django.contrib import admin
from django.db import models
from django.http import HttpRequest

from dropline.catalog.models import (
    AddOn,
    BroadbandLabel,
    Channel,
    EquipmentModel,
    LabelFee,
    Plan,
    Promotion,
)


class ReadOnly:
    """Viewing only: no adding, changing or deleting."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Channel)
class ChannelAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ("number", "call_sign", "name", "genre", "is_hd")
    search_fields = ("call_sign", "name")


@admin.register(Plan)
class PlanAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ("name", "kind", "monthly_price_cents", "download_mbps", "is_active")
    list_filter = ("kind", "is_active", "service_areas")


@admin.register(AddOn)
class AddOnAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ("name", "kind", "monthly_price_cents", "is_active")


@admin.register(EquipmentModel)
class EquipmentModelAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ("manufacturer", "model_name", "kind", "monthly_rental_cents")


@admin.register(Promotion)
class PromotionAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ("name", "plan", "monthly_price_cents", "duration_months", "is_active")


class LabelFeeInline(ReadOnly, admin.TabularInline):
    model = LabelFee
    extra = 0


@admin.register(BroadbandLabel)
class BroadbandLabelAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ("identifier", "plan", "typical_download_mbps", "typical_upload_mbps")
    readonly_fields = ("identifier",)
    inlines = (LabelFeeInline,)
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
