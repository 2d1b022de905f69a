"""My services, for the mobile app: each service of the account with its plan, what it
includes, its equipment, the price now, after the promotion and any price change to
come. The same read as the web page (``dropline.overview.services``).

Beside it, the reads of the web's pages for changing services: a service's compare page
(``orders.compare``) and add-ons (``subscriptions.queries.add_on_choices``), the paid
extras (``orders.extras``) and the mobile lines. Anyone on the account may read them;
``may_change`` says whether the caller may also change. Another account's service
answers 404."""

from __future__ import annotations

from decimal import Decimal

from django.http import Http404, HttpRequest
from django.utils.translation import get_language
from ninja import Query, Router

from dropline.api.membership import membership_asked
from dropline.api.overview.schemas import AddOnOut, EquipmentOut
from dropline.api.schemas import AccountQuery, AccountRefOut, ErrorOut, MoneyOut
from dropline.api.services.schemas import (
    AddOnChoiceOut,
    AddOnChoicesOut,
    BundleSavingOut,
    ExtraOut,
    ExtrasOut,
    LinesOut,
    PlanChoiceOut,
    PlanChoicesOut,
    PlanRefusalOut,
    PriceChangeOut,
    ServiceDetailOut,
    ServicesOut,
)
from dropline.catalog.queries import per_gb_rates
from dropline.core.money import Money
from dropline.customers.models import AccountMember
from dropline.customers.permissions import can_change_services
from dropline.orders.compare import Comparison, PlanOption, compare_plans
from dropline.orders.extras import ADD_ON, monthly_total, paid_extras
from dropline.overview.services import ServiceDetail, my_services
from dropline.overview.summary import EquipmentLine
from dropline.subscriptions import queries as service_queries
from dropline.subscriptions.models import Subscription
from dropline.subscriptions.queries import AddOnChoice

router = Router(tags=["services"])


def _equipment_out(device: EquipmentLine) -> EquipmentOut:
    return EquipmentOut(
        id=device.equipment_id,
        kind=device.kind,
        name=device.name,
        serial_number=device.serial_number,
        status=device.status,
        is_rental=device.is_rental,
        monthly_rental=MoneyOut.of(device.monthly_rental),
    )


def _service_out(detail: ServiceDetail) -> ServiceDetailOut:
    s = detail.service
    change = detail.pending_change
    return ServiceDetailOut(
        id=s.subscription_id,
        kind=s.kind,
        plan_code=detail.plan_code,
        plan_name=s.plan_name,
        label=s.label,
        status=s.status,
        download_mbps=s.download_mbps,
        upload_mbps=s.upload_mbps,
        data_allowance_gb=s.data_allowance_gb,
        price_per_gb=s.price_per_gb,
        channel_count=s.channel_count,
        phone_number=s.phone_number,
        monthly_price=MoneyOut.of(s.monthly_price),
        regular_monthly_price=MoneyOut.of(s.regular_price),
        promotion_name=s.promotion_name,
        promotion_ends_on=s.promotion_ends_on,
        price_after_promotion=(
            MoneyOut.of(detail.price_after_promotion) if detail.price_after_promotion else None
        ),
        price_after_promotion_from=detail.price_after_promotion_from,
        pending_price_change=(
            PriceChangeOut(
                effective_on=change.effective_on,
                monthly_price=MoneyOut.of(change.monthly_price),
                reason=change.reason,
            )
            if change
            else None
        ),
        add_ons=[
            AddOnOut(name=a.name, monthly_price=MoneyOut.of(a.monthly_price)) for a in s.add_ons
        ],
        equipment=[_equipment_out(e) for e in detail.equipment],
    )


@router.get(
    "/services",
    response={200: ServicesOut, 404: ErrorOut},
    summary="My services with their prices",
)
def services(request: HttpRequest, query: Query[AccountQuery]) -> ServicesOut:
    """Each current service of the account: plan, speeds, data, channels, phone number,
    add-ons, equipment, the price now, the price after the promotion and from when, and
    any price change to come. Any member of the account may read it."""
    membership = membership_asked(request, query.account)
    language = (get_language() or "en").split("-")[0]
    mine = my_services(account=membership.account, language=language)
    account = membership.account
    return ServicesOut(
        account=AccountRefOut(number=account.number, name=account.name, role=membership.role),
        as_of=mine.as_of,
        services=[_service_out(d) for d in mine.services],
        other_equipment=[_equipment_out(e) for e in mine.other_equipment],
        bundle=(
            BundleSavingOut(
                code=mine.bundle.code,
                name=mine.bundle.name,
                monthly_discount=MoneyOut.of(mine.bundle.monthly_discount),
            )
            if mine.bundle
            else None
        ),
        monthly_total=MoneyOut.of(mine.monthly_total),
    )


def _language() -> str:
    return (get_language() or "en").split("-")[0]


def _account_ref(membership: AccountMember) -> AccountRefOut:
    account = membership.account
    return AccountRefOut(number=account.number, name=account.name, role=membership.role)


@router.get(
    "/services/extras",
    response={200: ExtrasOut, 404: ErrorOut},
    summary="What the account pays for by the month on top of its plans",
)
def extras(request: HttpRequest, query: Query[AccountQuery]) -> ExtrasOut:
    """Every add-on and rented device the account pays for by the month, the most
    expensive first, with their total: the web's "Remove what you don't use" page. An
    add-on is removed with `/orders/preview` and `/orders` (`remove_add_on`). Any member
    of the account may read it."""
    membership = membership_asked(request, query.account)
    found = paid_extras(account=membership.account, language=_language())
    return ExtrasOut(
        account=_account_ref(membership),
        extras=[
            ExtraOut(
                kind="add_on" if extra.kind == ADD_ON else "equipment",
                name=extra.name,
                service_name=extra.service_name,
                service=extra.subscription_id,
                add_on=extra.add_on_code,
                equipment_id=extra.equipment_id,
                monthly_price=MoneyOut.of(extra.monthly),
                ends_on=extra.last_day,
                pending_order=extra.pending_order_id,
                removable=extra.removable,
            )
            for extra in found
        ],
        monthly_total=MoneyOut.of(monthly_total(found, currency=membership.account.currency)),
        may_change=can_change_services(membership),
    )


