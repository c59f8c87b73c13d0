"""Devices and their append-only history."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from reemploi.db import ActorColumns, Base, BigId, JSONType, Timestamp, utcnow
from reemploi.devices.categories import Category
from reemploi.devices.lifecycle import NOT_COUNTED, State


def _in(column: str, values: object) -> str:
    return f"{column} IN ({', '.join(repr(v.value) for v in values)})"  # type: ignore[attr-defined]


class Device(Base):
    __tablename__ = "devices"
    __table_args__ = (
        CheckConstraint(_in("state", State), name="state"),
        CheckConstraint(_in("category", Category), name="category"),
        CheckConstraint("grade IS NULL OR grade IN ('A', 'B', 'C')", name="grade"),
        CheckConstraint("price_cents IS NULL OR price_cents >= 0", name="price_positive"),
        CheckConstraint("weight_g IS NULL OR weight_g > 0", name="weight_positive"),
        CheckConstraint("version >= 1", name="version_positive"),
        Index("ix_devices_state_category", "state", "category"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), index=True)
    collection_id: Mapped[int] = mapped_column(ForeignKey("collections.id"), index=True)
    category: Mapped[str] = mapped_column(String(30))
    manufacturer: Mapped[str] = mapped_column(String(100), default="")
    model: Mapped[str] = mapped_column(String(100), default="")
    # Stored upper-case without surrounding spaces, as scanners and manifests give them.
    serial: Mapped[str | None] = mapped_column(String(100), index=True)
    asset_tag: Mapped[str | None] = mapped_column(String(100), index=True)
    year: Mapped[int | None] = mapped_column(SmallInteger)
    weight_g: Mapped[int | None] = mapped_column(Integer)
    specs: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    grade: Mapped[str | None] = mapped_column(String(1))
    price_cents: Mapped[int | None] = mapped_column(Integer)
    location: Mapped[str] = mapped_column(String(100), default="")
    state: Mapped[str] = mapped_column(String(30), index=True)
    # Bumped by every change; a change is written only if the version is still the one read.
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)


class DeviceEvent(ActorColumns, Base):
    """One step of a device's history. Never updated nor deleted: the database refuses it."""

    __tablename__ = "device_events"
    __table_args__ = (UniqueConstraint("device_id", "version"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    device_id: Mapped[int] = mapped_column(ForeignKey("devices.id"), index=True)
    # The device's version once this event happened: one event per version, never two.
    version: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(Timestamp)
    action: Mapped[str] = mapped_column(String(40))
    from_state: Mapped[str | None] = mapped_column(String(30))
    to_state: Mapped[str] = mapped_column(String(30))
    data: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    note: Mapped[str] = mapped_column(Text, default="")


def counted() -> Any:
    """The condition of the devices that count: every list, count, stock, attestation and report
    leaves out the others (registrations cancelled), which stay findable by their code."""
    return Device.state.not_in([s.value for s in NOT_COUNTED])
