"""Partners: checked identities (SIREN/SIRET by Luhn, INSEE codes) and a collectivity's territory."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload
from stdnum.fr import siren as siren_number
from stdnum.fr import siret as siret_number

from reemploi import texts
from reemploi.db import utcnow, write_transaction
from reemploi.errors import Duplicate, Invalid, NotFound
from reemploi.partners.models import Partner, PartnerCommune, PartnerKind
from reemploi.rules.communes import commune_name
from reemploi.scope import EVERYTHING, Scope

# A commune's INSEE code: 5 characters, Corsica 2A/2B, overseas 97x.
COMMUNE_CODE = re.compile(r"(?:\d{2}|2[AB])\d{3}")
# A collectivity's own code may also be a département's (01-95 without 20, 2A, 2B, 971-976).
DEPARTEMENT_CODE = re.compile(r"0[1-9]|1\d|2[1-9AB]|[3-8]\d|9[0-5]|97[1-6]")


@dataclass(frozen=True, slots=True)
class NewPartner:
    kind: PartnerKind
    name: str
    siren: str | None = None
    siret: str | None = None
    insee_code: str | None = None
    communes: Sequence[str] = field(default_factory=tuple)
    address: str = ""
    contact_name: str = ""
    email: str = ""
    phone: str = ""


def _digits(value: str | None) -> str | None:
    if value is None:
        return None
    compact = re.sub(r"[\s.\-]", "", value)
    return compact or None


def check_identity(new: NewPartner) -> tuple[str | None, str | None, str | None, list[str]]:
    """Validated (siren, siret, insee_code, communes), or Invalid listing every problem."""
    errors: list[dict[str, str]] = []
    if not new.name.strip():
        errors.append({"field": "name", "message": texts.PARTNER_NAME_NEEDED})
    siren, siret = _digits(new.siren), _digits(new.siret)
    if siren is not None and not siren_number.is_valid(siren):
        errors.append({"field": "siren", "message": texts.invalid_siren(siren)})
    if siret is not None:
        if not siret_number.is_valid(siret):
            errors.append({"field": "siret", "message": texts.invalid_siret(siret)})
        elif siren is None:
            siren = siret[:9]
        elif siret[:9] != siren:
            errors.append({"field": "siret", "message": texts.siret_siren_mismatch(siret, siren)})
    insee = new.insee_code.strip().upper() if new.insee_code else None
    if insee is not None and not (COMMUNE_CODE.fullmatch(insee) or DEPARTEMENT_CODE.fullmatch(insee)):
        errors.append({"field": "insee_code", "message": texts.invalid_insee(insee)})
    elif insee is not None and COMMUNE_CODE.fullmatch(insee) and commune_name(insee) is None:
        errors.append({"field": "insee_code", "message": texts.unknown_commune(insee)})
    communes: list[str] = []
    for raw in new.communes:
        code = raw.strip().upper()
        if not COMMUNE_CODE.fullmatch(code):
            errors.append({"field": "communes", "message": texts.invalid_insee(code)})
        elif commune_name(code) is None:
            errors.append({"field": "communes", "message": texts.unknown_commune(code)})
        elif code not in communes:
            communes.append(code)
    if new.kind == PartnerKind.COLLECTIVITY:
        if siren is None and siret is None:
            errors.append({"field": "siren", "message": texts.COLLECTIVITY_NEEDS_SIREN})
        if insee is None:
            errors.append({"field": "insee_code", "message": texts.COLLECTIVITY_NEEDS_INSEE})
        # A commune's territory is at least the commune itself.
        if insee is not None and COMMUNE_CODE.fullmatch(insee) and insee not in communes:
            communes.insert(0, insee)
    if errors:
        raise Invalid("; ".join(e["message"] for e in errors), errors=errors)
    return siren, siret, insee, sorted(communes)


async def _refuse_a_taken_siret(session: AsyncSession, siret: str | None, partner_id: int | None = None) -> None:
    if siret is None:
        return
    existing = (await session.execute(select(Partner.id).where(Partner.siret == siret))).scalar_one_or_none()
    if existing is not None and existing != partner_id:
        raise Duplicate(texts.siret_taken(siret, existing))


async def create(session: AsyncSession, new: NewPartner) -> Partner:
    siren, siret, insee, communes = check_identity(new)
    async with write_transaction(session):
        await _refuse_a_taken_siret(session, siret)
        partner = Partner(
            kind=new.kind.value,
            name=new.name.strip(),
            siren=siren,
            siret=siret,
            insee_code=insee,
            address=new.address.strip(),
            contact_name=new.contact_name.strip(),
            email=new.email.strip(),
            phone=new.phone.strip(),
            created_at=utcnow(),
            communes=[PartnerCommune(insee_code=c) for c in communes],
        )
        session.add(partner)
        await session.flush()
        return partner


async def change(session: AsyncSession, partner_id: int, new: NewPartner) -> Partner:
    """Replace what is known of a partner (its kind, identity, territory, contact), checked as at
    creation; its collections, devices and reports stay its own."""
    siren, siret, insee, communes = check_identity(new)
    async with write_transaction(session):
        partner = await get(session, partner_id)
        await _refuse_a_taken_siret(session, siret, partner_id)
        partner.kind, partner.name = new.kind.value, new.name.strip()
        partner.siren, partner.siret, partner.insee_code = siren, siret, insee
        partner.address, partner.contact_name = new.address.strip(), new.contact_name.strip()
        partner.email, partner.phone = new.email.strip(), new.phone.strip()
        # Communes kept stay the same rows: deleting and re-adding one key in a flush would collide.
        kept = [c for c in partner.communes if c.insee_code in communes]
        known = {c.insee_code for c in kept}
        partner.communes = kept + [PartnerCommune(insee_code=c) for c in communes if c not in known]
        await session.flush()
        return partner


async def get(session: AsyncSession, partner_id: int, scope: Scope = EVERYTHING) -> Partner:
    partner = (
        await session.execute(select(Partner).where(Partner.id == partner_id).options(selectinload(Partner.communes)))
    ).scalar_one_or_none()
    if partner is None or not scope.sees_donor(partner.id):
        raise NotFound(texts.not_found(texts.NAMES["partner"], partner_id))
    return partner


async def list_partners(
    session: AsyncSession,
    kind: PartnerKind | None,
    limit: int,
    offset: int,
    scope: Scope = EVERYTHING,
    search: str = "",
) -> tuple[list[Partner], int]:
    """A page of partners by name, and how many there are; `search`: a piece of the name, or the
    first digits of the SIREN or SIRET."""
    conditions = [Partner.kind == kind.value] if kind is not None else []
    if search.strip():
        digits = _digits(search) or ""
        by_number = [Partner.siren.startswith(digits), Partner.siret.startswith(digits)] if digits.isdigit() else []
        conditions.append(or_(Partner.name.icontains(search.strip(), autoescape=True), *by_number))
    if scope.donor_id is not None:  # a collectivity sees itself, not the workshop's other partners
        conditions.append(Partner.id == scope.donor_id)
    total = (await session.execute(select(func.count()).select_from(Partner).where(*conditions))).scalar_one()
    rows = await session.execute(
        select(Partner)
        .where(*conditions)
        .options(selectinload(Partner.communes))
        .order_by(Partner.name, Partner.id)
        .limit(limit)
        .offset(offset)
    )
    return list(rows.scalars()), total
