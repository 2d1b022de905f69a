from django.contrib import admin

from dropline.catalog.models import AddOn, Channel, EquipmentModel, Plan, Promotion


@admin.register(Channel)
class ChannelAdmin(admin.ModelAdmin):
    list_display = ("number", "call_sign", "name", "genre", "is_hd")
    search_fields = ("call_sign", "name")


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "monthly_price_cents", "download_mbps", "is_active")
    list_filter = ("kind", "is_active")


@admin.register(AddOn)
class AddOnAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "monthly_price_cents", "is_active")


@admin.register(EquipmentModel)
class EquipmentModelAdmin(admin.ModelAdmin):
    list_display = ("manufacturer", "model_name", "kind", "monthly_rental_cents")


@admin.register(Promotion)
class PromotionAdmin(admin.ModelAdmin):
    list_display = ("name", "plan", "monthly_price_cents", "duration_months", "is_active")
