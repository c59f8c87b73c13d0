"""The workshop's records on a device: hardware reports as collected on the live USB (kept
unchanged), and what was read from them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Boolean, ForeignKey, Integer, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from reemploi.db import Base, JSONType, Timestamp

_ID = BigInteger().with_variant(Integer, "sqlite")


class HardwareReport(Base):
    """One file of dmidecode, smartctl or lshw output attached to a device. The same file attached
    twice to the same device is kept once (its SHA-256 is unique per device)."""

    __tablename__ = "hardware_reports"
    __table_args__ = (UniqueConstraint("device_id", "sha256"),)

    id: Mapped[int] = mapped_column(_ID, primary_key=True)
    device_id: Mapped[int] = mapped_column(ForeignKey("devices.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # dmidecode, smartctl, smartctl-json, lshw-json
    filename: Mapped[str] = mapped_column(String(200))
    content: Mapped[bytes] = mapped_column(LargeBinary)  # the file as uploaded, byte for byte
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_at: Mapped[datetime] = mapped_column(Timestamp)
    actor: Mapped[str] = mapped_column(String(200))
    actor_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    actor_token_id: Mapped[int | None] = mapped_column(ForeignKey("api_tokens.id"))
    extracted: Mapped[dict[str, Any]] = mapped_column(JSONType)  # hardware.Report, as JSON
    # The report's system serial differs from the device's: shown, never merged silently.
    serial_mismatch: Mapped[bool] = mapped_column(Boolean, default=False)
