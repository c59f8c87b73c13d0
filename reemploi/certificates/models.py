"""Certificates as issued: erasure certificates and attestations de prise en charge, with their code."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from reemploi.db import ActorColumns, Base, BigId, JSONType, Timestamp


class Certificate(ActorColumns, Base):
    """A document as issued: an erasure certificate (of a device or a collection) or an attestation de
    prise en charge (of a collection): what it said (a snapshot), and the code that proves it later."""

    __tablename__ = "certificates"
    __table_args__ = (CheckConstraint("kind IN ('device', 'collection', 'attestation')", name="kind"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)  # printed on the PDF; random, with a check character
    kind: Mapped[str] = mapped_column(String(12))
    device_id: Mapped[int | None] = mapped_column(ForeignKey("devices.id"), index=True)
    collection_id: Mapped[int | None] = mapped_column(ForeignKey("collections.id"), index=True)
    issued_at: Mapped[datetime] = mapped_column(Timestamp)
    content: Mapped[dict[str, Any]] = mapped_column(JSONType)  # every fact printed on it
    content_sha256: Mapped[str] = mapped_column(String(64))
