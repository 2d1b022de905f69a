"""Forms for the staff catalogue pages. Labels and limits come from the catalogue's
models; amounts are typed in dollars and become exact cents. ``dropline.catalog.editing``
decides; its errors are shown on the field they name (``DOMAIN_FIELDS``)."""

from __future__ import annotations

import copy
from typing import Any

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from dropline.backoffice.billing.forms import DollarsField
from dropline.backoffice.common import StaffForm
from dropline.catalog.models import (
    AddOn,
    BroadbandLabel,
    Channel,
    EquipmentModel,
    LabelFee,
    Plan,
    Promotion,
    ServiceKind,
)
from dropline.customers.models import ServiceArea


def _formfield(field: models.Field[Any, Any], **kwargs: Any) -> forms.Field | None:
    if isinstance(field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return field.formfield(**kwargs)


def _model_fields(model: type[models.Model], names: list[str]) -> dict[str, forms.Field]:
    fields = forms.fields_for_model(
        model,
        fields=names,
        formfield_callback=_formfield,  # type: ignore[arg-type]
    )
    return {name: field for name, field in fields.items() if field is not None}


class CatalogForm(StaffForm):
    """A form whose fields are ``MODEL``'s ``MODEL_FIELDS`` (labels, help and limits
    from the model) plus those declared on the class, in ``ORDER``."""

    MODEL: type[models.Model] | None = None
    MODEL_FIELDS: list[str] = []
    ORDER: list[str] = []
    # The domain's names for the inputs, where they differ from the form's.
    DOMAIN_FIELDS: dict[str, str] = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.MODEL is not None:
            for name, field in _model_fields(self.MODEL, self.MODEL_FIELDS).items():
                self.fields[name] = copy.deepcopy(field)
        if self.ORDER:
            self.order_fields(self.ORDER)

    def show_error(self, field: str, reason: str) -> None:
        """A domain refusal, on the field it names (or above the form)."""
        name = self.DOMAIN_FIELDS.get(field, field)
        self.add_error(name if name in self.fields else None, reason)


_CODE_HELP = _("Lowercase letters, digits and hyphens, such as internet-2000. It never changes.")
_PRICE_HELP = _("In dollars, such as 49.99.")


class PlanForm(CatalogForm):
    """A plan's words, speeds, data and sale state; a new plan also has its code, kind
    and first monthly price."""

    MODEL = Plan
    MODEL_FIELDS = [
        "code",
        "kind",
        "name",
        "name_es",
        "description",
        "download_mbps",
        "upload_mbps",
        "data_allowance_gb",
        "price_per_gb",
        "is_active",
        "sort_order",
    ]
    DOMAIN_FIELDS = {"monthly_price_cents": "monthly_price"}

    monthly_price = DollarsField(
        label=_("Monthly price"),
        help_text=_PRICE_HELP,
        error_messages={"required": _("Enter the monthly price.")},
    )

    # What only some kinds of plan have: an existing plan's form leaves out the rest.
    KIND_FIELDS: dict[str, set[str]] = {
        ServiceKind.INTERNET: {"download_mbps", "upload_mbps", "data_allowance_gb"},
        ServiceKind.TV: set(),
        ServiceKind.MOBILE: {"data_allowance_gb", "price_per_gb"},
    }

    def __init__(self, *args: Any, creating: bool, kind: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sort_order"].label = _("Position in the list")
        self.fields["sort_order"].help_text = _("Plans of a kind are listed from the lowest.")
        self.fields["price_per_gb"].help_text = _("Mobile plans charged by the GB only.")
        if creating:
            self.fields["code"].help_text = _CODE_HELP
            self.fields["is_active"].help_text = _(
                "An internet plan goes on sale once it has its broadband facts label."
            )
        else:
            for name in ("code", "kind", "monthly_price"):
                del self.fields[name]
            kept: set[str] = self.KIND_FIELDS.get(kind, set())
            for name in {"download_mbps", "upload_mbps", "data_allowance_gb", "price_per_gb"}:
                if name not in kept:
                    del self.fields[name]
        self.order_fields(
            ["code", "kind", "name", "name_es", "description", "monthly_price", *self.MODEL_FIELDS]
        )


class AreasForm(StaffForm):
    areas = forms.ModelMultipleChoiceField(
        label=_("Sold in"),
        queryset=ServiceArea.objects.order_by("name"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("A plan sold in no area cannot be ordered. Customers who have it keep it."),
    )


class LineUpForm(StaffForm):
    channels = forms.ModelMultipleChoiceField(
        label=_("Channels"),
        queryset=Channel.objects.order_by("number"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


class PromotionForm(CatalogForm):
    MODEL = Promotion
    MODEL_FIELDS = ["code", "name", "name_es", "duration_months", "is_active"]
    DOMAIN_FIELDS = {"monthly_price_cents": "monthly_price"}

    monthly_price = DollarsField(
        label=_("Promotional monthly price"),
        help_text=_PRICE_HELP,
        error_messages={"required": _("Enter the promotional price.")},
    )

    def __init__(self, *args: Any, creating: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if creating:
            self.fields["code"].help_text = _CODE_HELP
        else:
            del self.fields["code"]
        self.order_fields(["code", "name", "name_es", "monthly_price", "duration_months"])


class ChannelForm(CatalogForm):
    MODEL = Channel
    MODEL_FIELDS = ["number", "call_sign", "name", "genre", "is_hd"]


class AddOnForm(CatalogForm):
    MODEL = AddOn
    MODEL_FIELDS = ["code", "kind", "name", "name_es", "is_active"]
    DOMAIN_FIELDS = {"monthly_price_cents": "monthly_price"}

    monthly_price = DollarsField(
        label=_("Monthly price"),
        help_text=_PRICE_HELP,
        error_messages={"required": _("Enter the monthly price.")},
    )

    def __init__(self, *args: Any, creating: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if creating:
            self.fields["code"].help_text = _CODE_HELP
        else:
            for name in ("code", "kind", "monthly_price"):
                del self.fields[name]
        self.order_fields(["code", "kind", "name", "name_es", "monthly_price"])


class EquipmentForm(CatalogForm):
    MODEL = EquipmentModel
    MODEL_FIELDS = ["code", "kind", "manufacturer", "model_name"]
    DOMAIN_FIELDS = {"monthly_rental_cents": "monthly_rental"}

    monthly_rental = DollarsField(
        label=_("Monthly rental"),
        help_text=_("In dollars, such as 12.00; 0 when it is not rented."),
        error_messages={"required": _("Enter the monthly rental.")},
    )

    def __init__(self, *args: Any, creating: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if creating:
            self.fields["code"].help_text = _CODE_HELP
        else:
            for name in ("code", "monthly_rental"):
                del self.fields[name]


class LabelForm(CatalogForm):
    MODEL = BroadbandLabel
    MODEL_FIELDS = [
        "typical_download_mbps",
        "typical_upload_mbps",
        "typical_latency_ms",
        "contract_months",
        "contract_terms_url",
        "taxes_included",
        "discounts_text",
        "discounts_text_es",
        "discounts_url",
        "additional_data_block_gb",
        "network_management_url",
        "privacy_policy_url",
    ]
    DOMAIN_FIELDS = {
        "early_termination_fee_cents": "early_termination_fee",
        "additional_data_cents": "additional_data",
    }

    early_termination_fee = DollarsField(
        label=_("Early termination fee"), required=False, help_text=_("Empty means none.")
    )
    additional_data = DollarsField(
        label=_("Charge for additional data"),
        required=False,
        help_text=_("For each block of data below; empty means none."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.order_fields(
            [
                "typical_download_mbps",
                "typical_upload_mbps",
                "typical_latency_ms",
                "contract_months",
                "contract_terms_url",
                "early_termination_fee",
                "taxes_included",
                "discounts_text",
                "discounts_text_es",
                "discounts_url",
                "additional_data",
                "additional_data_block_gb",
            ]
        )


class FeeForm(CatalogForm):
    """One itemised fee of a label; an empty row is left out."""

    MODEL = LabelFee
    MODEL_FIELDS = ["kind", "name", "name_es"]

    amount = DollarsField(label=_("Amount"), help_text=_PRICE_HELP, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name"].required = False
        self.fields["kind"].required = False
        kind = self.fields["kind"]
        assert isinstance(kind, forms.ChoiceField)
        kind.choices = [("", _("Choose")), *LabelFee.Kind.choices]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("DELETE"):
            return data
        if not (data.get("name") or "").strip():
            if data.get("kind") or data.get("amount") is not None:
                self.add_error("name", _("Enter the name of the fee."))
            return data
        if not data.get("kind"):
            self.add_error("kind", _("Choose monthly or one time."))
        if data.get("amount") is None:
            self.add_error("amount", _("Enter the amount."))
        return data


FeeFormSet = forms.formset_factory(FeeForm, extra=2, can_delete=True, max_num=20)
