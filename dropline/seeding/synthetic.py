"""Synthetic customer accounts for load testing: ``dropline seed synthetic --accounts N``.

Accounts are written with ``bulk_create`` in chunks of CHUNK_SIZE, one transaction per
chunk, so a failure never leaves a half-written chunk. Content is drawn from
``random.Random(seed)``; account numbers come from the account sequence, and usernames,
emails and serial numbers derive from them, so a second run adds accounts and never
collides with the first. Every synthetic holder signs in as ``syn<account number>`` with
the same password, SYNTHETIC_PASSWORD: one hash is computed once and shared by every
row, since hashing each one would take longer than all the inserts. Emails use the
reserved example domains and phones the fictional 555 exchange.
"""

from __future__ import annotations

import datetime as dt
import random
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from operator import attrgetter
from typing import Any, TypeVar

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Model
from tqdm import tqdm

from dropline.accounts.models import User
from dropline.catalog.models import AddOn, EquipmentModel, Plan, Promotion, ServiceKind
from dropline.core import clock
from dropline.core.dates import add_months
from dropline.customers.models import (
    AccountMember,
    CustomerAccount,
    MemberRole,
    ServiceAddress,
    ServiceArea,
)
from dropline.customers.numbering import allocate_account_numbers
from dropline.network.models import Equipment
from dropline.seeding.demo import catalogue
from dropline.seeding.demo.household import SERVICE_AREAS
from dropline.subscriptions.models import Subscription, SubscriptionAddOn

SYNTHETIC_PASSWORD = "synthetic-password"  # noqa: S105 - shared by every synthetic login
CHUNK_SIZE = 2000


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


FIRST_NAMES = _words(
    "James Mary Robert Patricia John Jennifer Michael Linda David Elizabeth William Barbara "
    "Richard Susan Joseph Jessica Thomas Sarah Charles Karen Daniel Nancy Matthew Lisa Anthony "
    "Betty Mark Sandra Steven Ashley Andrew Emily Joshua Donna Kevin Michelle Brian Carol "
    "José María Juan Guadalupe Luis Sofía Carlos Ana Miguel Lucía Jorge Rosa Wei Mei Anh Linh "
    "Olga Ingrid Ahmed Fatima Kwame Amara Noah Olivia Liam Emma Ethan Ava Mason Harper"
)
LAST_NAMES = _words(
    "Smith Johnson Williams Brown Jones Miller Davis Wilson Anderson Thomas Taylor Moore "
    "Jackson Martin Lee Thompson White Harris Clark Lewis Robinson Walker Young Allen King "
    "Wright Scott Hill Green Adams Nelson Baker Hall Campbell Mitchell Carter Roberts Peterson "
    "Johansen Olson Schmidt Schultz Meyer Weber Becker García Rodríguez Martínez Hernández "
    "López González Pérez Sánchez Ramírez Torres Rivera Flores Nguyen Tran Chen Wang Kim Patel"
)
STREETS = _words(
    "Main Oak Maple Cedar Pine Elm Willow Walnut Hickory Birch Prairie River Lake Hill "
    "Meadow Sunset Church Mill Park Ridge Jefferson Lincoln Washington Madison Grant Franklin "
    "Orchard Spring Valley Bluff Timber Harvest Quarry Depot Railroad Heritage"
)
SUFFIXES = _words("Street Street Avenue Avenue Road Drive Lane Court Boulevard Way Place Circle")
# city, ZIP code and county in each of the demo's service areas (all in Iowa): the
# county picks the address's taxes and fees out of the jurisdiction table.
CITIES: dict[str, list[tuple[str, str, str]]] = {
    "riverbend-north": [
        ("Riverbend", "52240", "Johnson"),
        ("North Liberty", "52317", "Johnson"),
        ("Solon", "52333", "Johnson"),
    ],
    "riverbend-south": [
        ("Riverbend", "52246", "Johnson"),
        ("Hills", "52235", "Johnson"),
        ("Lone Tree", "52755", "Johnson"),
    ],
    "cedar-falls": [
        ("Cedar Falls", "50613", "Black Hawk"),
        ("Waterloo", "50701", "Black Hawk"),
        ("Hudson", "50643", "Black Hawk"),
    ],
    "lake-county": [
        ("Clear Lake", "50428", "Cerro Gordo"),
        ("Mason City", "50401", "Cerro Gordo"),
        ("Ventura", "50482", "Cerro Gordo"),
    ],
}
AREA_CODES = ("319", "563", "515", "641", "712")
# Every table written, parents first: the order of the inserts.
TABLES: tuple[type[Model], ...] = (
    ServiceAddress,
    CustomerAccount,
    User,
    EmailAddress,
    AccountMember,
    Subscription,
    SubscriptionAddOn,
    Equipment,
)
_T = TypeVar("_T")
_Service = tuple[str, Subscription]  # a service kind and the subscription to it
SERIAL_TAGS = {"gateway": "GW", "modem": "CM", "router": "RT", "receiver": "RX", "phone": "PH"}


