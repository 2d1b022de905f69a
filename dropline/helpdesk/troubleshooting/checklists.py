"""The things a customer ticks on a checklist step, as codes (``words`` says them)."""

from __future__ import annotations

from dropline.helpdesk.troubleshooting.steps import Step, StepKind

CABLES = ("power", "wall_cable", "splitter", "power_cycle")
ROUTER = ("power", "router_cable", "power_cycle")
TV = ("tv_input", "receiver_power", "tv_cable", "wall_cable_tv", "power_cycle_tv")


def items_for(step: Step) -> tuple[str, ...]:
    """The checklist of ``step``: the cables (a router's own), or the TV's."""
    if step.kind == StepKind.TV_CHECKS:
        return TV
    if step.kind == StepKind.CHECK_CABLES:
        return ROUTER if step.device_kind == "router" else CABLES
    return ()
