"""Counter arithmetic of one accounting session: what a reading adds.

RADIUS counters are cumulative for the session. The state is the last reading counted
(its session time, its counters, when it was read); a reading is judged against it:

- the same counters at the same or a later session time: a repeat (a retransmit, or
  an idle interval); it adds nothing, and a later one moves the state on;
- an earlier session time, or the same session time with lower counters: an older
  packet arriving late; it adds nothing and changes nothing (usage never goes back);
- a later session time: each direction adds its difference, and a direction whose
  counter is lower than before restarted (a new segment), so it adds its new value
  counted from zero, never a negative difference;
- the same session time with counters no lower: adds the differences.

A Start with zero counters just opens the state; a Stop is counted like an interim
and marks the session stopped; a newer reading after a Stop is still counted (a Stop
can arrive before a late interim).

Pure functions on integers, no database: the ingest calls them in session order.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import NamedTuple


class Outcome(StrEnum):
    COUNTED = "counted"  # added bytes
    REPEATED = "repeated"  # the same counters as counted: added nothing
    STALE = "stale"  # older than what was counted: added nothing
    OPENED = "opened"  # a first reading with zero counters (a Start): added nothing


class Counted(NamedTuple):
    """The last reading counted for a session (a tuple: made once per reading)."""

    session_time: int
    input_octets: int
    output_octets: int
    occurred_at: dt.datetime
    stopped: bool = False


def _direction(before: int, after: int) -> tuple[int, bool]:
    """The bytes a newer reading adds in one direction, and whether it restarted."""
    if after >= before:
        return after - before, False
    return after, True


def advance(
    state: Counted | None,
    *,
    session_time: int,
    input_octets: int,
    output_octets: int,
    occurred_at: dt.datetime,
    stop: bool = False,
) -> tuple[Counted | None, Outcome, bool, int, int]:
    """Judge one reading against ``state``: returns (the new state, or None when the state
    does not change; the outcome; whether a counter restarted; input bytes added;
    output bytes added). Never a negative number of bytes."""
    if state is None:
        new = Counted(session_time, input_octets, output_octets, occurred_at, stop)
        if input_octets == 0 and output_octets == 0:
            return new, Outcome.OPENED, False, 0, 0
        return new, Outcome.COUNTED, False, input_octets, output_octets
    last_time = state.session_time
    if (
        session_time > last_time
        and input_octets >= state.input_octets
        and output_octets >= state.output_octets
    ):  # the common case: a newer interim, counters up
        added_in = input_octets - state.input_octets
        added_out = output_octets - state.output_octets
        new = Counted(session_time, input_octets, output_octets, occurred_at, stop or state.stopped)
        if added_in or added_out:
            return new, Outcome.COUNTED, False, added_in, added_out
        return new, Outcome.REPEATED, False, 0, 0
    if session_time < last_time:
        return None, Outcome.STALE, False, 0, 0
    same = input_octets == state.input_octets and output_octets == state.output_octets
    if same:
        if session_time == last_time and (state.stopped or not stop):
            return None, Outcome.REPEATED, False, 0, 0
        # An idle interval, or the Stop of counters already counted: the state moves on.
        new = Counted(session_time, input_octets, output_octets, occurred_at, stop or state.stopped)
        return new, Outcome.REPEATED, False, 0, 0
    if session_time == last_time:
        if input_octets < state.input_octets or output_octets < state.output_octets:
            return None, Outcome.STALE, False, 0, 0
        new = Counted(session_time, input_octets, output_octets, occurred_at, stop or state.stopped)
        return (
            new,
            Outcome.COUNTED,
            False,
            input_octets - state.input_octets,
            output_octets - state.output_octets,
        )
    added_in, restart_in = _direction(state.input_octets, input_octets)
    added_out, restart_out = _direction(state.output_octets, output_octets)
    # A newer packet after a Stop is a late interim (the Stop was lost or overtaken):
    # counted, and the session stays stopped unless it says otherwise.
    new = Counted(session_time, input_octets, output_octets, occurred_at, stop or state.stopped)
    outcome = Outcome.COUNTED if added_in or added_out else Outcome.REPEATED
    return new, outcome, restart_in or restart_out, added_in, added_out


def total(readings: list[tuple[int, int, int]], state: Counted | None = None) -> tuple[int, int]:
    """The bytes (input, output) counted for ``(session_time, input, output)`` readings
    delivered in the given order, from ``state``: a helper for checks and tests."""
    epoch = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
    added_in = added_out = 0
    for session_time, input_octets, output_octets in readings:
        new, _outcome, _restart, delta_in, delta_out = advance(
            state,
            session_time=session_time,
            input_octets=input_octets,
            output_octets=output_octets,
            occurred_at=epoch,
        )
        added_in += delta_in
        added_out += delta_out
        if new is not None:
            state = new
    return added_in, added_out