class SyntheticError(ValueError):
    """Synthetic accounts cannot be created as asked."""


@dataclass(frozen=True)
class SyntheticResult:
    """What a run created: the accounts, and the rows in all the tables together."""

    accounts: int
    rows: int


@dataclass
class _Catalogue:
    """What synthetic accounts are made of, read once before the first chunk."""

    areas: list[tuple[ServiceArea, list[tuple[str, str, str]]]]
    plans: dict[str, list[Plan]]
    promotions: dict[int, list[Promotion]]
    add_ons: dict[str, list[AddOn]]
    devices: dict[str, list[EquipmentModel]]
    currency: str


def _grouped(rows: Iterable[_T], key: str) -> dict[Any, list[_T]]:
    """Rows by the value of ``key``, each group in the order of the rows' codes."""
    grouped: dict[Any, list[_T]] = defaultdict(list)
    for row in sorted(rows, key=attrgetter("code")):
        grouped[getattr(row, key)].append(row)
    return dict(grouped)


def _load_catalogue(currency: str) -> _Catalogue:
    """The service areas and catalogue, created from the demo provider when missing."""
    with transaction.atomic():
        for code, name in SERVICE_AREAS:
            ServiceArea.objects.get_or_create(code=code, defaults={"name": name})
        if not Plan.objects.exists():
            catalogue.load()
    cat = _Catalogue(
        areas=[(a, CITIES[a.code]) for a in ServiceArea.objects.filter(code__in=CITIES)],
        plans=_grouped(Plan.objects.filter(is_active=True, currency=currency), "kind"),
        promotions=_grouped(Promotion.objects.filter(is_active=True), "plan_id"),
        add_ons=_grouped(AddOn.objects.filter(is_active=True, currency=currency), "kind"),
        devices=_grouped(EquipmentModel.objects.filter(currency=currency), "kind"),
        currency=currency,
    )
    if not cat.plans or not cat.devices:
        raise SyntheticError(f"the catalogue has no plans or equipment priced in {currency}")
    return cat


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def _phone(rng: random.Random) -> str:
    return f"+1{rng.choice(AREA_CODES)}555{rng.randrange(10_000):04d}"


def _address(rng: random.Random, cat: _Catalogue) -> ServiceAddress:
    area, cities = rng.choice(cat.areas)
    city, zip_code, county = rng.choice(cities)
    line2 = f"Apt {rng.randint(1, 24)}{rng.choice('ABCD')}" if rng.random() < 0.15 else ""
    return ServiceAddress(
        line1=f"{rng.randint(1, 9899)} {rng.choice(STREETS)} {rng.choice(SUFFIXES)}",
        line2=line2,
        city=city,
        county=county,
        region="IA",
        postal_code=zip_code,
        service_area=area,
    )


