"""Give Customer care and Field dispatch the equipment and outage permissions their jobs
need (a device's live status, restarting it and changing its Wi-Fi, its actions and speed
tests; declaring, updating and resolving outages and maintenance), and administrators
every one."""

from typing import Any

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations

from dropline.accounts.roles import sync_roles


def grant_network_permissions(apps: Any, schema_editor: Any) -> None:
    create_permissions(global_apps.get_app_config("network"), verbosity=0, apps=apps)
    sync_roles(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("backoffice", "0013_usage_roles"),
        ("network", "0003_devices_outages_speed_tests"),
    ]
    operations = [migrations.RunPython(grant_network_permissions, migrations.RunPython.noop)]
