"""Partners and the communes of a collectivity's territory."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from reemploi.db import Base, Timestamp, utcnow


class PartnerKind(StrEnum):
    COLLECTIVITY = "collectivity"  # commune, EPCI, département, région, State service
    COMPANY = "company"
    ASSOCIATION = "association"
    INDIVIDUAL = "individual"


class Partner(Base):
    __tablename__ = "partners"
    __table_args__ = (CheckConstraint(f"kind IN ({', '.join(repr(k.value) for k in PartnerKind)})", name="kind"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(200))
    siren: Mapped[str | None] = mapped_column(String(9), index=True)
    siret: Mapped[str | None] = mapped_column(String(14), unique=True)
    # For a collectivity: its own INSEE code (commune code, or département code).
    insee_code: Mapped[str | None] = mapped_column(String(5))
    address: Mapped[str] = mapped_column(Text, default="")
    contact_name: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    created_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)

    communes: Mapped[list[PartnerCommune]] = relationship(
        lazy="raise", cascade="all, delete-orphan", order_by="PartnerCommune.insee_code"
    )


class PartnerCommune(Base):
    """One commune (INSEE code) of a collectivity's territory: its residents count in its reports."""

    __tablename__ = "partner_communes"

    partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id", ondelete="CASCADE"), primary_key=True)
    insee_code: Mapped[str] = mapped_column(String(5), primary_key=True, index=True)
