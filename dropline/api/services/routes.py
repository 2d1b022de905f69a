"""My services, for the mobile app: each service of the account with its plan, what it
includes, its equipment, the price now, after the promotion and any price change to
come. The same read as the web page (``dropline.overview.services``)."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import get_language
from ninja import Query, Router

from dropline.api.membership import membership_asked
from dropline.api.overview.schemas import AddOnOut, EquipmentOut
from dropline.api.schemas import AccountQuery, AccountRefOut, ErrorOut, MoneyOut
from dropline.api.services.schemas import (
    BundleSavingOut,
    PriceChangeOut,
    ServiceDetailOut,
    ServicesOut,
)
from dropline.overview.services import ServiceDetail, my_services
from dropline.overview.summary import EquipmentLine

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
