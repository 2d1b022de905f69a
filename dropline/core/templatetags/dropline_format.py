"""Template filters for ``dropline.core.formatting``: ``{{ value|display_date }}``,
``{{ value|display_datetime }}``, ``{{ end|days_between:start }}``,
``{{ day|day_of_month }}``, ``{{ zone|time_zone_name }}``, and phone numbers stored in
E.164 through ``dropline.core.phones``: ``{{ number|display_phone }}``."""

from __future__ import annotations

from django import template

from dropline.core import formatting, phones

register = template.Library()

register.filter("display_date", formatting.display_date)
register.filter("display_datetime", formatting.display_datetime)
register.filter("days_between", formatting.days_between)
register.filter("day_of_month", formatting.day_of_month)
register.filter("time_zone_name", formatting.time_zone_name)
register.filter("display_phone", phones.display_phone)
