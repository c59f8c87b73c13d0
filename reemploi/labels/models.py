"""Label printing: each print (or reprint) of a batch, and the devices it carried, in order.

Kept apart from device events on purpose: printing a label changes nothing about the device, so
it must not bump the device's version (a technician printing a label must never make another
technician's transition fail as "changed meanwhile")."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, SmallInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from reemploi.db import ActorColumns, Base, BigId, Timestamp


class LabelPrint(ActorColumns, Base):
    __tablename__ = "label_prints"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    at: Mapped[datetime] = mapped_column(Timestamp, index=True)
    template: Mapped[str] = mapped_column(String(60))
    labels: Mapped[int] = mapped_column(Integer)
    skipped: Mapped[int] = mapped_column(SmallInteger, default=0)  # labels left blank on a used sheet
    qr: Mapped[bool] = mapped_column(Boolean, default=False)


class LabelPrintDevice(Base):
    __tablename__ = "label_print_devices"

    print_id: Mapped[int] = mapped_column(ForeignKey("label_prints.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)  # order on the sheet or roll
    device_id: Mapped[int] = mapped_column(ForeignKey("devices.id"), index=True)
    # True when the device already had a label printed before this one.
    reprint: Mapped[bool] = mapped_column(Boolean)
