"""The channel finder, for the mobile app: the same search as the web page
(``dropline.subscriptions.channels``). An empty or too long ``q`` answers 200 with a
``message`` and no results."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import get_language
from ninja import Query, Router

from dropline.api.channels.schemas import (
    ChannelChangeOut,
    ChannelOut,
    ChannelsOut,
    ChannelsQuery,
    PackageOut,
)
from dropline.api.membership import membership_asked
from dropline.api.schemas import AccountRefOut, ErrorOut, MoneyOut
from dropline.subscriptions.channels import RESULT_LIMIT, find_channels

router = Router(tags=["channels"])


@router.get(
    "/channels",
    response={200: ChannelsOut, 404: ErrorOut},
    summary="Find a channel",
)
def channels(request: HttpRequest, query: Query[ChannelsQuery]) -> ChannelsOut:
    """Channels whose name or call sign contains `q`, or whose number is `q`: whether the
    account's TV package has each, the packages that do and the changes that add it."""
    membership = membership_asked(request, query.account)
    language = (get_language() or "en").split("-")[0]
    search = find_channels(account=membership.account, query=query.q, language=language)
    account = membership.account
    return ChannelsOut(
        account=AccountRefOut(number=account.number, name=account.name, role=membership.role),
        query=search.query,
        message=search.problem,
        truncated=search.truncated,
        limit=RESULT_LIMIT,
        results=[
            ChannelOut(
                number=c.number,
                call_sign=c.call_sign,
                name=c.name,
                genre=c.genre,
                in_my_package=c.in_my_package,
                packages=[
                    PackageOut(
                        kind=p.kind,
                        code=p.code,
                        name=p.name,
                        monthly_price=MoneyOut.of(p.monthly_price),
                        is_mine=p.is_mine,
                    )
                    for p in c.packages
                ],
                changes=[
                    ChannelChangeOut(
                        kind=ch.kind,
                        code=ch.code,
                        name=ch.name,
                        monthly_difference=MoneyOut.of(ch.monthly_difference),
                    )
                    for ch in c.changes
                ],
            )
            for c in search.results
        ],
    )
