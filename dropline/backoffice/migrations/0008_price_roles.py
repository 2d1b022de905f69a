"""Give administrators the scheduled catalogue prices (every catalogue permission is
theirs): viewing them, scheduling one and canceling one still to come."""

from typing import Any

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations

from dropline.accounts.roles import sync_roles


def grant_price_permissions(apps: Any, schema_editor: Any) -> None:
    create_permissions(global_apps.get_app_config("catalog"), verbosity=0, apps=apps)
    sync_roles(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("backoffice", "0007_catalog_roles"),
        ("catalog", "0005_scheduled_prices"),
    ]
    operations = [migrations.RunPython(grant_price_permissions, migrations.RunPython.noop)]
