"""Reception: beneficiaries (minimal personal data), till sessions, sales with their lines and
payments, and the numbered documents (receipts) in one gapless sequence per year."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from reemploi.db import ActorColumns, Base, JSONType, Timestamp


class DocumentSequence(Base):
    """The last number handed out for a kind of document in a year. Taken in the transaction that
    issues the document: a failed sale rolls its number back, so the sequence has no gap."""

    __tablename__ = "document_sequences"

    kind: Mapped[str] = mapped_column(String(20), primary_key=True)  # receipt, credit_note, beneficiary
    year: Mapped[int] = mapped_column(Integer, primary_key=True)  # 0 for sequences that never restart
    last_number: Mapped[int] = mapped_column(Integer, default=0)


class SaleSettings(Base):
    """A site's reception rules; a site without a row follows figures.toml [sales]."""

    __tablename__ = "sale_settings"
    __table_args__ = (
        CheckConstraint("quota_devices >= 0", name="quota_not_negative"),
        CheckConstraint("quota_months BETWEEN 1 AND 120", name="quota_months_range"),
    )

    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), primary_key=True)
    quota_devices: Mapped[int] = mapped_column(Integer)
    quota_months: Mapped[int] = mapped_column(Integer)
    eligibility_required: Mapped[bool] = mapped_column(Boolean)
    vat_subject: Mapped[bool] = mapped_column(Boolean, default=False)
    legal_name: Mapped[str] = mapped_column(String(200), default="")  # printed on receipts
    siret: Mapped[str] = mapped_column(String(14), default="")


