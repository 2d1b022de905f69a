"""An account's dated history, read once, as plain values for ``billing.rating``.

``load_histories`` reads any number of accounts in the same twelve queries (values
only, no model instances): the bill run calls it once per chunk of accounts, the
forecast and the explainer once for one account.
"""

from dropline.billing.history.loading import load_bundles, load_histories, load_history
from dropline.billing.history.shared import kept_bundles
from dropline.billing.history.terms import (
    ACCOUNT_DISCOUNT_PREFIX,
    TRUE_UP_KINDS,
    AccountDiscountTerm,
    AccountHistory,
    AddOnTerm,
    BundleTerm,
    DataTerm,
    EquipmentRental,
    PreviousLine,
    PromotionTerm,
    ServicePlace,
    SubscriptionTerm,
    TaxRateTerm,
    UnbilledAdjustment,
    UsageTerm,
)

__all__ = [
    "ACCOUNT_DISCOUNT_PREFIX",
    "TRUE_UP_KINDS",
    "AccountDiscountTerm",
    "AccountHistory",
    "AddOnTerm",
    "BundleTerm",
    "DataTerm",
    "EquipmentRental",
    "PreviousLine",
    "PromotionTerm",
    "ServicePlace",
    "SubscriptionTerm",
    "TaxRateTerm",
    "UnbilledAdjustment",
    "UsageTerm",
    "kept_bundles",
    "load_bundles",
    "load_histories",
    "load_history",
]
