"""A step asked by name (the generic POST /devices/{code}/transitions, the card's step form): grading
and putting on sale go to the workshop, which owns their rules (reemploi.workshop.grading); every
other step is a plain lifecycle step (reemploi.devices.service.transition)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from reemploi.actors import Actor
from reemploi.devices import service
from reemploi.devices.lifecycle import Action
from reemploi.devices.models import Device
from reemploi.scope import EVERYTHING, Scope
from reemploi.workshop import grading


async def take_step(
    session: AsyncSession,
    code: str,
    action: Action,
    actor: Actor,
    *,
    expected_version: int | None = None,
    data: dict[str, Any] | None = None,
    note: str = "",
    scope: Scope = EVERYTHING,
) -> Device:
    """Move a device one step, by whichever domain owns that step."""
    if action in grading.STEPS:
        return await grading.take_step(
            session, code, action, data or {}, actor, expected_version=expected_version, note=note, scope=scope
        )
    return await service.transition(
        session, code, action, actor, expected_version=expected_version, data=data, note=note, scope=scope
    )