class Beneficiary(Base):
    """A person who may buy at solidarity prices: only what the reception and the reports need."""

    __tablename__ = "beneficiaries"
    __table_args__ = (Index("ix_beneficiaries_name_key", "name_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str] = mapped_column(String(12), unique=True)  # pseudonymous, on receipts: B-000123
    name: Mapped[str | None] = mapped_column(String(200))  # None once anonymised
    name_key: Mapped[str | None] = mapped_column(String(200))  # lower-case, no accents: search and duplicates
    contact: Mapped[str | None] = mapped_column(String(200))  # phone or e-mail, optional
    commune_insee: Mapped[str | None] = mapped_column(String(5))
    age_band: Mapped[str | None] = mapped_column(String(10))
    eligibility_reason: Mapped[str] = mapped_column(String(20))
    eligibility_verified_by: Mapped[str] = mapped_column(String(200))
    eligible_until: Mapped[date | None] = mapped_column(Date)
    referrer: Mapped[str] = mapped_column(String(200), default="")  # CCAS, France Travail, mission locale…
    referred_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(Timestamp)
    last_activity_at: Mapped[datetime] = mapped_column(Timestamp)
    anonymised_at: Mapped[datetime | None] = mapped_column(Timestamp)


class TillSession(Base):
    """A till from its opening count to its closing count. Closed, it is never changed."""

    __tablename__ = "till_sessions"
    __table_args__ = (
        CheckConstraint("opening_float_cents >= 0", name="float_not_negative"),
        # One open till per site.
        Index(
            "uq_till_sessions_open_site",
            "site_id",
            unique=True,
            sqlite_where=text("closed_at IS NULL"),
            postgresql_where=text("closed_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), index=True)
    opened_at: Mapped[datetime] = mapped_column(Timestamp)
    opened_by: Mapped[str] = mapped_column(String(200))
    opening_float_cents: Mapped[int] = mapped_column(Integer)
    closed_at: Mapped[datetime | None] = mapped_column(Timestamp)
    closed_by: Mapped[str | None] = mapped_column(String(200))
    expected: Mapped[dict[str, Any] | None] = mapped_column(JSONType)  # method → cents, at closing
    counted: Mapped[dict[str, Any] | None] = mapped_column(JSONType)  # method → cents, as counted
    note: Mapped[str] = mapped_column(Text, default="")


class TillMovement(ActorColumns, Base):
    """Cash put in or taken out of an open till, with why."""

    __tablename__ = "till_movements"
    __table_args__ = (
        CheckConstraint("amount_cents > 0", name="amount_positive"),
        CheckConstraint("direction IN ('in', 'out')", name="direction"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("till_sessions.id"), index=True)
    at: Mapped[datetime] = mapped_column(Timestamp)
    direction: Mapped[str] = mapped_column(String(3))
    amount_cents: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(Text)


class Sale(ActorColumns, Base):
    """A sale or a donation to a person (a receipt), or a sale to an organisation (an invoice), with its
    number in its series and year: no gap, no double."""

    __tablename__ = "sales"
    __table_args__ = (
        UniqueConstraint("series", "year", "number"),
        CheckConstraint("kind IN ('sale', 'donation', 'organisation')", name="kind"),
        CheckConstraint(
            "(kind = 'organisation' AND buyer_partner_id IS NOT NULL AND beneficiary_id IS NULL) OR "
            "(kind != 'organisation' AND beneficiary_id IS NOT NULL AND buyer_partner_id IS NULL)",
            name="one_buyer",
        ),
        CheckConstraint("series IN ('receipt', 'invoice')", name="series"),
        CheckConstraint("total_cents >= 0", name="total_not_negative"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    number: Mapped[int] = mapped_column(Integer)
    series: Mapped[str] = mapped_column(String(10))  # receipt (people) or invoice (organisations)
    kind: Mapped[str] = mapped_column(String(12))
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), index=True)
    till_session_id: Mapped[int | None] = mapped_column(ForeignKey("till_sessions.id"), index=True)
    beneficiary_id: Mapped[int | None] = mapped_column(ForeignKey("beneficiaries.id"), index=True)
    buyer_partner_id: Mapped[int | None] = mapped_column(ForeignKey("partners.id"), index=True)
    at: Mapped[datetime] = mapped_column(Timestamp)
    total_cents: Mapped[int] = mapped_column(Integer)
    quota_override: Mapped[str] = mapped_column(Text, default="")  # the written reason, when the quota was overridden
    facts: Mapped[dict[str, Any]] = mapped_column(JSONType)  # what the receipt prints, as issued


class SaleLine(Base):
    __tablename__ = "sale_lines"
    __table_args__ = (CheckConstraint("price_cents >= 0", name="price_not_negative"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sale_id: Mapped[int] = mapped_column(ForeignKey("sales.id"), index=True)
    device_id: Mapped[int] = mapped_column(ForeignKey("devices.id"), index=True)
    category: Mapped[str] = mapped_column(String(30))
    price_cents: Mapped[int] = mapped_column(Integer)  # TTC, as paid
    ht_cents: Mapped[int] = mapped_column(Integer)  # before VAT (= TTC when the workshop is not subject to VAT)


class SalePayment(Base):
    __tablename__ = "sale_payments"
    __table_args__ = (CheckConstraint("amount_cents > 0", name="amount_positive"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sale_id: Mapped[int] = mapped_column(ForeignKey("sales.id"), index=True)
    method: Mapped[str] = mapped_column(String(12))
    amount_cents: Mapped[int] = mapped_column(Integer)
    reference: Mapped[str] = mapped_column(String(100), default="")  # a voucher's or cheque's number


class SaleReturn(ActorColumns, Base):
    """Devices of a sale brought back under the legal guarantee: they go back to the workshop, the money
    is refunded (a credit note, in its own gapless sequence) or the device exchanged. The receipt stays."""

    __tablename__ = "sale_returns"
    __table_args__ = (
        UniqueConstraint("year", "number"),
        CheckConstraint("outcome IN ('refund', 'exchange')", name="outcome"),
        CheckConstraint("refund_cents >= 0", name="refund_not_negative"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sale_id: Mapped[int] = mapped_column(ForeignKey("sales.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    number: Mapped[int] = mapped_column(Integer)  # the credit note's number (AV-2026-000001)
    outcome: Mapped[str] = mapped_column(String(10))
    refund_cents: Mapped[int] = mapped_column(Integer)
    till_session_id: Mapped[int | None] = mapped_column(ForeignKey("till_sessions.id"), index=True)
    at: Mapped[datetime] = mapped_column(Timestamp)
    reason: Mapped[str] = mapped_column(Text)
    facts: Mapped[dict[str, Any]] = mapped_column(JSONType)  # what the credit note prints


class ReturnedLine(Base):
    """A line of a sale given back: it no longer counts in the person's quota."""

    __tablename__ = "returned_lines"

    sale_line_id: Mapped[int] = mapped_column(ForeignKey("sale_lines.id"), primary_key=True)
    return_id: Mapped[int] = mapped_column(ForeignKey("sale_returns.id"), index=True)


class RefundPayment(Base):
    __tablename__ = "refund_payments"
    __table_args__ = (CheckConstraint("amount_cents > 0", name="amount_positive"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    return_id: Mapped[int] = mapped_column(ForeignKey("sale_returns.id"), index=True)
    method: Mapped[str] = mapped_column(String(12))
    amount_cents: Mapped[int] = mapped_column(Integer)
