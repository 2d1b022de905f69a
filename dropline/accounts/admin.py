from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group, Permission
from django.db.models import ManyToManyField
from django.http import HttpRequest
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dropline.accounts.models import User

_ACTIONS = {
    "add": _("Can add %(thing)s"),
    "change": _("Can change %(thing)s"),
    "delete": _("Can delete %(thing)s"),
    "view": _("Can view %(thing)s"),
}


class PermissionChoices(forms.ModelMultipleChoiceField):
    """Permissions named in the reader's language: Django stores their names in English."""

    def label_from_instance(self, obj: Permission) -> str:
        model = obj.content_type.model_class()
        if model is None:
            return obj.name
        meta = model._meta
        action, _sep, rest = obj.codename.partition("_")
        if rest == meta.model_name and action in _ACTIONS:
            what = _ACTIONS[action] % {"thing": meta.verbose_name}
        else:
            what = gettext(obj.name)
        return f"{meta.app_config.verbose_name} | {capfirst(meta.verbose_name_plural)} | {what}"


class TranslatedPermissions:
    def formfield_for_manytomany(
        self, db_field: ManyToManyField, request: HttpRequest, **kwargs: Any
    ) -> Any:
        if db_field.name in {"permissions", "user_permissions"}:
            kwargs["form_class"] = PermissionChoices
        return super().formfield_for_manytomany(db_field, request, **kwargs)  # type: ignore[misc]


@admin.register(User)
class UserAdmin(TranslatedPermissions, BaseUserAdmin):
    # Django's two-box selector labels an icon with an ARIA attribute it may not carry
    # (axe: aria-prohibited-attr); the plain list box is accessible.
    filter_horizontal = ()
    list_display = ("username", "email", "first_name", "last_name", "is_staff", "is_active")


admin.site.unregister(Group)


@admin.register(Group)
class StaffRoleAdmin(TranslatedPermissions, BaseGroupAdmin):
    """Staff roles, with the plain accessible list box for their permissions."""

    filter_horizontal = ()
    list_display = ("role",)

    @admin.display(description=_("name"), ordering="name")
    def role(self, group: Group) -> str:
        """Role names are stored in English (they are the roles' keys); shown translated."""
        return gettext(group.name)
