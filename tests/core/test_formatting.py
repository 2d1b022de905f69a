"""Dates, days of the month and time zones: one way per language, through one helper."""

import datetime as dt

import pytest
from django.template import engines
from django.utils import translation

from dropline.core.formatting import (
    day_of_month,
    days_between,
    display_date,
    display_datetime,
    time_zone_name,
)


def test_a_date_reads_one_way_in_english_and_one_in_spanish(settings):
    settings.TIME_ZONE = "America/Chicago"
    day = dt.date(2026, 12, 3)
    moment = dt.datetime(2026, 12, 3, 22, 15, tzinfo=dt.UTC)  # 4:15 p.m. in Iowa
    with translation.override("en"):
        assert display_date(day) == "Dec. 3, 2026"
        assert display_date(moment) == "Dec. 3, 2026"
        assert display_datetime(moment) == "Dec. 3, 2026, 4:15 p.m."
    with translation.override("es"):
        assert display_date(day) == "3 de diciembre de 2026"
        assert display_datetime(moment) == "3 de diciembre de 2026 a las 16:15"
    assert display_date(None) == display_datetime(None) == ""


def test_late_evening_is_still_the_local_day(settings):
    settings.TIME_ZONE = "America/Chicago"
    with translation.override("en"):
        assert display_date(dt.datetime(2026, 12, 4, 3, 0, tzinfo=dt.UTC)) == "Dec. 3, 2026"


@pytest.mark.parametrize(
    ("day", "english"),
    [
        (1, "1st"),
        (2, "2nd"),
        (3, "3rd"),
        (4, "4th"),
        (11, "11th"),
        (12, "12th"),
        (13, "13th"),
        (21, "21st"),
        (22, "22nd"),
        (23, "23rd"),
        (28, "28th"),
        (31, "31st"),
    ],
)
def test_days_of_the_month_read_as_people_say_them(day, english):
    with translation.override("en"):
        assert day_of_month(day) == english
    with translation.override("es"):
        assert day_of_month(day) == str(day)


def test_time_zones_go_by_the_name_people_use():
    with translation.override("en"):
        assert time_zone_name("America/Chicago") == "Central time"
        assert time_zone_name("America/New_York") == "Eastern time"
        assert time_zone_name("Europe/Madrid") == "Europe/Madrid"
    with translation.override("es"):
        assert time_zone_name("America/Chicago") == "Hora del Centro"


def test_a_period_is_a_round_number_of_days():
    start = dt.datetime(2026, 12, 3, 16, 0, tzinfo=dt.UTC)
    assert days_between(start + dt.timedelta(days=30), start) == 30
    assert days_between(start + dt.timedelta(days=30, seconds=-2), start) == 30


def test_the_template_filters_use_the_same_helpers():
    template = engines["django"].from_string(
        "{% load dropline_format %}{{ day|display_date }} · {{ 12|day_of_month }} · "
        "{{ zone|time_zone_name }}"
    )
    with translation.override("en"):
        text = template.render({"day": dt.date(2026, 12, 3), "zone": "America/Chicago"})
    assert text == "Dec. 3, 2026 · 12th · Central time"


def test_phone_numbers_read_as_people_write_them_in_both_languages():
    template = engines["django"].from_string(
        "{% load dropline_format %}{{ home|display_phone }} · {{ abroad|display_phone }} · "
        "[{{ none|display_phone }}]"
    )
    context = {"home": "+13195550142", "abroad": "+525512345678", "none": ""}
    for language in ("en", "es"):
        with translation.override(language):
            text = template.render(context)
        assert text == "(319) 555-0142 · +52 55 1234 5678 · []"
