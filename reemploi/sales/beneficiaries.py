"""Beneficiaries: who may buy at solidarity prices, with only what the reception and the reports need
(GDPR minimisation): a name, an optional contact, the commune, an age band, the eligibility reason with
who verified it and until when, the referring structure. Never the documents. A pseudonymous number
(B-000123) stands for the person on receipts and reports."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from advanced_alchemy.filters import LimitOffset
from advanced_alchemy.service import OffsetPagination
from sqlalchemy import Select, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from reemploi import rules, texts
from reemploi.db import paginated_scalars, utcnow, write_transaction
from reemploi.errors import Invalid, NotFound
from reemploi.rules import communes
from reemploi.sales.models import Beneficiary
from reemploi.sales.numbering import next_number

COMMUNE = re.compile(r"(?:\d{2}|2[AB])\d{3}")


def name_key(name: str) -> str:
    """A name as compared: lower case, no accents, single spaces ("Zoé  DUPONT" ~ "zoe dupont")."""
    flat = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return " ".join(flat.lower().replace("-", " ").split())


@dataclass(frozen=True, slots=True)
class NewBeneficiary:
    name: str
    eligibility_reason: str
    eligibility_verified_by: str
    eligible_until: date | None
    contact: str = ""
    commune_insee: str = ""
    age_band: str = ""
    referrer: str = ""
    referred_on: date | None = None


@dataclass(frozen=True, slots=True)
class Created:
    beneficiary: Beneficiary
    likely_duplicates: list[str]  # numbers of existing people with the same name


def _checked(new: NewBeneficiary) -> NewBeneficiary:
    if not new.name.strip():
        raise Invalid(texts.BENEFICIARY_NEEDS_NAME)
    if new.eligibility_reason not in rules.sales()["eligibility_reasons"]:
        raise Invalid(
            texts.unknown_choice(texts.RECEPTION["reason_label"], new.eligibility_reason, texts.ELIGIBILITY_REASONS)
        )
    if not new.eligibility_verified_by.strip():
        raise Invalid(texts.BENEFICIARY_NEEDS_VERIFIER)
    commune = new.commune_insee.strip().upper()
    if commune and not COMMUNE.fullmatch(commune):
        raise Invalid(texts.BAD_COMMUNE)
    if commune and communes.commune_name(commune) is None:
        raise Invalid(texts.unknown_commune(commune))
    if new.age_band and new.age_band not in rules.sales()["age_bands"]:
        raise Invalid(texts.unknown_choice(texts.RECEPTION["age_band"], new.age_band, texts.AGE_BANDS))
    return NewBeneficiary(
        " ".join(new.name.split())[:200],
        new.eligibility_reason,
        new.eligibility_verified_by.strip()[:200],
        new.eligible_until,
        new.contact.strip()[:200],
        commune,
        new.age_band,
        new.referrer.strip()[:200],
        new.referred_on,
    )


async def create(session: AsyncSession, new: NewBeneficiary) -> Created:
    checked = _checked(new)
    key = name_key(checked.name)
    async with write_transaction(session):
        same = list(
            (
                await session.execute(
                    select(Beneficiary.number)
                    .where(Beneficiary.name_key == key, Beneficiary.anonymised_at.is_(None))
                    .order_by(Beneficiary.id)
                )
            ).scalars()
        )
        number = await next_number(session, "beneficiary", 0)
        now = utcnow()
        person = Beneficiary(
            number=f"B-{number:06d}",
            name=checked.name,
            name_key=key,
            contact=checked.contact or None,
            commune_insee=checked.commune_insee or None,
            age_band=checked.age_band or None,
            eligibility_reason=checked.eligibility_reason,
            eligibility_verified_by=checked.eligibility_verified_by,
            eligible_until=checked.eligible_until,
            referrer=checked.referrer,
            referred_on=checked.referred_on,
            created_at=now,
            last_activity_at=now,
        )
        session.add(person)
        await session.flush()
        return Created(person, same)


async def get(session: AsyncSession, beneficiary_id: int) -> Beneficiary:
    person = await session.get(Beneficiary, beneficiary_id)
    if person is None:
        raise NotFound(texts.beneficiary_unknown(beneficiary_id))
    return person


def _search_query(wanted: str) -> Select[Beneficiary]:
    """By number (B-000123, or just 123) or by a part of the name, accents and case aside."""
    conditions = [Beneficiary.name_key.contains(name_key(wanted), autoescape=True)]
    digits = wanted.upper().removeprefix("B-").lstrip("0")
    if digits.isascii() and digits.isdecimal() and len(digits) < 9:
        conditions.append(Beneficiary.number == f"B-{int(digits):06d}")
    return (
        select(Beneficiary)
        .where(or_(*conditions), Beneficiary.anonymised_at.is_(None))
        .order_by(Beneficiary.name_key, Beneficiary.id)
    )


def listed() -> Select[*tuple[Any, ...]]:
    """Every person not anonymised: the rows of the beneficiaries list (the pages' lists search, sort
    and page them, reemploi.web.lists)."""
    return select(Beneficiary).where(Beneficiary.anonymised_at.is_(None))


async def search(session: AsyncSession, text: str, limit: int = 20) -> list[Beneficiary]:
    """The first matches, for the reception desk to choose from."""
    return list((await search_page(session, text, LimitOffset(limit, 0))).items)


async def search_page(session: AsyncSession, text: str, window: LimitOffset) -> OffsetPagination[Beneficiary]:
    """One page of the people matching `text` (see `_search_query`), and how many match."""
    wanted = text.strip()
    if not wanted:
        return OffsetPagination(items=[], limit=window.limit, offset=window.offset, total=0)
    return await paginated_scalars(session, _search_query(wanted), window)


async def renew_eligibility(
    session: AsyncSession, beneficiary_id: int, reason: str, verified_by: str, until: date | None
) -> Beneficiary:
    async with write_transaction(session):
        person = await get(session, beneficiary_id)
        checked = _checked(NewBeneficiary(person.name or "-", reason, verified_by, until))
        person.eligibility_reason, person.eligibility_verified_by = (
            checked.eligibility_reason,
            checked.eligibility_verified_by,
        )
        person.eligible_until, person.last_activity_at = until, utcnow()
        await session.flush()
        return person


def anonymise_row(person: Beneficiary, now: datetime) -> None:
    """What anonymising leaves of a person: the pseudonymous number and what the reports count (commune,
    age band, eligibility reason); their sales keep their figures and point to the number only."""
    person.name = person.name_key = person.contact = None
    person.eligibility_verified_by = ""
    person.anonymised_at = now


async def anonymise(session: AsyncSession, beneficiary_id: int) -> Beneficiary:
    """Erasure on request (GDPR art. 17), by the same anonymisation as the schedule's."""
    async with write_transaction(session):
        person = await get(session, beneficiary_id)
        if person.anonymised_at is None:
            anonymise_row(person, utcnow())
        await session.flush()
        return person