def _services(rng: random.Random, cat: _Catalogue) -> list[str]:
    """1-4 service kinds: internet or TV (so there is a device), maybe mobile lines."""
    wired = [(k, odds) for k, odds in (("internet", 0.88), ("tv", 0.42)) if cat.plans.get(k)]
    kinds = [k for k, odds in wired if rng.random() < odds] or [k for k, _ in wired[:1]]
    lines = rng.choices((0, 1, 2, 3), weights=(55, 25, 15, 5))[0] if cat.plans.get("mobile") else 0
    if not kinds:  # a catalogue of mobile plans only
        lines = max(lines, 1)
    return kinds + ["mobile"] * min(lines, 4 - len(kinds))


def _subscription(
    rng: random.Random, cat: _Catalogue, *, account: CustomerAccount, kind: str, today: dt.date
) -> Subscription:
    """A service at its plan's price; some on a promotion, which then has an end date."""
    plan = rng.choice(cat.plans[kind])
    days_open = (today - account.opened_on).days
    sub = Subscription(
        account=account,
        plan_id=plan.pk,
        monthly_price_cents=plan.monthly_price_cents,
        currency=plan.currency,
        started_on=account.opened_on,
    )
    if kind == ServiceKind.MOBILE:
        sub.started_on += dt.timedelta(days=rng.randint(0, days_open))
        sub.phone_number = _phone(rng)
        sub.label = rng.choice(FIRST_NAMES)
    promotions = cat.promotions.get(plan.pk)
    if promotions and rng.random() < 0.4:
        promo = rng.choice(promotions)
        late = rng.randint(max(0, days_open - 540), days_open)  # a recent order: still running
        sub.started_on = account.opened_on + dt.timedelta(days=late)
        sub.promotion_id = promo.pk
        sub.promotion_ends_on = add_months(sub.started_on, promo.duration_months)
        sub.promotion_ends_on -= dt.timedelta(days=1)
    return sub


def _add_ons(
    rng: random.Random, offered: list[AddOn], sub: Subscription
) -> list[SubscriptionAddOn]:
    """None for most services, else one or two add-ons offered for the service's kind."""
    if not offered or rng.random() >= 0.3:
        return []
    return [
        SubscriptionAddOn(
            subscription=sub,
            add_on_id=add_on.pk,
            monthly_price_cents=add_on.monthly_price_cents,
            currency=add_on.currency,
            started_on=sub.started_on,
        )
        for add_on in rng.sample(offered, rng.randint(1, min(2, len(offered))))
    ]


def _device_models(rng: random.Random, cat: _Catalogue, kind: str) -> list[EquipmentModel]:
    """The boxes a service needs: a gateway, or a modem (maybe with a router); receivers."""
    models = cat.devices
    if kind == ServiceKind.TV and models.get("receiver"):
        return [rng.choice(models["receiver"]) for _ in range(rng.choice((1, 1, 2)))]
    if kind != ServiceKind.INTERNET:
        return []
    if models.get("gateway") and (rng.random() < 0.7 or not models.get("modem")):
        return [rng.choice(models["gateway"])]
    routers = models.get("router") if rng.random() < 0.5 else None
    return [rng.choice(m) for m in (models.get("modem"), routers) if m]


def _mac(rng: random.Random) -> str:
    octets = [rng.randrange(256) for _ in range(6)]
    octets[0] &= 0xFC  # unicast, globally administered, as on a real device
    return ":".join(f"{octet:02x}" for octet in octets)


