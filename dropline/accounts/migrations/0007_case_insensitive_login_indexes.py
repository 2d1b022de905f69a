"""Indexes for the case-insensitive look-ups a sign-in makes (``UPPER(x) = UPPER(...)``):
the login's username and email, and allauth's email addresses (``queries.user_for_login``
asks for ``email__iexact``; allauth's own model only indexes the exact value)."""

import django.db.models.functions.text
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0006_payment_method_security_events"),
        ("account", "0009_emailaddress_unique_primary_email"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="user",
            index=models.Index(
                django.db.models.functions.text.Upper("username"), name="user_username_upper"
            ),
        ),
        migrations.AddIndex(
            model_name="user",
            index=models.Index(
                django.db.models.functions.text.Upper("email"), name="user_email_upper"
            ),
        ),
        migrations.RunSQL(
            'CREATE INDEX "emailaddress_email_upper" ON "account_emailaddress" (UPPER("email"))',
            'DROP INDEX "emailaddress_email_upper"',
        ),
    ]
