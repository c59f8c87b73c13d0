"""The device lifecycle as data: states, named actions and where each action may lead.

Pure module: no database, no web. The service asks it whether an action is allowed and what the
next state is; replaying a device's events through `replay` gives back its current state.
Follows shared/DOMAIN.md: collected → received → diagnosis → repair (loops) → erasure → graded →
ready for sale → reserved → sold / donated / sold to an organisation → returned → diagnosis …,
with side exits (dismantled, recycled, returned to donor, lost) from every workshop stage.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum


class State(StrEnum):
    COLLECTED = "collected"  # known from a collection or manifest, not yet at the workshop
    RECEIVED = "received"  # at the workshop, triaged
    DIAGNOSIS = "diagnosis"
    REPAIR = "repair"
    ERASURE = "erasure"
    GRADED = "graded"  # functions tested, data erased, grade given
    READY = "ready"  # ready for sale: priced, labelled, on a shelf
    RESERVED = "reserved"
    SOLD = "sold"
    DONATED = "donated"
    SOLD_TO_ORGANISATION = "sold_to_organisation"
    RETURNED = "returned"  # brought back under warranty
    DISMANTLED = "dismantled"  # harvested for parts
    RECYCLED = "recycled"  # sent in a DEEE lot to an eco-organism
    RETURNED_TO_DONOR = "returned_to_donor"
    LOST = "lost"
    # Registered by mistake (a double scan, the wrong collection) and cancelled before anything else
    # happened to it: kept with its history, counted nowhere.
    CANCELLED = "cancelled"


class Action(StrEnum):
    RECEIVE = "receive"
    START_DIAGNOSIS = "start_diagnosis"
    SEND_TO_REPAIR = "send_to_repair"
    FINISH_REPAIR = "finish_repair"
    START_ERASURE = "start_erasure"
    GRADE = "grade"
    PUT_ON_SALE = "put_on_sale"
    WITHDRAW_FROM_SALE = "withdraw_from_sale"
    RESERVE = "reserve"
    RELEASE = "release"
    SELL = "sell"
    DONATE = "donate"
    SELL_TO_ORGANISATION = "sell_to_organisation"
    RETURN_UNDER_WARRANTY = "return_under_warranty"
    DISMANTLE = "dismantle"
    RECYCLE = "recycle"
    RETURN_TO_DONOR = "return_to_donor"
    DECLARE_LOST = "declare_lost"
    CANCEL_REGISTRATION = "cancel_registration"


# The state a device is created in, by the "register" event that opens every history.
INITIAL_STATE = State.COLLECTED
REGISTER = "register"
# Events that record something on the device without moving it through the lifecycle.
RELOCATE = "relocate"  # put on another shelf or bin
IN_PLACE = frozenset({RELOCATE})

# Stages where the workshop holds the device and may still send it out by a side exit.
WORKSHOP_STAGES = frozenset(
    {
        State.RECEIVED,
        State.DIAGNOSIS,
        State.REPAIR,
        State.ERASURE,
        State.GRADED,
        State.READY,
        State.RETURNED,
    }
)
SOLD_STATES = frozenset({State.SOLD, State.DONATED, State.SOLD_TO_ORGANISATION})
FOR_SALE = frozenset({State.READY, State.RESERVED})


def is_for_sale(state: str) -> bool:
    """On the shelf, or set aside for a buyer: what the desk may sell and the bench must not change."""
    return state in FOR_SALE


@dataclass(frozen=True, slots=True)
class Transition:
    action: Action
    sources: frozenset[State]
    target: State


TRANSITIONS: tuple[Transition, ...] = (
    Transition(Action.RECEIVE, frozenset({State.COLLECTED}), State.RECEIVED),
    Transition(Action.START_DIAGNOSIS, frozenset({State.RECEIVED, State.RETURNED}), State.DIAGNOSIS),
    Transition(Action.SEND_TO_REPAIR, frozenset({State.DIAGNOSIS, State.GRADED}), State.REPAIR),
    Transition(Action.FINISH_REPAIR, frozenset({State.REPAIR}), State.DIAGNOSIS),  # repairs loop back to tests
    Transition(Action.START_ERASURE, frozenset({State.DIAGNOSIS}), State.ERASURE),
    Transition(Action.GRADE, frozenset({State.ERASURE}), State.GRADED),
    Transition(Action.PUT_ON_SALE, frozenset({State.GRADED}), State.READY),
    Transition(Action.WITHDRAW_FROM_SALE, frozenset({State.READY}), State.DIAGNOSIS),
    Transition(Action.RESERVE, frozenset({State.READY}), State.RESERVED),
    Transition(Action.RELEASE, frozenset({State.RESERVED}), State.READY),
    Transition(Action.SELL, FOR_SALE, State.SOLD),
    Transition(Action.DONATE, FOR_SALE, State.DONATED),
    Transition(Action.SELL_TO_ORGANISATION, FOR_SALE, State.SOLD_TO_ORGANISATION),
    Transition(Action.RETURN_UNDER_WARRANTY, SOLD_STATES, State.RETURNED),
    Transition(Action.DISMANTLE, WORKSHOP_STAGES, State.DISMANTLED),
    # A dismantled carcass still leaves in a recycling lot.
    Transition(Action.RECYCLE, WORKSHOP_STAGES | {State.DISMANTLED}, State.RECYCLED),
    Transition(Action.RETURN_TO_DONOR, WORKSHOP_STAGES - {State.RETURNED} | {State.COLLECTED}, State.RETURNED_TO_DONOR),
    Transition(Action.DECLARE_LOST, WORKSHOP_STAGES | {State.COLLECTED, State.RESERVED}, State.LOST),
    # Only right after its registration: see `may_cancel`.
    Transition(Action.CANCEL_REGISTRATION, frozenset({State.COLLECTED}), State.CANCELLED),
)

# States that count nowhere: not in any list, count, stock, attestation or report.
NOT_COUNTED = frozenset({State.CANCELLED})


def may_cancel(state: State, events: int) -> bool:
    """A registration can be cancelled while it is the device's only event (its version is 1): once
    anything else happened (received, put on a shelf, anything), the device is real and leaves only
    by one of the lifecycle's exits (returned to donor, lost, dismantled, recycled)."""
    return state is State.COLLECTED and events == 1


