"""The plans on sale at an account's service address, and any internet plan's broadband
facts label. The account is the first of the caller's unless ``account`` names another
of theirs; a number that is not theirs answers 404. The label is public (the FCC wants
it at the point of sale) and reads nothing of any account."""

from __future__ import annotations

from dataclasses import asdict

from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.translation import get_language
from ninja import Query, Router

from dropline.accounts.requests import signed_in_user
from dropline.api.plans.schemas import BundleOut, LabelOut, PlanOut, PlansOut, PlansQuery
from dropline.api.schemas import AccountRefOut, ErrorOut
from dropline.catalog.labels import broadband_facts
from dropline.catalog.models import Plan
from dropline.catalog.queries import bundles_on_offer, introductory_offer, plans_available
from dropline.core import clock
from dropline.customers.numbering import normalize_account_number
from dropline.customers.queries import memberships_for

router = Router(tags=["plans"])

NOT_FOUND = {404: ErrorOut}


def _language() -> str:
    return (get_language() or "en").split("-")[0]


def _plan_out(plan: Plan, language: str) -> PlanOut:
    offer = introductory_offer(plan)
    return PlanOut(
        code=plan.code,
        kind=plan.kind,
        name=plan.localized_name(language),
        currency=plan.currency,
        monthly_price_cents=plan.monthly_price_cents,
        promotional_price_cents=offer.monthly_price_cents if offer else None,
        promotional_months=offer.duration_months if offer else None,
        price_after_promotion_cents=plan.monthly_price_cents if offer else None,
        download_mbps=plan.download_mbps,
        upload_mbps=plan.upload_mbps,
        data_allowance_gb=plan.data_allowance_gb,
        channel_count=getattr(plan, "channel_count", 0),
        label_url=reverse("plans:label", args=[plan.code])
        if hasattr(plan, "broadband_label")
        else None,
    )


@router.get(
    "/plans",
    response={200: PlansOut, **NOT_FOUND},
    summary="Plans that can be ordered at the account's service address",
)
def plans(request: HttpRequest, query: Query[PlansQuery]) -> PlansOut:
    """Every plan that can be ordered at the account's service address, with its price,
    speeds and label, and the bundles on offer with them."""
    memberships = memberships_for(user=signed_in_user(request)).select_related(
        "account__service_address"
    )
    if query.account:
        memberships = memberships.filter(
            account__number=normalize_account_number(query.account) or "-"
        )
    membership = memberships.first()
    if membership is None:
        raise Http404
    account = membership.account
    language = _language()
    area = account.service_address.service_area_id
    available = list(plans_available(service_area=area))
    bundles = bundles_on_offer(on=clock.today(), kinds={plan.kind for plan in available})
    return PlansOut(
        account=AccountRefOut(number=account.number, name=account.name, role=membership.role),
        plans=[_plan_out(plan, language) for plan in available],
        bundles=[
            BundleOut(
                code=bundle.code,
                name=bundle.localized_name(language),
                monthly_discount_cents=bundle.monthly_discount_cents,
            )
            for bundle in bundles
        ],
    )


@router.get(
    "/plans/{code}/label",
    response={200: LabelOut, **NOT_FOUND},
    summary="An internet plan's broadband facts label",
    auth=None,
)
def label(request: HttpRequest, code: str) -> LabelOut:
    """The FCC broadband facts of the plan ``code``; 404 when it has no label."""
    facts = broadband_facts(code, language=_language())
    if facts is None:
        raise Http404
    values = asdict(facts)
    values.pop("support_phone_display")
    return LabelOut(**values)
