from django.contrib import admin

from dropline.subscriptions.models import Subscription, SubscriptionAddOn


class SubscriptionAddOnInline(admin.TabularInline):
    model = SubscriptionAddOn
    extra = 0


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = ("account", "plan", "status", "monthly_price_cents", "started_on")
    list_filter = ("status", "plan__kind")
    raw_id_fields = ("account",)
    list_select_related = ("account", "plan")
    inlines = [SubscriptionAddOnInline]
