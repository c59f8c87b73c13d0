"""What the server does on its own, on a schedule: anonymise beneficiaries past the retention period
and forget expired sessions. The same work as `reemploi housekeeping`; safe to run from several
workers at once (each step is an idempotent UPDATE or DELETE)."""

from __future__ import annotations

import asyncio
import logging
from contextlib import suppress
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from reemploi.settings import Settings

log = logging.getLogger("reemploi")


@dataclass(frozen=True, slots=True)
class Done:
    anonymised: int
    sessions: int
    counters: int


async def run_once(session: AsyncSession, settings: Settings) -> Done:
    from reemploi.accounts import service as accounts
    from reemploi.sales import beneficiaries

    anonymised = await beneficiaries.anonymise_inactive(session, settings.beneficiary_retention_years)
    sessions, counters = await accounts.purge(session)
    return Done(anonymised, sessions, counters)


async def every(engine: AsyncEngine, settings: Settings, first_delay_s: float = 60) -> None:
    """Run the housekeeping a minute after start, then every `housekeeping_hours`; a failed run is
    logged and retried at the next period, never stops the server."""
    await asyncio.sleep(first_delay_s)
    while True:
        try:
            async with async_sessionmaker(engine, expire_on_commit=False)() as session:
                done = await run_once(session, settings)
            log.info(
                "housekeeping: %d beneficiaries anonymised, %d sessions and %d counters forgotten",
                done.anonymised,
                done.sessions,
                done.counters,
            )
        except Exception:
            log.exception("housekeeping failed")
        await asyncio.sleep(settings.housekeeping_hours * 3600)


class Scheduler:
    """Starts the housekeeping loop with the app and cancels it at shutdown."""

    def __init__(self, engine: AsyncEngine, settings: Settings) -> None:
        self.engine, self.settings = engine, settings
        self.task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        if self.settings.housekeeping_hours > 0:
            self.task = asyncio.create_task(every(self.engine, self.settings))

    async def stop(self) -> None:
        if self.task is not None:
            self.task.cancel()
            with suppress(asyncio.CancelledError):
                await self.task
