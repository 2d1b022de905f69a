from django.contrib import admin

from dropline.network.models import Equipment


@admin.register(Equipment)
class EquipmentAdmin(admin.ModelAdmin):
    list_display = ("serial_number", "model", "account", "status", "is_rental")
    search_fields = ("serial_number", "mac_address", "account__number")
    raw_id_fields = ("account", "subscription")
    list_select_related = ("model", "account")
