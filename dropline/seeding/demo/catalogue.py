"""Riverbend Broadband's catalogue: internet tiers, TV packages, home phone, mobile,
add-ons, equipment, promotions and bundles."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models

from dropline.catalog.models import (
    AddOn,
    Bundle,
    Channel,
    EquipmentModel,
    Plan,
    Promotion,
    ServiceKind,
)
from dropline.core import clock
from dropline.core.dates import add_months
from dropline.seeding.demo import household

# number, call sign, name, genre, tier (1 = TV Select, 2 = TV Silver, 3 = TV Gold, 9 = add-on)
CHANNELS: list[tuple[int, str, str, str, int]] = [
    (2, "WRBN", "WRBN Riverbend 2 (local news)", "Local", 1),
    (4, "KVLY", "KVLY Valley 4", "Local", 1),
    (5, "WQPT", "WQPT Public Television", "Local", 1),
    (7, "WTRV", "WTRV Channel 7", "Local", 1),
    (9, "WGMT", "WGMT Metro 9", "Local", 1),
    (11, "RCTV", "Riverbend Community Access", "Local", 1),
    (20, "NWS24", "News 24", "News", 1),
    (21, "WRLD", "World News Now", "News", 1),
    (22, "BIZ", "Business Channel", "News", 1),
    (23, "WTHR", "Weather Nation", "News", 1),
    (30, "SPN", "Sports Network", "Sports", 1),
    (31, "SPN2", "Sports Network 2", "Sports", 2),
    (32, "GOLF", "Fairway Golf", "Sports", 2),
    (33, "RSN", "Riverbend Regional Sports", "Sports", 2),
    (40, "KIDZ", "Kidz Network", "Kids", 1),
    (41, "TOON", "Toon Time", "Kids", 1),
    (42, "DSCV", "Discovery Science", "Documentary", 1),
    (43, "HIST", "History & Heritage", "Documentary", 2),
    (44, "NATR", "Nature World", "Documentary", 2),
    (50, "FOOD", "Food & Kitchen", "Lifestyle", 1),
    (51, "HOME", "Home & Garden", "Lifestyle", 1),
    (52, "TRVL", "Travel Channel", "Lifestyle", 2),
    (60, "CMDY", "Comedy Central Station", "Entertainment", 1),
    (61, "DRMA", "Drama Plus", "Entertainment", 2),
    (62, "CLSC", "Classic Movies", "Movies", 2),
    (63, "ACTN", "Action Movies", "Movies", 3),
    (64, "INDY", "Independent Film", "Movies", 3),
    (70, "UNIV", "Univista", "Spanish", 1),
    (71, "TLMD", "Telemundial", "Spanish", 2),
    (72, "DPTS", "Deportes Uno", "Spanish", 3),
    (80, "MUSC", "Music Videos", "Music", 2),
    (81, "CNTY", "Country Music Television", "Music", 3),
    (90, "PRM1", "Premiere Cinema", "Premium", 3),
    (91, "PRM2", "Premiere Cinema 2", "Premium", 3),
    (100, "SEC", "Conference Football Network", "Sports", 9),
    (101, "BALL", "Hoops Network", "Sports", 9),
    (102, "HCKY", "Ice Hockey Network", "Sports", 9),
    (103, "SOCR", "World Soccer", "Sports", 9),
]


# The channels each TV add-on carries: the sports networks only the pack has, the
# Spanish-language channels of the bigger packages, the premium movie channels.
ADD_ON_LINE_UPS: dict[str, list[int]] = {
    "sports-pack": [n for n, *_rest, t in CHANNELS if t == 9],
    "latino-pack": [70, 71, 72],
    "premiere-pack": [90, 91],
}


OVERAGE_BLOCK_GB = 50
OVERAGE_BLOCK_CENTS = 1000
OVERAGE_CAP_CENTS = 10000


def _upsert(model: type[models.Model], key: dict[str, Any], values: dict[str, Any]) -> int:
    """Create the record if its natural key is new; leave an existing one alone."""
    _, created = model.objects.get_or_create(**key, defaults=values)  # type: ignore[attr-defined]
    return int(created)


def load() -> int:
    created = 0
    for number, call_sign, name, genre, _tier in CHANNELS:
        created += _upsert(
            Channel,
            {"number": number},
            {"call_sign": call_sign, "name": name, "genre": genre.lower()},
        )
    channels = {c.number: c for c in Channel.objects.all()}

    # A 1.2 TB allowance on the two smaller tiers, data past it in blocks of 50 GB at
    # $10.00, at most $100.00 a month (the first time in 12 months forgiven: see
    # DROPLINE_USAGE_COURTESY_MONTHS); the Gig tier is unlimited.
    internet = [
        ("internet-300", "Internet 300", "Internet 300", 300, 20, 1200, 4999, 1),
        ("internet-500", "Internet Ultra 500", "Internet Ultra 500", 500, 50, 1200, 6999, 2),
        ("internet-gig", "Internet Gig", "Internet Gig", 1000, 100, None, 8999, 3),
    ]
    for code, name, name_es, down, up, allowance, price, order in internet:
        overage = (
            {"overage_block_gb": OVERAGE_BLOCK_GB, "overage_block_cents": OVERAGE_BLOCK_CENTS,
             "overage_cap_cents": OVERAGE_CAP_CENTS}
            if allowance is not None
            else {}
        )  # fmt: skip
        created += _upsert(
            Plan,
            {"code": code},
            {
                "kind": ServiceKind.INTERNET,
                "name": name,
                "name_es": name_es,
                "download_mbps": down,
                "upload_mbps": up,
                "data_allowance_gb": allowance,
                **overage,
                "monthly_price_cents": price,
                "currency": settings.DROPLINE_CURRENCY,
                "sort_order": order,
            },
        )
    tv = [
        ("tv-select", "TV Select", "TV Select", 1, 5999, 1),
        ("tv-silver", "TV Silver", "TV Plata", 2, 8499, 2),
        ("tv-gold", "TV Gold", "TV Oro", 3, 10999, 3),
    ]
    for code, name, name_es, tier, price, order in tv:
        plan, was_created = Plan.objects.get_or_create(
            code=code,
            defaults={
                "kind": ServiceKind.TV,
                "name": name,
                "name_es": name_es,
                "monthly_price_cents": price,
                "currency": settings.DROPLINE_CURRENCY,
                "sort_order": order,
            },
        )
        if was_created:
            plan.channels.set([channels[n] for n, *_rest, t in CHANNELS if t <= tier])
        created += int(was_created)
    mobile = [
        ("mobile-by-the-gig", "Mobile By the Gig", "Móvil por gigabyte", 0, Decimal("14"), 1),
        ("mobile-unlimited", "Mobile Unlimited", "Móvil ilimitado", 2999, None, 2),
    ]
    for code, name, name_es, price, per_gb, order in mobile:
        created += _upsert(
            Plan,
            {"code": code},
            {
                "kind": ServiceKind.MOBILE,
                "name": name,
                "name_es": name_es,
                "monthly_price_cents": price,
                "currency": settings.DROPLINE_CURRENCY,
                "price_per_gb": per_gb,
                "sort_order": order,
            },
        )

    for code, name, name_es, price, order, description, description_es in PHONE_PLANS:
        created += _upsert(
            Plan,
            {"code": code},
            {
                "kind": ServiceKind.PHONE,
                "name": name,
                "name_es": name_es,
                "description": description,
                "description_es": description_es,
                "monthly_price_cents": price,
                "currency": settings.DROPLINE_CURRENCY,
                "sort_order": order,
            },
        )

    add_ons: list[tuple[str, str, str, str, int]] = [
        ("sports-pack", ServiceKind.TV, "Sports Pack", "Paquete de deportes", 899),
        ("dvr-service", ServiceKind.TV, "Cloud DVR", "DVR en la nube", 499),
        ("latino-pack", ServiceKind.TV, "Latino Pack", "Paquete latino", 699),
        ("premiere-pack", ServiceKind.TV, "Premiere Movies", "Cine Premiere", 1299),
        ("static-ip", ServiceKind.INTERNET, "Static IP address", "Dirección IP fija", 1000),
        ("wifi-boost", ServiceKind.INTERNET, "Whole-home Wi-Fi", "Wi-Fi en toda la casa", 500),
        (
            "intl-calling",
            ServiceKind.MOBILE,
            "International calling",
            "Llamadas internacionales",
            500,
        ),
        ("world-calling", ServiceKind.PHONE, "World Calling", "Llamadas al mundo", 999),
    ]
    for code, kind, name, name_es, price in add_ons:
        add_on, was_created = AddOn.objects.get_or_create(
            code=code,
            defaults={
                "kind": kind,
                "name": name,
                "name_es": name_es,
                "monthly_price_cents": price,
                "currency": settings.DROPLINE_CURRENCY,
            },
        )
        if was_created and code in ADD_ON_LINE_UPS:
            add_on.channels.set([channels[n] for n in ADD_ON_LINE_UPS[code]])
        created += int(was_created)

    # Makes and models are proper nouns; the kind ("Gateway", "Puerta de enlace") is
    # shown beside them in the reader's language.
    # The fastest download speed each modem or gateway handles (None: any), and how a
    # replacement reaches the customer: Internet Gig needs the multi-gig gateway, which
    # a technician installs.
    equipment: list[tuple[str, str, str, str, int, int | None, str]] = [
        ("gw-xb8", "gateway", "Arris", "SURFboard G54", 1500, 500, "ship"),
        ("gw-xb10", "gateway", "Arris", "SURFboard G74", 1800, None, "install"),
        ("modem-cm3500", "modem", "Arris", "CM3500B", 1000, 500, "ship"),
        ("router-ax", "router", "eero", "Pro 6E", 500, None, "ship"),
        ("stb-4k", "receiver", "Humax", "H7 4K", 999, None, "ship"),
        ("stb-mini", "receiver", "Humax", "H3 Mini", 750, None, "ship"),
    ]
    for code, kind, maker, model_name, rental, fastest, delivery in equipment:
        created += _upsert(
            EquipmentModel,
            {"code": code},
            {
                "kind": kind,
                "manufacturer": maker,
                "model_name": model_name,
                "monthly_rental_cents": rental,
                "currency": settings.DROPLINE_CURRENCY,
                "max_download_mbps": fastest,
                "delivery": delivery,
            },
        )

    created += load_bundles(today=clock.today())

    promotions = [
        ("ultra-12mo", "internet-500", "First-year price", "Precio del primer año", 4999, 12),
        ("silver-6mo", "tv-silver", "Silver welcome offer", "Oferta de bienvenida Plata", 6499, 6),
    ]
    for code, plan_code, name, name_es, price, months in promotions:
        created += _upsert(
            Promotion,
            {"code": code},
            {
                "plan": Plan.objects.get(code=plan_code),
                "name": name,
                "name_es": name_es,
                "monthly_price_cents": price,
                "duration_months": months,
            },
        )
    return created


# code, name, Spanish name, monthly price, order, description, Spanish description
PHONE_PLANS = [
    (
        "phone-essentials",
        "Home Phone Essentials",
        "Teléfono residencial básico",
        1499,
        1,
        "Unlimited local and nationwide calling, with voicemail and caller ID.",
        "Llamadas locales y nacionales ilimitadas, con buzón de voz e identificador de llamadas.",
    ),
    (
        "phone-unlimited",
        "Home Phone Unlimited",
        "Teléfono residencial ilimitado",
        2499,
        2,
        "Unlimited nationwide calling, including Canada and Puerto Rico, with voicemail, "
        "caller ID, call waiting, three-way calling and spam call blocking.",
        "Llamadas nacionales ilimitadas, también a Canadá y Puerto Rico, con buzón de voz, "
        "identificador de llamadas, llamada en espera, llamada tripartita y bloqueo de "
        "llamadas no deseadas.",
    ),
]

# Months after the household opened its account that Internet + TV was launched: its
# bills show the discount from that bill on (``household.py`` opens the account).
BUNDLE_LAUNCHED_AFTER_MONTHS = 3

# code, name, Spanish name, kinds, monthly discount, position
BUNDLES: list[tuple[str, str, str, list[str], int, int]] = [
    ("internet-tv", "Internet + TV", "Internet + TV", ["internet", "tv"], 1000, 1),
    ("internet-mobile", "Internet + Mobile", "Internet + Móvil", ["internet", "mobile"], 500, 2),
    (
        "internet-tv-phone",
        "Internet + TV + Home phone",
        "Internet + TV + Teléfono residencial",
        ["internet", "tv", "phone"],
        2000,
        3,
    ),
]


def bundles_launched_on(today: dt.date) -> dt.date:
    """The day Riverbend began its bundles, when the demo is loaded on ``today``: the
    first day of the household's fourth bill cycle."""
    return add_months(household.opened_on(today), BUNDLE_LAUNCHED_AFTER_MONTHS)


def load_bundles(*, today: dt.date) -> int:
    created = 0
    launched = bundles_launched_on(today)
    for code, name, name_es, kinds, discount, order in BUNDLES:
        created += _upsert(
            Bundle,
            {"code": code},
            {
                "name": name,
                "name_es": name_es,
                "kinds": kinds,
                "monthly_discount_cents": discount,
                "currency": settings.DROPLINE_CURRENCY,
                "starts_on": launched,
                "sort_order": order,
            },
        )
    return created
