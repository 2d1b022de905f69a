"""Give administrators the broadband facts labels and their fees (every catalogue
permission is theirs): labels are edited in the records under the back-office."""

from typing import Any

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations

from dropline.accounts.roles import sync_roles


def grant_label_permissions(apps: Any, schema_editor: Any) -> None:
    create_permissions(global_apps.get_app_config("catalog"), verbosity=0, apps=apps)
    sync_roles(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("backoffice", "0005_billing_roles"),
        ("catalog", "0003_availability_and_broadband_labels"),
    ]
    operations = [migrations.RunPython(grant_label_permissions, migrations.RunPython.noop)]
