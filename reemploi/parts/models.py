"""The parts stock: spare parts on a site's shelf, bought new or harvested from dismantled devices."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from reemploi.db import ActorColumns, Base, BigId, Timestamp


class Part(ActorColumns, Base):
    """A lot of identical spare parts on a site's shelf: bought new, or harvested from a dismantled
    device (then `from_device_id` says which). Using a part in a repair takes it from `quantity`."""

    __tablename__ = "parts"
    __table_args__ = (
        CheckConstraint("origin IN ('new', 'harvested')", name="origin"),
        CheckConstraint("quantity >= 0", name="quantity_not_negative"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), index=True)
    kind: Mapped[str] = mapped_column(String(30))  # ram, storage, battery, charger, screen … (reemploi.rules)
    description: Mapped[str] = mapped_column(String(200))  # "DDR4 8 Go SO-DIMM 2666"
    origin: Mapped[str] = mapped_column(String(10))
    from_device_id: Mapped[int | None] = mapped_column(ForeignKey("devices.id"), index=True)
    quantity: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(Timestamp)
