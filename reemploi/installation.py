"""Which database this is: one made by `reemploi demo` carries a mark, written when the demo created
it, so that the demo never loads its known passwords and invented people into a real workshop's
database (one made by `reemploi db upgrade`, whatever it holds)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from sqlalchemy import CheckConstraint, Integer, inspect, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from reemploi.db import Base, Timestamp, utcnow, write_transaction


class DemoMark(Base):
    """One row at most: present in a database the demo created, absent everywhere else."""

    __tablename__ = "demo_mark"
    __table_args__ = (CheckConstraint("id = 1", name="one_row"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, default=1)
    created_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)


async def kind_of(session: AsyncSession) -> Literal["blank", "demo", "other"]:
    """ "blank": no table at all (a new SQLite file, an empty PostgreSQL database); "demo": made by
    the demo (its mark is there); "other": anything else, a real workshop's database included."""
    connection = await session.connection()
    names = await connection.run_sync(lambda sync: inspect(sync).get_table_names())
    if not names:
        return "blank"
    if DemoMark.__tablename__ in names and (await session.execute(select(DemoMark.id))).first() is not None:
        return "demo"
    return "other"


async def mark_as_demo(session: AsyncSession) -> None:
    async with write_transaction(session):
        session.add(DemoMark())
