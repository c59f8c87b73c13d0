"""Recycling lots: DEEE lots handed to an eco-organism, and the devices recycled into them."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from reemploi.db import ActorColumns, Base, Timestamp


class RecyclingLot(ActorColumns, Base):
    """A DEEE lot handed to an eco-organism: filled while open, then closed with the tracking slip
    number, the weighed kilograms and the pickup date. Its devices are those recycled into it."""

    __tablename__ = "recycling_lots"
    __table_args__ = (
        CheckConstraint("weight_g IS NULL OR weight_g > 0", name="weight_positive"),
        CheckConstraint(
            "closed_at IS NULL OR (slip_number IS NOT NULL AND weight_g IS NOT NULL AND shipped_on IS NOT NULL)",
            name="closed_complete",
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), index=True)
    eco_organism: Mapped[str] = mapped_column(String(100))
    deee_category: Mapped[int | None] = mapped_column(Integer)  # None: mixed
    slip_number: Mapped[str | None] = mapped_column(String(60))  # bordereau de suivi (BSD / Trackdéchets)
    weight_g: Mapped[int | None] = mapped_column(Integer)  # the lot as weighed at pickup
    shipped_on: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(Timestamp)
    closed_at: Mapped[datetime | None] = mapped_column(Timestamp)


class RecyclingLotDevice(Base):
    """A device recycled into a lot: each device goes into one lot at most."""

    __tablename__ = "recycling_lot_devices"

    lot_id: Mapped[int] = mapped_column(ForeignKey("recycling_lots.id"), primary_key=True)
    device_id: Mapped[int] = mapped_column(ForeignKey("devices.id"), primary_key=True, unique=True)
