"""The counter arithmetic, by properties: retransmits, reorderings, restarts and
gigawords never make usage count twice, go backwards or go negative."""

from __future__ import annotations

import datetime as dt
import random

from hypothesis import given
from hypothesis import strategies as st

from dropline.usage.counters import Counted, advance, total
from dropline.usage.readings import GIGAWORD, fold

EPOCH = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)

Reading = tuple[int, int, int]  # session time, input, output

increments = st.lists(
    st.tuples(
        st.integers(0, 3600), st.integers(0, 10**10), st.integers(0, 10**11)
    ),  # seconds, input and output added since the previous reading
    min_size=1,
    max_size=25,
)


def cumulative(steps: list[tuple[int, int, int]], start: Reading = (0, 0, 0)) -> list[Reading]:
    t, i, o = start
    out = []
    for dt_, di, do in steps:
        t, i, o = t + dt_, i + di, o + do
        out.append((t, i, o))
    return out


@given(increments, st.lists(st.integers(0, 1000), max_size=15), st.randoms())
def test_a_monotone_session_with_retransmits_in_any_order_counts_exactly_its_final_counters(
    steps, repeats, shuffler
):
    readings = cumulative(steps)
    delivered = readings + [readings[r % len(readings)] for r in repeats]
    shuffler.shuffle(delivered)
    added_in, added_out = total(delivered)
    final = max(readings)
    assert (added_in, added_out) == (final[1], final[2])


@given(
    st.lists(
        st.tuples(st.integers(0, 3600), st.integers(-(10**6), 10**9), st.integers(-(10**6), 10**9)),
        min_size=1,
        max_size=30,
    ),
    st.randoms(),
)
def test_no_reading_ever_adds_a_negative_number_and_the_state_never_goes_back(steps, shuffler):
    readings = [(t, max(0, i), max(0, o)) for t, i, o in cumulative(steps)]
    shuffler.shuffle(readings)
    state: Counted | None = None
    for t, i, o in readings:
        new, _outcome, _restart, added_in, added_out = advance(
            state, session_time=t, input_octets=i, output_octets=o, occurred_at=EPOCH
        )
        assert added_in >= 0
        assert added_out >= 0
        if new is not None:
            if state is not None:
                assert new.session_time >= state.session_time
            state = new
        else:
            assert (added_in, added_out) == (0, 0)


@given(increments, st.lists(st.integers(0, 1000), max_size=15), st.randoms())
def test_delivered_out_of_order_a_monotone_session_never_counts_more_than_the_truth(
    steps, repeats, shuffler
):
    readings = cumulative(steps)
    delivered = readings + [readings[r % len(readings)] for r in repeats]
    shuffler.shuffle(delivered)
    # Whatever part of it arrives, no more than the truth is counted.
    part = delivered[: shuffler.randint(1, len(delivered))]
    added_in, added_out = total(part)
    final = max(readings)
    assert added_in <= final[1]
    assert added_out <= final[2]
    assert (added_in, added_out) == (max(part)[1], max(part)[2])


@given(
    st.lists(increments, min_size=1, max_size=5),
    st.lists(st.integers(0, 1000), max_size=10),
    st.integers(0, 2**32),
)
def test_in_order_with_restarts_and_repeats_each_segment_counts_its_final_counters(
    segments, repeats, seed
):
    """A restart (the access server lost its counters) starts a segment at counters
    lower than the last counted in both directions; session time keeps going up."""
    shuffler = random.Random(seed)
    delivered: list[Reading] = []
    truth_in = truth_out = 0
    clock_ = 0
    last: Reading | None = None
    for steps in segments:
        readings = cumulative(steps, (clock_, 0, 0))
        if last is not None:
            first = readings[0]
            if not (first[0] > last[0] and first[1] < last[1] and first[2] < last[2]):
                # Not recognisable as a restart: the segment continues the previous one.
                continue
        clock_ = readings[-1][0] + 1
        truth_in += readings[-1][1]
        truth_out += readings[-1][2]
        last = readings[-1]
        for reading in readings:
            delivered.append(reading)
            if repeats and shuffler.random() < 0.3:
                delivered.append(reading)  # a retransmit, straight after
    assert total(delivered) == (truth_in, truth_out)


@given(st.lists(st.integers(0, 3 * 2**32), min_size=1, max_size=20))
def test_gigawords_fold_around_two_to_the_32(increments_):
    truth = 0
    readings = []
    for n, step in enumerate(increments_):
        truth += step
        octets, gigawords = truth % GIGAWORD, truth // GIGAWORD
        assert fold(octets, gigawords) == truth
        readings.append((n, fold(octets, 0), fold(octets, gigawords)))
    added_wrapped, added_folded = total(readings)
    assert added_folded == truth
    # Without gigawords a 32-bit counter that wraps looks like a restart: never negative.
    assert added_wrapped >= 0


def test_a_start_opens_and_a_stop_marks_the_session_stopped():
    opened, outcome, _r, a, b = advance(
        None, session_time=0, input_octets=0, output_octets=0, occurred_at=EPOCH
    )
    assert (outcome, a, b) == ("opened", 0, 0)
    stopped, outcome, _r, a, b = advance(
        opened, session_time=60, input_octets=5, output_octets=7, occurred_at=EPOCH, stop=True
    )
    assert stopped is not None
    assert stopped.stopped
    assert (outcome, a, b) == ("counted", 5, 7)
    late, outcome, _r, a, b = advance(
        stopped, session_time=90, input_octets=9, output_octets=7, occurred_at=EPOCH
    )
    assert late is not None
    assert late.stopped
    assert (outcome, a, b) == ("counted", 4, 0)
    again, outcome, *_ = advance(
        late, session_time=90, input_octets=9, output_octets=7, occurred_at=EPOCH, stop=True
    )
    assert (again, outcome) == (None, "repeated")