_BY_ACTION: Mapping[Action, Transition] = {t.action: t for t in TRANSITIONS}

# States no action leads out of.
FINAL_STATES = frozenset(s for s in State if not any(s in t.sources for t in TRANSITIONS))


class TransitionNotAllowed(Exception):
    """An action was asked for a device in a state it cannot leave that way."""

    def __init__(self, state: State, action: Action) -> None:
        self.state = state
        self.action = action
        self.allowed = allowed_actions(state)
        super().__init__(f"{action} is not allowed from {state}; allowed: {', '.join(self.allowed) or 'none'}")


class BrokenHistory(Exception):
    """A sequence of events that does not follow the lifecycle (never written by the service)."""


def allowed_actions(state: State) -> tuple[Action, ...]:
    """The actions a device in `state` may take, in the table's order."""
    return tuple(t.action for t in TRANSITIONS if state in t.sources)


def next_state(state: State, action: Action) -> State:
    """Where `action` takes a device in `state`, or TransitionNotAllowed."""
    transition = _BY_ACTION[action]
    if state not in transition.sources:
        raise TransitionNotAllowed(state, action)
    return transition.target


def replay(history: Iterable[tuple[str, str | None, str]]) -> State:
    """The state reached by a history of (action, from_state, to_state) events, oldest first.

    Checks each step against the table, so a history that was tampered with is detected.
    """
    state: State | None = None
    for before, (action, from_state, to_state) in enumerate(history):  # `before`: the events before this one
        if state is None:
            if action != REGISTER or from_state is not None or to_state != INITIAL_STATE:
                raise BrokenHistory(f"a history starts with '{REGISTER}' into '{INITIAL_STATE}', not {action}")
            state = INITIAL_STATE
            continue
        if action in IN_PLACE:
            if from_state != state or to_state != state:
                raise BrokenHistory(f"event {action} cannot change the state ({from_state} → {to_state})")
            continue
        if from_state != state:
            raise BrokenHistory(f"event {action} starts from {from_state} but the device was {state}")
        if action == Action.CANCEL_REGISTRATION and not may_cancel(state, before):
            raise BrokenHistory(f"{action} after {before} events: only a registration alone can be cancelled")
        try:
            expected = next_state(state, Action(action))
        except (ValueError, TransitionNotAllowed) as exc:
            raise BrokenHistory(str(exc)) from exc
        if expected != to_state:
            raise BrokenHistory(f"{action} from {state} leads to {expected}, not {to_state}")
        state = expected
    if state is None:
        raise BrokenHistory("an empty history has no state")
    return state


# Steps never taken as a bare step: a sale or a donation needs its beneficiary, its payment and its
# receipt (reemploi.sales), a sale to an organisation its invoice, a return under warranty its sale and
# its credit note, dismantling its harvested parts, recycling its lot (reemploi.workshop.exits), cancelling
# a registration its confirmation (reemploi.devices.service.cancel_registration).
ELSEWHERE = frozenset(
    {
        Action.CANCEL_REGISTRATION,
        Action.SELL,
        Action.DONATE,
        Action.SELL_TO_ORGANISATION,
        Action.RETURN_UNDER_WARRANTY,
        Action.DISMANTLE,
        Action.RECYCLE,
    }
)


# Steps whose rules belong to the workshop (a grade and price, the sale gate): reemploi.workshop.grading
# takes them (POST /devices/{code}/grade, /put-on-sale; the generic transition dispatches there).
WORKSHOP_STEPS = frozenset({Action.GRADE, Action.PUT_ON_SALE})


# Exits the workshop never takes back: the device leaves for good (the pages ask for a confirmation).
FINAL_EXITS = frozenset({Action.DISMANTLE, Action.RECYCLE, Action.RETURN_TO_DONOR, Action.DECLARE_LOST})


def plain_actions(state: State) -> list[Action]:
    """The steps a device in `state` may take by itself (POST …/transitions, the card's buttons)."""
    return [a for a in allowed_actions(state) if a not in ELSEWHERE]


# What became of a device, as a donor's proof list (REEN) and the reports say it: each state's outcome.
OUTCOME_OF: Mapping[State, str] = {
    **dict.fromkeys(State, "in_progress"),
    State.SOLD: "reused",
    State.DONATED: "reused",
    State.SOLD_TO_ORGANISATION: "reused",
    State.DISMANTLED: "dismantled",
    State.RECYCLED: "recycled",
    State.RETURNED_TO_DONOR: "returned_to_donor",
    State.LOST: "lost",
}
