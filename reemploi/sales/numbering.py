"""Numbers with no gap and no double: receipts per year, beneficiaries for ever.

The counter row is incremented inside the transaction that issues the document: PostgreSQL locks the
row until commit (a concurrent issuer waits, then takes the next number), SQLite holds the write lock;
a transaction that fails rolls its increment back, so no number is lost."""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from reemploi.db import dialect_insert
from reemploi.sales.models import DocumentSequence


async def next_number(session: AsyncSession, kind: str, year: int) -> int:
    """The next number of `kind` in `year`, inside the caller's write transaction."""
    await session.execute(
        dialect_insert(session, DocumentSequence.__table__)
        .values(kind=kind, year=year, last_number=0)
        .on_conflict_do_nothing()
    )
    return int(
        (
            await session.execute(
                update(DocumentSequence)
                .where(DocumentSequence.kind == kind, DocumentSequence.year == year)
                .values(last_number=DocumentSequence.last_number + 1)
                .returning(DocumentSequence.last_number)
            )
        ).scalar_one()
    )
