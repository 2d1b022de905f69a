"""Give the staff roles the billing pages: customer care reads invoices and statements;
billing also enters charges and credits, voids invoices, runs bills and keeps the tax
table; administrators may do all of it."""

from typing import Any

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations

from dropline.accounts.roles import sync_roles


def grant_billing_permissions(apps: Any, schema_editor: Any) -> None:
    for label in ("billing", "ledger"):
        create_permissions(global_apps.get_app_config(label), verbosity=0, apps=apps)
    sync_roles(apps)


def revoke_billing_permissions(apps: Any, schema_editor: Any) -> None:
    from dropline.accounts.roles import ADMINISTRATOR, ROLE_PERMISSIONS

    permissions = apps.get_model("auth", "Permission").objects.filter(
        content_type__app_label__in=["billing", "ledger"]
    )
    for group in apps.get_model("auth", "Group").objects.filter(
        name__in=[*ROLE_PERMISSIONS, ADMINISTRATOR]
    ):
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("backoffice", "0004_customer_note_roles"),
        ("billing", "0002_invoice_void_permission"),
        ("ledger", "0002_append_only"),
    ]
    operations = [migrations.RunPython(grant_billing_permissions, revoke_billing_permissions)]
