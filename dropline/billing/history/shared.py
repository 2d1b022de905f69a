"""What every account's history shares: the tax table (each account takes the rates of
the jurisdictions matching its service address) and the catalogue's bundles, one
query each."""

from __future__ import annotations

from collections.abc import Sequence

from dropline.billing.history.terms import BundleTerm, ServicePlace, TaxRateTerm
from dropline.billing.models import TaxRate
from dropline.catalog.models import Bundle, bundle_kinds_valid
from dropline.core import read_models

# Where a rate applies (state, county, city; empty: the whole of it), and the rate.
PlacedRate = tuple[tuple[str, str, str], TaxRateTerm]


def load_tax_rates(states: Sequence[str]) -> list[PlacedRate]:
    """Every rate of the jurisdictions in ``states``, in one query."""
    return [
        (
            (rate["jurisdiction__state"], rate["jurisdiction__county"], rate["jurisdiction__city"]),
            TaxRateTerm(
                jurisdiction_code=rate["jurisdiction__code"],
                code=rate["code"],
                kind=rate["kind"],
                name=rate["name"],
                name_es=rate["name_es"] or rate["name"],
                applies_to=tuple(rate["applies_to"] or ()),
                percent=rate["percent"],
                amount_cents=rate["amount_cents"],
                effective_from=rate["effective_from"],
                effective_until=rate["effective_until"],
            ),
        )
        for rate in TaxRate.objects.filter(jurisdiction__state__in=states)
        .values(
            "jurisdiction__code",
            "jurisdiction__state",
            "jurisdiction__county",
            "jurisdiction__city",
            "code",
            "kind",
            "name",
            "name_es",
            "applies_to",
            "percent",
            "amount_cents",
            "effective_from",
            "effective_until",
        )
        .order_by("jurisdiction__code", "code", "effective_from")
    ]


def _place_matches(place: ServicePlace, state: str, county: str, city: str) -> bool:
    return (
        state.casefold() == place.state.casefold()
        and (not county or county.casefold() == place.county.casefold())
        and (not city or city.casefold() == place.city.casefold())
    )


def rates_at(place: ServicePlace, rates: Sequence[PlacedRate]) -> tuple[TaxRateTerm, ...]:
    """The rates of the jurisdictions ``place`` is in."""
    return tuple(term for where, term in rates if _place_matches(place, *where))


def kept_bundles() -> tuple[BundleTerm, ...]:
    """``load_bundles`` as the catalogue's read model ``bundles`` (``core.read_models``),
    for pages; rating and bill runs read the catalogue itself."""
    return read_models.catalogue("bundles", load_bundles)


def load_bundles() -> tuple[BundleTerm, ...]:
    """Every bundle of the catalogue, on offer or not (its dates say when it is given), in
    one query."""
    return tuple(
        BundleTerm(
            code=row["code"],
            label=row["name"],
            label_es=row["name_es"] or row["name"],
            kinds=frozenset(row["kinds"] or ()),
            monthly_discount_cents=row["monthly_discount_cents"],
            starts_on=row["starts_on"],
            ends_on=row["ends_on"],
        )
        for row in Bundle.objects.order_by("code").values(
            "code", "name", "name_es", "kinds", "monthly_discount_cents", "starts_on", "ends_on"
        )
        if bundle_kinds_valid(row["kinds"])
    )