@router.get(
    "/services/lines",
    response={200: LinesOut, 404: ErrorOut},
    summary="The account's mobile lines",
)
def lines(request: HttpRequest, query: Query[AccountQuery]) -> LinesOut:
    """Each mobile line with its phone number, plan and price, as the web's mobile lines
    page lists them. Any member of the account may read it."""
    membership = membership_asked(request, query.account)
    mine = my_services(account=membership.account, language=_language())
    return LinesOut(
        account=_account_ref(membership),
        lines=[_service_out(detail) for detail in mine.mobile_lines],
        may_change=can_change_services(membership),
    )


def _service(membership: AccountMember, subscription_id: int) -> Subscription:
    found = service_queries.service_for(account=membership.account, subscription_id=subscription_id)
    if found is None:
        raise Http404
    return found


def _refusal(code: str, reason: str) -> PlanRefusalOut | None:
    return PlanRefusalOut(code=code, reason=reason) if code else None


def _choice_out(
    option: PlanOption, comparison: Comparison, per_gb: dict[str, Decimal]
) -> PlanChoiceOut:
    currency = comparison.currency

    def money(cents: int) -> MoneyOut:
        return MoneyOut.of(Money(cents, currency))

    rate = per_gb.get(option.code)
    return PlanChoiceOut(
        code=option.code,
        kind=option.kind,
        name=option.name,
        is_current=option.is_current,
        is_upgrade=option.is_upgrade,
        price_now=money(option.monthly_now_cents),
        promotion_price=(
            money(option.promotion_price_cents)
            if option.promotion_price_cents is not None
            else None
        ),
        promotion_months=option.promotion_months,
        regular_price=money(option.regular_cents),
        regular_from=option.regular_from,
        price_per_gb=MoneyOut.of(Money.from_decimal(rate, currency)) if rate is not None else None,
        equipment_rental=money(option.equipment_rental_cents),
        equipment_name=option.equipment_name,
        twelve_months=money(option.twelve_month_cents),
        download_mbps=option.download_mbps,
        upload_mbps=option.upload_mbps,
        data_allowance_gb=option.data_allowance_gb,
        channel_count=option.channel_count,
        effective_on=option.effective_on,
        can_order=option.can_order and not comparison.refusal_code,
        refusal=_refusal(option.refusal_code, option.refusal_reason),
    )


@router.get(
    "/services/{subscription_id}/plans",
    response={200: PlanChoicesOut, 404: ErrorOut},
    summary="Compare plans: the plans a service could change to",
)
def plan_choices(
    request: HttpRequest, subscription_id: int, query: Query[AccountQuery]
) -> PlanChoicesOut:
    """The service's plan beside every plan of its kind on sale at the address, as the
    web's compare page shows them: the price now, the price after any promotion and from
    when, equipment a plan needs, and 12 months of plan and rentals (before taxes and
    fees). Each plan says whether it can be ordered, or why not; a change is previewed
    and placed with `/orders/preview` and `/orders` (`change_plan`). Any member of the
    account may read it; another account's service answers 404."""
    membership = membership_asked(request, query.account)
    service = _service(membership, subscription_id)
    comparison = compare_plans(
        account=membership.account, subscription_id=service.pk, language=_language()
    )
    per_gb = per_gb_rates([option.code for option in comparison.options])
    return PlanChoicesOut(
        account=_account_ref(membership),
        service=service.pk,
        service_label=comparison.service_label,
        currency=comparison.currency,
        refusal=_refusal(comparison.refusal_code, comparison.refusal_reason),
        plans=[_choice_out(option, comparison, per_gb) for option in comparison.options],
        may_change=can_change_services(membership),
    )


def _add_on_out(choice: AddOnChoice) -> AddOnChoiceOut:
    return AddOnChoiceOut(
        code=choice.code,
        name=choice.name,
        monthly_price=MoneyOut.of(choice.monthly_price),
        starts_on=choice.starts_on,
        ends_on=choice.ends_on,
    )


@router.get(
    "/services/{subscription_id}/add-ons",
    response={200: AddOnChoicesOut, 404: ErrorOut},
    summary="A service's add-ons and those on sale for it",
)
def add_on_choices(
    request: HttpRequest, subscription_id: int, query: Query[AccountQuery]
) -> AddOnChoicesOut:
    """The add-ons the service has (at the price it contracted, with any booked removal)
    and those on sale for its kind of service, by name, as the web's add-ons page shows
    them; one is added or removed with `/orders/preview` and `/orders` (`add_add_on`,
    `remove_add_on`). Any member of the account may read it; another account's service
    answers 404."""
    membership = membership_asked(request, query.account)
    language = _language()
    choices = service_queries.add_on_choices(
        account=membership.account, subscription_id=subscription_id, language=language
    )
    if choices is None:
        raise Http404
    service = choices.service
    return AddOnChoicesOut(
        account=_account_ref(membership),
        service=service.pk,
        service_name=service.plan.localized_name(language),
        service_label=service.label,
        on_service=[_add_on_out(choice) for choice in choices.mine],
        on_sale=[_add_on_out(choice) for choice in choices.on_sale],
        may_change=can_change_services(membership),
    )