def _equipment(
    rng: random.Random, cat: _Catalogue, *, account: CustomerAccount, services: list[_Service]
) -> list[Equipment]:
    """1-3 devices on the services they serve; serial numbers derive from the account's."""
    placed: list[tuple[EquipmentModel, Subscription | None]] = []
    placed.extend((m, sub) for kind, sub in services for m in _device_models(rng, cat, kind))
    del placed[3:]
    if not placed:  # no internet or TV plans on sale: one device on no service
        placed.append((rng.choice([m for ms in cat.devices.values() for m in ms]), None))
    devices = []
    for index, (model, sub) in enumerate(placed):
        rental = model.kind != "router" or rng.random() < 0.75  # some bring their own router
        devices.append(
            Equipment(
                account=account,
                model_id=model.pk,
                subscription=sub,
                serial_number=f"{SERIAL_TAGS.get(model.kind, 'EQ')}{account.number}{index:02d}",
                mac_address=_mac(rng),
                is_rental=rental,
                monthly_rental_cents=model.monthly_rental_cents if rental else 0,
                currency=model.currency,
                installed_on=sub.started_on if sub else account.opened_on,
            )
        )
    return devices


def _draft(
    rng: random.Random,
    cat: _Catalogue,
    *,
    number: str,
    password: str,
    today: dt.date,
    into: dict[type[Model], list[Any]],
) -> None:
    """Build one account and everything on it, unsaved, into the chunk's rows per table."""
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    domain = rng.choice(("example.com", "example.net", "example.org"))
    email = f"{_ascii(first)}.{_ascii(last)}{int(number[3:-1])}@{domain}"
    language = "es" if rng.random() < 0.2 else "en"
    opened = today - dt.timedelta(days=rng.randint(30, 6 * 365))
    address = _address(rng, cat)
    account = CustomerAccount(
        number=number,
        name=f"{first} {last}",
        service_address=address,
        email=email,
        phone=_phone(rng),
        bill_cycle_day=opened.day,  # the day service started: 29, 30 or 31 for some
        preferred_language=language,
        currency=cat.currency,
        opened_on=opened,
    )
    user = User(
        username=f"syn{number}",
        email=email,
        first_name=first,
        last_name=last,
        password=password,
        preferred_language=language,
    )
    services = [
        (kind, _subscription(rng, cat, account=account, kind=kind, today=today))
        for kind in _services(rng, cat)
    ]
    into[ServiceAddress].append(address)
    into[CustomerAccount].append(account)
    into[User].append(user)
    into[EmailAddress].append(EmailAddress(user=user, email=email, verified=True, primary=True))
    into[AccountMember].append(AccountMember(account=account, user=user, role=MemberRole.HOLDER))
    into[Subscription].extend(sub for _, sub in services)
    for kind, sub in services:
        into[SubscriptionAddOn].extend(_add_ons(rng, cat.add_ons.get(kind, []), sub))
    into[Equipment].extend(_equipment(rng, cat, account=account, services=services))


def create_accounts(*, count: int, seed: int = 1, progress: bool = True) -> SyntheticResult:
    """Create ``count`` synthetic accounts, each with a holder, services and equipment.

    Each chunk is built in memory, then inserted table by table (parents first) in one
    transaction; bulk_create sets the ids that link each row to the next table's. Its
    account numbers are reserved just before, so the sequence's row lock is held only
    briefly; a failed chunk leaves a gap in the numbers, nothing else.
    """
    if count < 1:
        raise SyntheticError("count must be at least 1")
    rng = random.Random(seed)
    cat = _load_catalogue(settings.DROPLINE_CURRENCY)
    password = make_password(SYNTHETIC_PASSWORD)
    today = clock.today()
    rows = 0
    with tqdm(total=count, unit="acct", desc="synthetic accounts", disable=not progress) as bar:
        for start in range(0, count, CHUNK_SIZE):
            numbers = allocate_account_numbers(min(CHUNK_SIZE, count - start))
            tables: dict[type[Model], list[Any]] = {model: [] for model in TABLES}
            for number in numbers:
                _draft(rng, cat, number=number, password=password, today=today, into=tables)
            with transaction.atomic():
                for model, objs in tables.items():
                    model._default_manager.bulk_create(objs, batch_size=CHUNK_SIZE)
            rows += sum(len(objs) for objs in tables.values())
            bar.update(len(numbers))
    return SyntheticResult(accounts=count, rows=rows)
