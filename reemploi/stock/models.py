"""Where devices are kept (shelves and bins of a site) and the stock audits made by scanning them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from reemploi.db import ActorColumns, Base, JSONType, Timestamp


class StockLocation(Base):
    """A shelf or a bin. Its code is what its label carries and what a device's `location` holds."""

    __tablename__ = "stock_locations"
    __table_args__ = (UniqueConstraint("site_id", "code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), index=True)
    code: Mapped[str] = mapped_column(String(40))  # "A-03", "BAC-12": upper-case, as scanned
    label: Mapped[str] = mapped_column(String(200), default="")  # "Étagère A, niveau 3"
    created_at: Mapped[datetime] = mapped_column(Timestamp)


class StockAudit(ActorColumns, Base):
    """One count of a location by scanning: what should have been there, what was found. Kept as made."""

    __tablename__ = "stock_audits"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("stock_locations.id"), index=True)
    at: Mapped[datetime] = mapped_column(Timestamp)
    expected: Mapped[list[Any]] = mapped_column(JSONType)  # device codes the location should hold
    found: Mapped[list[Any]] = mapped_column(JSONType)  # expected and scanned
    missing: Mapped[list[Any]] = mapped_column(JSONType)  # expected, not scanned
    unexpected: Mapped[list[Any]] = mapped_column(JSONType)  # scanned, recorded elsewhere: {code, location, state}
    unknown: Mapped[list[Any]] = mapped_column(JSONType)  # scanned texts that are no device
