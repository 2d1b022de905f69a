"""The catalogue is kept by administrators alone, on the back-office's catalogue pages:
the billing role no longer adds or changes plans, promotions and add-ons (prices change
from a date under "Prices")."""

from typing import Any

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations

from dropline.accounts.roles import sync_roles


def keep_catalog_for_administrators(apps: Any, schema_editor: Any) -> None:
    create_permissions(global_apps.get_app_config("catalog"), verbosity=0, apps=apps)
    sync_roles(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("backoffice", "0006_broadband_label_roles"),
        ("catalog", "0003_availability_and_broadband_labels"),
    ]
    operations = [migrations.RunPython(keep_catalog_for_administrators, migrations.RunPython.noop)]