async def anonymise_inactive(session: AsyncSession, retention_years: int, now: datetime | None = None) -> int:
    """Anonymise everyone without activity (record, sale, renewal) for `retention_years`; how many."""
    moment = now or utcnow()
    cutoff = moment - timedelta(days=round(365.25 * retention_years))
    async with write_transaction(session):
        due = (
            (
                await session.execute(
                    select(Beneficiary).where(
                        Beneficiary.anonymised_at.is_(None), Beneficiary.last_activity_at < cutoff
                    )
                )
            )
            .scalars()
            .all()
        )
        for person in due:
            anonymise_row(person, moment)
        await session.flush()
        return len(due)


async def export(session: AsyncSession, beneficiary_id: int) -> dict[str, Any]:
    """Everything kept about a person, for the right of access (GDPR art. 15)."""
    from reemploi.sales.models import Sale

    person = await get(session, beneficiary_id)
    sales = (
        (await session.execute(select(Sale).where(Sale.beneficiary_id == person.id).order_by(Sale.id))).scalars().all()
    )
    return {
        "beneficiary": {
            column.name: getattr(person, column.key)
            for column in Beneficiary.__table__.columns
            if column.name not in ("name_key",)
        },
        "sales": [
            {
                "receipt": s.facts["receipt"],
                "kind": s.kind,
                "at": s.at,
                "total_cents": s.total_cents,
                "devices": s.facts["lines"],
                "payments": s.facts["payments"],
            }
            for s in sales
        ],
    }
