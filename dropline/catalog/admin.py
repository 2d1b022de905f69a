"""The catalogue in the records admin, read only: plans, promotions, channels, add-ons,
equipment models and labels are changed on the back-office's catalogue pages, where
each change is checked and audited (``catalog/editing/``). Bundles are kept here, each
save audited, until the catalogue pages have them."""

from typing import Any

from django import forms
from django.contrib import admin
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from dropline.catalog.models import (
    AddOn,
    BroadbandLabel,
    Bundle,
    Channel,
    EquipmentModel,
    LabelFee,
    Plan,
    Promotion,
    ServiceKind,
)
from dropline.core import read_models
from dropline.core.audit import record


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


class BundleForm(forms.ModelForm):
    """The services a bundle combines are ticked, not typed as a list."""

    kinds = forms.MultipleChoiceField(
        label=_("services combined"),
        choices=ServiceKind.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("An account with a service of each of these at once gets the discount."),
    )

    class Meta:
        model = Bundle
        fields = (
            "code",
            "name",
            "name_es",
            "kinds",
            "monthly_discount_cents",
            "currency",
            "starts_on",
            "ends_on",
            "is_active",
            "sort_order",
        )

    def clean_kinds(self) -> list[str]:
        chosen = set(self.cleaned_data["kinds"])
        # Stored in the catalogue's order, so the same services are always the same list.
        return [kind for kind in ServiceKind.values if kind in chosen]


@admin.register(Bundle)
class BundleAdmin(admin.ModelAdmin):
    """Bundles are kept here by administrators (every catalogue permission is theirs);
    each save is audited. Rating gives the discount between its dates; "on offer" says
    whether customers are shown it."""

    form = BundleForm
    list_display = ("name", "code", "monthly_discount_cents", "starts_on", "ends_on", "is_active")
    list_filter = ("is_active",)

    def save_model(self, request: HttpRequest, obj: Bundle, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        read_models.catalogue_changed()
        record(
            action="catalog.bundle_changed" if change else "catalog.bundle_created",
            request=request,
            target=obj,
            data={"bundle": obj.code, "fields": sorted(form.changed_data)},
        )

    def delete_model(self, request: HttpRequest, obj: Bundle) -> None:
        super().delete_model(request, obj)
        read_models.catalogue_changed()

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Bundle]) -> None:
        super().delete_queryset(request, queryset)
        read_models.catalogue_changed()
