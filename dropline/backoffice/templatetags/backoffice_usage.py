"""Amounts of data for staff pages: ``{{ bytes|data_amount }}`` ("1.2 TB")."""

from __future__ import annotations

from django import template

from dropline.usage.amounts import data_amount

register = template.Library()

register.filter("data_amount", data_amount)
