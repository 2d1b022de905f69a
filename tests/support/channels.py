"""A small guide with two TV plans and three channel add-ons, and a customer with the
basic plan at an older, lower contracted price, for the channel finder's tests."""

from __future__ import annotations

from dataclasses import dataclass

from dropline.catalog.models import AddOn, Channel, Plan
from dropline.subscriptions.models import Subscription
from dropline.subscriptions.ordering import subscribe
from tests.support.factories import Customer, make_customer


@dataclass
class LineUp:
    basic: Plan
    gold: Plan
    movies: AddOn
    soccer: AddOn
    retired: AddOn
    channels: dict[int, Channel]


def _channel(number: int, call_sign: str, name: str, genre: str) -> Channel:
    return Channel.objects.create(number=number, call_sign=call_sign, name=name, genre=genre)


def make_line_up() -> LineUp:
    """Channels 4 (Valley 4), 30 (Sports Network), 63 (Action Movies), 90 (Premiere
    Cinema), 103 (World Soccer), 104 (Classic Soccer). TV Basic $50.00 has 4 and 30;
    TV Gold $80.00 has 4, 30, 63 and 90; Premiere Movies $15.00 has 90; Soccer Pack
    $10.00 has 103; a retired pack (not on sale) has 104 only."""
    channels = {
        c.number: c
        for c in [
            _channel(4, "KVLY", "Valley 4", "local"),
            _channel(30, "SPN", "Sports Network", "sports"),
            _channel(63, "ACTN", "Action Movies", "movies"),
            _channel(90, "PRM1", "Premiere Cinema", "premium"),
            _channel(103, "SOCR", "World Soccer", "sports"),
            _channel(104, "CSOC", "Classic Soccer", "sports"),
        ]
    }
    basic = Plan.objects.create(
        code="tv-basic", kind="tv", name="TV Basic", name_es="TV Básica", monthly_price_cents=5000
    )
    basic.channels.set([channels[4], channels[30]])
    gold = Plan.objects.create(
        code="tv-gold", kind="tv", name="TV Gold", name_es="TV Oro", monthly_price_cents=8000
    )
    gold.channels.set([channels[n] for n in (4, 30, 63, 90)])
    movies = AddOn.objects.create(
        code="premiere", kind="tv", name="Premiere Movies", monthly_price_cents=1500
    )
    movies.channels.set([channels[90]])
    soccer = AddOn.objects.create(
        code="soccer", kind="tv", name="Soccer Pack", monthly_price_cents=1000
    )
    soccer.channels.set([channels[103]])
    retired = AddOn.objects.create(
        code="retired", kind="tv", name="Old Pack", monthly_price_cents=300, is_active=False
    )
    retired.channels.set([channels[104]])
    return LineUp(
        basic=basic, gold=gold, movies=movies, soccer=soccer, retired=retired, channels=channels
    )


def customer_with_tv(
    line_up: LineUp, *, username: str, add_ons: list[AddOn] | None = None, contracted: int = 4500
) -> tuple[Customer, Subscription]:
    """A holder with TV Basic at ``contracted`` cents a month (an older price than the
    catalogue's $50.00) and ``add_ons``."""
    customer = make_customer(username=username)
    subscription = subscribe(account=customer.account, plan=line_up.basic, add_ons=add_ons)
    Subscription.objects.filter(pk=subscription.pk).update(monthly_price_cents=contracted)
    subscription.refresh_from_db()
    return customer, subscription
