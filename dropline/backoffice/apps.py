from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class BackofficeConfig(AppConfig):
    default = True
    name = "dropline.backoffice"
    label = "backoffice"
    verbose_name = "Back-office"


class BackofficeAdminConfig(admin_apps.AdminConfig):
    """Django's admin, signing staff in through the back-office's allauth sign-in."""

    default = False
    default_site = "dropline.backoffice.admin_site.BackofficeAdminSite"
