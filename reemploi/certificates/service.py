"""Erasure certificates (NIST SP 800-88 Rev. 1, Appendix G), per device or per collection, and the
attestation de prise en charge of a collection (REEN, décret n° 2023-266).

A certificate is issued once for a given set of facts: its content (every fact printed on it) is kept
as issued with its SHA-256, under a random code with a check character. Anyone holding the PDF can
check the code later (`/verifier`): an unknown or mistyped code is refused, and a certificate whose
stored facts no longer match their hash is reported as altered. Asking again for the certificate of
unchanged facts gives back the same one; new facts (another erasure) give a new one.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession
from stdnum.iso7064 import mod_37_2

from reemploi import rules, texts
from reemploi.actors import Actor
from reemploi.certificates.models import Certificate
from reemploi.collections import service as collections
from reemploi.collections.models import Collection
from reemploi.db import utcnow, write_transaction
from reemploi.devices import service as devices
from reemploi.devices.models import Device, counted
from reemploi.documents import render_document
from reemploi.errors import Invalid, MistypedCode, NotFound
from reemploi.labels.render import off_the_loop, qr_svg
from reemploi.partners.models import Partner
from reemploi.scope import EVERYTHING, Scope
from reemploi.sites.models import Site
from reemploi.workshop.bench import medium_label
from reemploi.workshop.models import Erasure, StorageMedium

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford's base 32: no I, L, O, U to misread
CODE = re.compile(r"(EFF|ATT)-([0-9A-Z]{4})-([0-9A-Z]{4})-([0-9A-Z]{4})-([0-9A-Z]{4})-([0-9A-Z*])")
# The printed prefix of each kind of document: EFF for erasure certificates, ATT for attestations.
PREFIX = {"device": "EFF", "collection": "EFF", "attestation": "ATT"}


def new_code(prefix: str = "EFF") -> str:
    """EFF-XXXX-XXXX-XXXX-XXXX-C: 80 random bits, and an ISO 7064 MOD 37-2 check character."""
    body = "".join(secrets.choice(ALPHABET) for _ in range(16))
    check = mod_37_2.calc_check_digit(body)
    return f"{prefix}-" + "-".join(body[i : i + 4] for i in range(0, 16, 4)) + f"-{check}"


def parse_code(text: str) -> str:
    """A typed or scanned code, normalised; refused when it cannot be one or its check fails."""
    cleaned = "".join(text.split()).upper()
    found = CODE.fullmatch(cleaned)
    if not found:
        raise Invalid(texts.attestation_code_shape(text))
    body = "".join(found.groups()[1:5])
    if mod_37_2.calc_check_digit(body) != found.group(6):
        raise MistypedCode(texts.certificate_code_mistyped(cleaned))
    return cleaned


def _digest(content: dict[str, Any]) -> str:
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def _when(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


async def _device_entries(session: AsyncSession, device_ids: list[int]) -> list[dict[str, Any]]:
    """Each device's media with their latest successful sanitization, in code order."""
    rows = (
        await session.execute(
            select(Device, StorageMedium, Erasure)
            .join(StorageMedium, StorageMedium.device_id == Device.id)
            .join(Erasure, Erasure.medium_id == StorageMedium.id)
            .where(Device.id.in_(device_ids), Erasure.result == "success")
            .order_by(Device.code, StorageMedium.id, Erasure.ended_at)
        )
    ).all()
    entries: dict[int, dict[str, Any]] = {}
    for device, medium, erasure in rows:
        entry = entries.setdefault(
            device.id,
            {
                "code": device.code,
                "category": device.category,
                "manufacturer": device.manufacturer,
                "model": device.model,
                "serial": device.serial,
                "media": {},
            },
        )
        entry["media"][str(medium.id)] = {  # the latest successful erasure of each medium
            "label": medium_label(medium),
            "kind": medium.kind,
            "model": medium.model,
            "serial": medium.serial,
            "capacity_bytes": medium.capacity_bytes,
            "level": erasure.level,
            "technique": erasure.technique,
            "tool": erasure.tool,
            "tool_version": erasure.tool_version,
            "passes": erasure.passes,
            "verification": erasure.verification,
            "result": erasure.result,
            "operator": erasure.actor,
            "started_at": _when(erasure.started_at),
            "ended_at": _when(erasure.ended_at),
            "warning": erasure.warning,
        }
    return [{**entry, "media": list(entry["media"].values())} for entry in entries.values()]


