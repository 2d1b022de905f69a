from django.contrib import admin
from django.http import HttpRequest

from dropline.customers.models import (
    AccountMember,
    CustomerAccount,
    CustomerNote,
    ServiceAddress,
    ServiceArea,
)


@admin.register(ServiceArea)
class ServiceAreaAdmin(admin.ModelAdmin):
    list_display = ("code", "name")
    search_fields = ("code", "name")


@admin.register(ServiceAddress)
class ServiceAddressAdmin(admin.ModelAdmin):
    list_display = ("line1", "city", "region", "postal_code", "service_area")
    search_fields = ("line1", "postal_code")
    list_select_related = ("service_area",)


class AccountMemberInline(admin.TabularInline):
    model = AccountMember
    extra = 0
    raw_id_fields = ("user",)


@admin.register(CustomerAccount)
class CustomerAccountAdmin(admin.ModelAdmin):
    list_display = ("number", "name", "status", "bill_cycle_day")
    search_fields = ("number", "name", "email", "phone")
    list_filter = ("status",)
    raw_id_fields = ("service_address",)
    inlines = [AccountMemberInline]


@admin.register(CustomerNote)
class CustomerNoteAdmin(admin.ModelAdmin):
    """Read-only: notes are added on the customer's page and never changed."""

    list_display = ("account", "author_name", "created_at")
    search_fields = ("account__number",)
    raw_id_fields = ("account", "author")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
