"""Give the Billing role the payment gateway's event log (viewing it), and administrators
every payments permission."""

from typing import Any

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations

from dropline.accounts.roles import sync_roles


def grant_gateway_event_permissions(apps: Any, schema_editor: Any) -> None:
    create_permissions(global_apps.get_app_config("payments"), verbosity=0, apps=apps)
    sync_roles(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("backoffice", "0011_dispute_roles"),
        ("payments", "0002_simulator"),
    ]
    operations = [migrations.RunPython(grant_gateway_event_permissions, migrations.RunPython.noop)]