async def _unerased(session: AsyncSession, device_ids: list[int]) -> dict[int, list[str]]:
    """The original media of these devices with no successful erasure (or destruction): device → labels."""
    rows = (
        (
            await session.execute(
                select(StorageMedium)
                .where(
                    StorageMedium.device_id.in_(device_ids),
                    StorageMedium.origin == "original",
                    ~select(Erasure.id)
                    .where(Erasure.medium_id == StorageMedium.id, Erasure.result == "success")
                    .exists(),
                )
                .order_by(StorageMedium.id)
            )
        )
        .scalars()
        .all()
    )
    found: dict[int, list[str]] = {}
    for medium in rows:
        found.setdefault(medium.device_id, []).append(medium_label(medium))
    return found


async def _workshop(session: AsyncSession, site_id: int) -> dict[str, str]:
    site = await session.get(Site, site_id)
    assert site is not None  # foreign key
    return {"name": site.name, "address": site.address, "code": site.code}


async def _donor(session: AsyncSession, collection_id: int) -> dict[str, Any]:
    row = (
        await session.execute(
            select(Partner.name, Partner.siren, Collection.collected_on)
            .join(Collection, Collection.donor_id == Partner.id)
            .where(Collection.id == collection_id)
        )
    ).one()
    return {
        "name": row.name,
        "siren": row.siren,
        "collected_on": row.collected_on.isoformat(),
        "collection_id": collection_id,
    }


@dataclass(frozen=True, slots=True)
class Issued:
    certificate: Certificate
    verify_url: str


async def _issue(
    session: AsyncSession,
    kind: str,
    content: dict[str, Any],
    actor: Actor,
    *,
    device_id: int | None = None,
    collection_id: int | None = None,
) -> Certificate:
    digest = _digest(content)
    async with write_transaction(session):
        # Two requests for the same facts at once: the second waits on its subject's row, then finds the first's.
        subject_table = Device if device_id else Collection
        await session.execute(
            update(subject_table).where(subject_table.id == (device_id or collection_id)).values(id=subject_table.id)
        )
        subject = Certificate.device_id == device_id if device_id else Certificate.collection_id == collection_id
        same = (
            (
                await session.execute(
                    select(Certificate).where(subject, Certificate.kind == kind, Certificate.content_sha256 == digest)
                )
            )
            .scalars()
            .first()
        )
        if same is not None:
            return same
        certificate = Certificate(
            code=new_code(PREFIX[kind]),
            kind=kind,
            device_id=device_id,
            collection_id=collection_id,
            issued_at=utcnow(),
            **actor.columns(),
            content=content,
            content_sha256=digest,
        )
        session.add(certificate)
        await session.flush()
        return certificate


async def for_device(session: AsyncSession, code: str, actor: Actor, scope: Scope = EVERYTHING) -> Certificate:
    device = await devices.get_by_code(session, code, scope)
    entries = await _device_entries(session, [device.id])
    if not entries:
        raise Invalid(texts.nothing_erased(device.code))
    left = (await _unerased(session, [device.id])).get(device.id)
    if left:  # a certificate says the device is clean: not while one of its disks is not
        raise Invalid(texts.media_left_to_erase(device.code, left))
    content = {
        "kind": "device",
        "workshop": await _workshop(session, device.site_id),
        "donor": await _donor(session, device.collection_id),
        "devices": entries,
        "pending": [],
        "standard": rules.erasure_source(),
    }
    return await _issue(session, "device", content, actor, device_id=device.id)


async def for_collection(
    session: AsyncSession, collection_id: int, actor: Actor, scope: Scope = EVERYTHING
) -> Certificate:
    collection = (await collections.get(session, collection_id, scope)).collection
    ids_and_codes = (
        await session.execute(
            select(Device.id, Device.code).where(Device.collection_id == collection_id, counted()).order_by(Device.code)
        )
    ).all()
    ids = [row.id for row in ids_and_codes]
    incomplete = await _unerased(session, ids)
    entries = await _device_entries(session, [i for i in ids if i not in incomplete])
    if not entries:
        raise Invalid(texts.nothing_erased_in_collection(collection_id))
    covered = {entry["code"] for entry in entries}
    content = {
        "kind": "collection",
        "workshop": await _workshop(session, collection.site_id),
        "donor": await _donor(session, collection_id),
        "devices": entries,
        "pending": [row.code for row in ids_and_codes if row.code not in covered],
        "standard": rules.erasure_source(),
    }
    return await _issue(session, "collection", content, actor, collection_id=collection_id)


