"""The signed-in customer (``/me``): who they are, the accounts they belong to and the
first account's summary, as the web's overview shows it."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import get_language
from ninja import Router

from dropline.accounts.requests import signed_in_user
from dropline.api.overview.schemas import (
    AccountOut,
    AddOnOut,
    AddressOut,
    EquipmentOut,
    MeOut,
    ServiceOut,
)
from dropline.api.schemas import AccountRefOut, ErrorOut, MoneyOut
from dropline.customers.models import AccountMember
from dropline.customers.queries import choose_membership
from dropline.overview.summary import AccountOverview, account_overview

router = Router()


def _account_out(membership: AccountMember, overview: AccountOverview) -> AccountOut:
    account = overview.account
    address = account.service_address
    return AccountOut(
        number=account.number,
        name=account.name,
        status=account.status,
        role=membership.role,
        service_address=AddressOut(
            line1=address.line1,
            line2=address.line2,
            city=address.city,
            region=address.region,
            postal_code=address.postal_code,
            country=address.country,
            service_area=address.service_area.code,
        ),
        bill_cycle_day=account.bill_cycle_day,
        preferred_language=account.preferred_language,
        services=[
            ServiceOut(
                id=s.subscription_id,
                kind=s.kind,
                plan_name=s.plan_name,
                status=s.status,
                monthly_price=MoneyOut.of(s.monthly_price),
                regular_monthly_price=MoneyOut.of(s.regular_price),
                promotion_name=s.promotion_name,
                promotion_ends_on=s.promotion_ends_on,
                download_mbps=s.download_mbps,
                upload_mbps=s.upload_mbps,
                data_allowance_gb=s.data_allowance_gb,
                channel_count=s.channel_count,
                phone_number=s.phone_number,
                add_ons=[
                    AddOnOut(name=a.name, monthly_price=MoneyOut.of(a.monthly_price))
                    for a in s.add_ons
                ],
            )
            for s in overview.services
        ],
        equipment=[
            EquipmentOut(
                id=e.equipment_id,
                kind=e.kind,
                name=e.name,
                serial_number=e.serial_number,
                status=e.status,
                is_rental=e.is_rental,
                monthly_rental=MoneyOut.of(e.monthly_rental),
            )
            for e in overview.equipment
        ],
        monthly_total=MoneyOut.of(overview.monthly_total),
        balance_cents=overview.billing.balance_cents,
        amount_due_cents=overview.billing.amount_due_cents,
        due_on=overview.billing.due_on,
    )


@router.get(
    "/me",
    response={200: MeOut, 401: ErrorOut},
    summary="The signed-in customer",
    # The id it had when it was defined in api/api.py; clients generated from the
    # OpenAPI document name their method after it.
    operation_id="dropline_api_api_me",
)
def me(request: HttpRequest) -> MeOut:
    """Who is signed in, the accounts they belong to and the first account's summary."""
    user = signed_in_user(request)
    primary, others = choose_membership(user=user, account_id=None)
    memberships = [primary, *others] if primary is not None else []
    account = None
    if primary is not None:
        overview = account_overview(account=primary.account, language=get_language() or "en")
        account = _account_out(primary, overview)
    return MeOut(
        username=user.get_username(),
        email=getattr(user, "email", ""),
        first_name=getattr(user, "first_name", ""),
        last_name=getattr(user, "last_name", ""),
        accounts=[
            AccountRefOut(number=m.account.number, name=m.account.name, role=m.role)
            for m in memberships
        ],
        account=account,
    )
