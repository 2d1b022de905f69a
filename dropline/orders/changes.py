"""What a customer asks to change."""

from __future__ import annotations

from dataclasses import dataclass

CHANGE_PLAN = "change_plan"
ADD_ADD_ON = "add_add_on"
REMOVE_ADD_ON = "remove_add_on"
ACTIONS = (CHANGE_PLAN, ADD_ADD_ON, REMOVE_ADD_ON)


@dataclass(frozen=True)
class Change:
    subscription_id: int
    action: str
    plan_code: str = ""
    add_on_code: str = ""