async def attestation(
    session: AsyncSession, collection_id: int, actor: Actor, scope: Scope = EVERYTHING
) -> Certificate:
    """The attestation de prise en charge of a collection: the devices taken in charge and the
    workshop's commitments (reuse, as REEN's décret 2023-266 asks for the donation to count; erasure).
    Issued again only when the list of devices changed."""
    collection = (await collections.get(session, collection_id, scope)).collection
    rows = (
        (
            await session.execute(
                select(Device).where(Device.collection_id == collection_id, counted()).order_by(Device.code)
            )
        )
        .scalars()
        .all()
    )
    if not rows:
        raise Invalid(texts.nothing_to_attest(collection_id))
    donor = await session.get(Partner, collection.donor_id)
    assert donor is not None  # foreign key
    content = {
        "kind": "attestation",
        "workshop": await _workshop(session, collection.site_id),
        "donor": {**await _donor(session, collection_id), "address": donor.address, "siret": donor.siret},
        "devices": [
            {
                "code": d.code,
                "category": d.category,
                "deee": rules.deee_category(d.category),
                "manufacturer": d.manufacturer,
                "model": d.model,
                "serial": d.serial,
                "asset_tag": d.asset_tag,
            }
            for d in rows
        ],
        "commitments": rules.attestation_commitments(),
        "source": rules.attestation_source(),
    }
    return await _issue(session, "attestation", content, actor, collection_id=collection_id)


@dataclass(frozen=True, slots=True)
class Verification:
    certificate: Certificate
    intact: bool  # the stored facts still match the hash taken when it was issued


async def verify(session: AsyncSession, text: str) -> Verification:
    code = parse_code(text)
    certificate = (await session.execute(select(Certificate).where(Certificate.code == code))).scalar_one_or_none()
    if certificate is None:
        raise NotFound(texts.certificate_unknown(code))
    return Verification(certificate, _digest(certificate.content) == certificate.content_sha256)


# What the public check shows of a certificate's facts (issue 18): what the document certifies —
# the workshop, the devices and how each medium was sanitised — and nothing about a person: not the
# donor (an individual's name and address), not the technician who ran the erasure.
_PUBLIC_DEVICE = ("code", "category", "deee", "manufacturer", "model", "serial", "asset_tag")
_PUBLIC_MEDIUM = (
    *("label", "kind", "model", "serial", "capacity_bytes", "level", "technique", "tool", "tool_version"),
    *("passes", "verification", "result", "ended_at", "warning"),
)
_PUBLIC_TOP = ("kind", "pending", "standard", "commitments", "source")


def public_facts(content: dict[str, Any]) -> dict[str, Any]:
    """The facts of a certificate as anyone holding its code may read them (see above)."""
    workshop = content.get("workshop") or {}

    def device(entry: dict[str, Any]) -> dict[str, Any]:
        shown = {k: entry[k] for k in _PUBLIC_DEVICE if k in entry}
        if "media" in entry:
            shown["media"] = [{k: m[k] for k in _PUBLIC_MEDIUM if k in m} for m in entry["media"]]
        return shown

    return {
        **{k: content[k] for k in _PUBLIC_TOP if k in content},
        "workshop": {k: workshop[k] for k in ("name", "code") if k in workshop},
        "devices": [device(d) for d in content.get("devices") or []],
    }


def verify_url(public_url: str, code: str) -> str:
    return f"{public_url.rstrip('/')}/verifier?code={code}"


def render_pdf(certificate: Certificate, public_url: str, timezone: str = "Europe/Paris") -> bytes:
    """The certificate as an A4 PDF (labels/certificat-effacement.html), with a QR code to its check."""
    url = verify_url(public_url, certificate.code)
    template = "attestation-prise-en-charge.html" if certificate.kind == "attestation" else "certificat-effacement.html"
    return render_document(
        template,
        certificate=certificate,
        content=certificate.content,
        url=url,
        qr=qr_svg(url, 0.5),
        timezone=timezone,
    )


async def render_pdf_async(certificate: Certificate, public_url: str, timezone: str) -> bytes:
    return await off_the_loop(render_pdf, certificate, public_url, timezone)
