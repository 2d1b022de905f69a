from django.urls import path

from dropline.backoffice.billing import runs, taxes, views

urlpatterns = [
    path("billing/invoices/", views.invoice_search, name="invoices"),
    path("billing/invoices/<str:invoice_number>/", views.invoice_detail, name="invoice"),
    path("billing/invoices/<str:invoice_number>/void/", views.invoice_void, name="invoice_void"),
    path(
        "billing/accounts/<str:number>/charges-and-credits/",
        views.adjustment_new,
        name="adjustment_new",
    ),
    path("billing/accounts/<str:number>/statement/", views.statement, name="statement"),
    path("billing/runs/", runs.bill_runs, name="bill_runs"),
    path("billing/runs/start/", runs.bill_run_start, name="bill_run_start"),
    path("billing/runs/<int:pk>/", runs.bill_run, name="bill_run"),
    path("billing/runs/<int:pk>/progress/", runs.bill_run_progress, name="bill_run_progress"),
    path("billing/taxes/", taxes.tax_table, name="tax_table"),
    path("billing/taxes/<int:pk>/new-rate/", taxes.tax_rate_new, name="tax_rate_new"),
]
