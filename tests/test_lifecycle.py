"""The lifecycle table, on its own: no database, exhaustive where it can be, Hypothesis elsewhere."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reemploi import texts
from reemploi.devices import lifecycle
from reemploi.devices.lifecycle import (
    FINAL_STATES,
    INITIAL_STATE,
    REGISTER,
    SOLD_STATES,
    WORKSHOP_STAGES,
    Action,
    BrokenHistory,
    State,
    TransitionNotAllowed,
    allowed_actions,
    next_state,
    replay,
)


def test_every_state_can_be_reached_from_registration() -> None:
    from reemploi.demo import shortest_paths

    assert set(shortest_paths()) == set(State)


def test_every_action_leads_somewhere_and_is_named_in_french() -> None:
    assert {t.action for t in lifecycle.TRANSITIONS} == set(Action)
    assert set(texts.ACTIONS) == set(Action) | {REGISTER} | lifecycle.IN_PLACE
    assert set(texts.STATES) == set(State)


def test_only_recycling_returning_loss_and_a_cancelled_registration_are_final() -> None:
    assert {State.RECYCLED, State.RETURNED_TO_DONOR, State.LOST, State.CANCELLED} == FINAL_STATES


def test_the_main_line_from_collection_to_sale() -> None:
    state = INITIAL_STATE
    for action in (
        Action.RECEIVE,
        Action.START_DIAGNOSIS,
        Action.START_ERASURE,
        Action.GRADE,
        Action.PUT_ON_SALE,
        Action.RESERVE,
        Action.SELL,
    ):
        state = next_state(state, action)
    assert state == State.SOLD


def test_repairs_loop_back_to_diagnosis() -> None:
    assert next_state(State.DIAGNOSIS, Action.SEND_TO_REPAIR) == State.REPAIR
    assert next_state(State.REPAIR, Action.FINISH_REPAIR) == State.DIAGNOSIS


def test_a_device_returned_under_warranty_goes_back_to_diagnosis() -> None:
    for sold in SOLD_STATES:
        assert next_state(sold, Action.RETURN_UNDER_WARRANTY) == State.RETURNED
    assert next_state(State.RETURNED, Action.START_DIAGNOSIS) == State.DIAGNOSIS


@pytest.mark.parametrize("stage", sorted(WORKSHOP_STAGES))
def test_side_exits_are_open_at_every_workshop_stage(stage: State) -> None:
    assert next_state(stage, Action.DISMANTLE) == State.DISMANTLED
    assert next_state(stage, Action.RECYCLE) == State.RECYCLED
    assert next_state(stage, Action.DECLARE_LOST) == State.LOST


def test_cannot_sell_a_device_that_was_not_erased_and_graded() -> None:
    for state in (State.COLLECTED, State.RECEIVED, State.DIAGNOSIS, State.REPAIR, State.ERASURE, State.GRADED):
        with pytest.raises(TransitionNotAllowed) as refused:
            next_state(state, Action.SELL)
        assert refused.value.state == state
        assert Action.SELL not in refused.value.allowed


def test_a_sold_device_cannot_be_dismantled_or_sold_again() -> None:
    for action in (Action.SELL, Action.DISMANTLE, Action.RECYCLE, Action.PUT_ON_SALE):
        with pytest.raises(TransitionNotAllowed):
            next_state(State.SOLD, action)


@pytest.mark.parametrize("state", list(State))
def test_the_refusal_names_the_current_state_and_exactly_the_allowed_actions(state: State) -> None:
    for action in Action:
        if action in allowed_actions(state):
            assert next_state(state, action) is not None
        else:
            with pytest.raises(TransitionNotAllowed) as refused:
                next_state(state, action)
            assert refused.value.allowed == allowed_actions(state)
            message = texts.transition_not_allowed("LYO-000001-X", state, action, refused.value.allowed)
            assert texts.STATES[state] in message
            for allowed in refused.value.allowed:
                assert texts.ACTIONS[allowed] in message


# --- Property-based: random sequences of actions ----------------------------------------------


def _walk(actions: list[Action]) -> tuple[State, list[tuple[str, str | None, str]]]:
    """Apply actions as the service does: refused ones change nothing and write nothing."""
    state = INITIAL_STATE
    events: list[tuple[str, str | None, str]] = [(REGISTER, None, INITIAL_STATE.value)]
    for action in actions:
        try:
            target = next_state(state, action)
        except TransitionNotAllowed as refused:
            assert action not in refused.allowed
            continue
        assert action in allowed_actions(state)
        events.append((action.value, state.value, target.value))
        state = target
    return state, events


@settings(max_examples=400)
@given(st.lists(st.sampled_from(list(Action)), max_size=60))
def test_replaying_the_events_of_any_action_sequence_gives_the_current_state(actions: list[Action]) -> None:
    state, events = _walk(actions)
    assert replay(events) == state


@settings(max_examples=300)
@given(st.lists(st.sampled_from(list(Action)), min_size=1, max_size=40), st.data())
def test_a_tampered_history_is_detected(actions: list[Action], data: st.DataObject) -> None:
    _, events = _walk(actions)
    if len(events) < 2:
        return
    index = data.draw(st.integers(1, len(events) - 1))
    action, from_state, to_state = events[index]
    wrong = data.draw(st.sampled_from([s.value for s in State if s.value != to_state]))
    tampered = [*events[:index], (action, from_state, wrong), *events[index + 1 :]]
    with pytest.raises(BrokenHistory):
        replay(tampered)


@given(st.lists(st.sampled_from(list(Action)), max_size=30))
def test_no_sequence_ever_leaves_a_final_state(actions: list[Action]) -> None:
    _state, events = _walk(actions)
    seen_final = False
    for _, _, to_state in events:
        assert not seen_final, "an event followed a final state"
        seen_final = State(to_state) in FINAL_STATES


def test_a_history_must_start_with_registration() -> None:
    with pytest.raises(BrokenHistory):
        replay([])
    with pytest.raises(BrokenHistory):
        replay([("receive", "collected", "received")])
    with pytest.raises(BrokenHistory):
        replay([(REGISTER, None, "collected"), ("sell", "collected", "sold")])


def test_putting_a_device_away_is_in_its_history_but_never_moves_it() -> None:
    events = [
        (REGISTER, None, "collected"),
        ("receive", "collected", "received"),
        ("relocate", "received", "received"),
        ("start_diagnosis", "received", "diagnosis"),
        ("relocate", "diagnosis", "diagnosis"),
    ]
    assert replay(events) == State.DIAGNOSIS
    with pytest.raises(lifecycle.BrokenHistory):
        replay([*events, ("relocate", "diagnosis", "ready")])


def test_each_step_keeps_its_shortcut_in_every_state_and_final_exits_have_none() -> None:
    from reemploi.devices.lifecycle import FINAL_EXITS, plain_actions
    from reemploi.devices.pages import SHORTCUTS

    assert not FINAL_EXITS & SHORTCUTS.keys(), "a final exit is clicked and confirmed, never a key"
    assert {Action.RETURN_TO_DONOR, Action.DECLARE_LOST, Action.DISMANTLE, Action.RECYCLE} == FINAL_EXITS
    assert all(1 <= key <= 9 for key in SHORTCUTS.values())
    for state in State:
        keys = [SHORTCUTS[a] for a in plain_actions(state) if a in SHORTCUTS]
        assert len(keys) == len(set(keys)), f"two steps from {state} share a key: {keys}"
        assert all(a in SHORTCUTS or a in FINAL_EXITS for a in plain_actions(state)), state


def test_a_registration_can_be_cancelled_only_while_it_is_the_only_event() -> None:
    assert lifecycle.may_cancel(State.COLLECTED, 1)
    assert not lifecycle.may_cancel(State.COLLECTED, 2)  # put on a shelf at intake, then…
    for state in State:
        if state is not State.COLLECTED:
            assert not lifecycle.may_cancel(state, 1), state
    assert next_state(State.COLLECTED, Action.CANCEL_REGISTRATION) is State.CANCELLED
    assert State.CANCELLED in FINAL_STATES and State.CANCELLED in lifecycle.NOT_COUNTED
    # Never a plain step: it asks its confirmation (reemploi.devices.service.cancel_registration).
    assert Action.CANCEL_REGISTRATION not in lifecycle.plain_actions(State.COLLECTED)
    assert replay([(REGISTER, None, "collected"), ("cancel_registration", "collected", "cancelled")]) is State.CANCELLED


def test_a_history_that_cancels_a_registration_after_another_event_is_broken() -> None:
    with pytest.raises(BrokenHistory):
        replay(
            [
                (REGISTER, None, "collected"),
                ("relocate", "collected", "collected"),
                ("cancel_registration", "collected", "cancelled"),
            ]
        )
