"""A workshop site."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from reemploi.db import Base, Timestamp, utcnow


class Site(Base):
    __tablename__ = "sites"
    __table_args__ = (CheckConstraint("last_device_number >= 0", name="last_device_number_positive"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # Prefix of every device code of this site (e.g. PAR in PAR-000123-W); never changes.
    code: Mapped[str] = mapped_column(String(4), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    address: Mapped[str] = mapped_column(Text, default="")
    # The last device number handed out; incremented in the transaction that registers a device.
    last_device_number: Mapped[int] = mapped_column(Integer, default=0)
    # The label template printed when nobody picks one (labels/<name>.html).
    label_template: Mapped[str] = mapped_column(String(60))
    created_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)
