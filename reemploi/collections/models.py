"""A collection: what one donor gave in one pickup, brought to one site; the donor's manifests
imported into it."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from reemploi.db import ActorColumns, Base, BigId, Timestamp, utcnow


class Collection(Base):
    __tablename__ = "collections"
    __table_args__ = (
        CheckConstraint("declared_weight_g IS NULL OR declared_weight_g > 0", name="declared_weight_positive"),
        CheckConstraint("weighed_weight_g IS NULL OR weighed_weight_g > 0", name="weighed_weight_positive"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    donor_id: Mapped[int] = mapped_column(ForeignKey("partners.id"), index=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), index=True)
    collected_on: Mapped[date] = mapped_column(Date)
    pickup_address: Mapped[str] = mapped_column(Text, default="")
    # Weights in grams: what the donor declared, and what the workshop weighed (weighed wins).
    declared_weight_g: Mapped[int | None] = mapped_column(Integer)
    weighed_weight_g: Mapped[int | None] = mapped_column(Integer)
    notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)


class ManifestImport(ActorColumns, Base):
    """One manifest imported (not a dry run): when, by whom, which file (its SHA-256), how many
    devices. The same file, or one bringing the same serials, is refused while they stand."""

    __tablename__ = "manifest_imports"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    collection_id: Mapped[int] = mapped_column(ForeignKey("collections.id"), index=True)
    at: Mapped[datetime] = mapped_column(Timestamp)
    content_sha256: Mapped[str] = mapped_column(String(64), index=True)
    filename: Mapped[str] = mapped_column(String(255), default="")
    device_count: Mapped[int] = mapped_column(Integer)


class ManifestImportDevice(Base):
    """The devices a manifest import registered."""

    __tablename__ = "manifest_import_devices"

    import_id: Mapped[int] = mapped_column(ForeignKey("manifest_imports.id"), primary_key=True)
    device_id: Mapped[int] = mapped_column(ForeignKey("devices.id"), primary_key=True, unique=True)
