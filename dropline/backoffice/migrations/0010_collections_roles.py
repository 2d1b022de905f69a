"""Give the Billing role the collections list and suspending and restoring services
(administrators hold every permission)."""

from typing import Any

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations

from dropline.accounts.roles import sync_roles


def grant_collections_permissions(apps: Any, schema_editor: Any) -> None:
    create_permissions(global_apps.get_app_config("payments"), verbosity=0, apps=apps)
    sync_roles(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("backoffice", "0009_payment_roles"),
        ("payments", "0003_autopay_extensions_dunning"),
    ]
    operations = [migrations.RunPython(grant_collections_permissions, migrations.RunPython.noop)]
