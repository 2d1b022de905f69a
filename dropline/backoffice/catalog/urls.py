from django.urls import path

from dropline.backoffice.catalog import guide, labels, views

urlpatterns = [
    path("catalog/", views.home, name="catalog"),
    path("catalog/plans/new/", views.plan_new, name="catalog_plan_new"),
    path("catalog/plans/<slug:code>/", views.plan_detail, name="catalog_plan"),
    path("catalog/plans/<slug:code>/edit/", views.plan_edit, name="catalog_plan_edit"),
    path("catalog/plans/<slug:code>/areas/", views.plan_areas, name="catalog_plan_areas"),
    path("catalog/plans/<slug:code>/channels/", views.plan_line_up, name="catalog_plan_line_up"),
    path("catalog/plans/<slug:code>/label/", labels.label_edit, name="catalog_label"),
    path(
        "catalog/plans/<slug:code>/promotions/new/",
        views.promotion_new,
        name="catalog_promotion_new",
    ),
    path("catalog/promotions/<int:pk>/edit/", views.promotion_edit, name="catalog_promotion_edit"),
    path("catalog/channels/", guide.channels, name="catalog_channels"),
    path("catalog/channels/new/", guide.channel_new, name="catalog_channel_new"),
    path("catalog/channels/<int:pk>/edit/", guide.channel_edit, name="catalog_channel_edit"),
    path("catalog/add-ons/", guide.add_ons, name="catalog_add_ons"),
    path("catalog/add-ons/new/", guide.add_on_new, name="catalog_add_on_new"),
    path("catalog/add-ons/<slug:code>/edit/", guide.add_on_edit, name="catalog_add_on_edit"),
    path(
        "catalog/add-ons/<slug:code>/channels/", guide.add_on_line_up, name="catalog_add_on_line_up"
    ),
    path("catalog/equipment/", guide.equipment, name="catalog_equipment"),
    path("catalog/equipment/new/", guide.equipment_new, name="catalog_equipment_new"),
    path(
        "catalog/equipment/<slug:code>/edit/", guide.equipment_edit, name="catalog_equipment_edit"
    ),
]
