"""Input and output of ``GET /channels`` (``dropline.api.channels.routes``)."""

from __future__ import annotations

from ninja import Field, Schema

from dropline.api.schemas import AccountQuery, AccountRefOut, MoneyOut


class ChannelsQuery(AccountQuery):
    q: str = Field(
        "",
        description="A channel name or call sign (any part, any case) or a channel number; "
        "an empty or too long one answers with a `message`.",
    )


class PackageOut(Schema):
    kind: str = Field(description="`plan` (a TV plan) or `add_on`.")
    code: str
    name: str
    monthly_price: MoneyOut
    is_mine: bool


class ChannelChangeOut(Schema):
    kind: str = Field(description="`plan` (switch to this TV plan) or `add_on` (add it).")
    code: str
    name: str
    monthly_difference: MoneyOut


class ChannelOut(Schema):
    number: int
    call_sign: str
    name: str
    genre: str
    in_my_package: bool
    packages: list[PackageOut]
    changes: list[ChannelChangeOut] = Field(
        description="Changes that add the channel, cheapest first; empty when it is in the package."
    )


class ChannelsOut(Schema):
    account: AccountRefOut
    query: str
    message: str = Field(description="Why nothing was searched, or empty.")
    truncated: bool = Field(description="More channels matched than `results` holds.")
    limit: int
    results: list[ChannelOut]
