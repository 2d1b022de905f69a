from allauth.account.apps import AccountConfig
from allauth.mfa.apps import MFAConfig
from allauth.usersessions.apps import UserSessionsConfig
from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class BackofficeConfig(AppConfig):
    default = True
    name = "dropline.backoffice"
    label = "backoffice"
    verbose_name = "Back-office"


class BackofficeAdminConfig(admin_apps.AdminConfig):
    """Django's admin, signing staff in through the back-office's allauth sign-in."""

    default = False
    default_site = "dropline.backoffice.admin_site.BackofficeAdminSite"


# allauth's apps, named in the admin index for what they hold here; the default
# "Accounts" would stand beside Dropline's own accounts app under the same heading.
class SignInEmailConfig(AccountConfig):
    default = False
    verbose_name = _("Sign-in email addresses")


class SecondFactorsConfig(MFAConfig):
    default = False
    verbose_name = _("Second factors")


class SignedInSessionsConfig(UserSessionsConfig):
    default = False
    verbose_name = _("Signed-in sessions")
