"""The customer's bills under /billing/. The paths are part of the product: the "your bill
is ready" email links to ``/billing/invoices/<number>/``."""

from django.urls import path

from dropline.portal.billing import views

app_name = "billing"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("chart.svg", views.chart, name="chart"),
    path("invoices/", views.invoices, name="invoices"),
    path("invoices/<str:number>/", views.invoice, name="invoice"),
    path("invoices/<str:number>/pdf/", views.invoice_pdf, name="invoice_pdf"),
    path("invoices/<str:number>/changes/", views.changes, name="changes"),
    path("forecast/", views.forecast, name="forecast"),
    path("statement/", views.statement, name="statement"),
    path("statement/csv/", views.statement_csv, name="statement_csv"),
    path("statement/pdf/", views.statement_pdf, name="statement_pdf"),
]
