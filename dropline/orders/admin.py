from django.contrib import admin

from dropline.orders.models import Order


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    list_display = ("account", "kind", "status", "effective_on", "placed_at")
    list_filter = ("status", "kind")
    raw_id_fields = ("account", "subscription", "new_subscription")
    list_select_related = ("account",)

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False
