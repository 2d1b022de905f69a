"""Speeds on the speed test page: ``{{ test.download_kbps|mbps }}`` ("94.3 Mbps") and
``{{ plan.download_mbps|plan_mbps }}`` ("500 Mbps"), in the page's language."""

from __future__ import annotations

from django import template

from dropline.network.speed_tests import speeds

register = template.Library()


@register.filter
def mbps(value: int) -> str:
    return speeds.mbps(int(value))


@register.filter
def plan_mbps(value: int | None) -> str:
    return speeds.plan_mbps(value)
