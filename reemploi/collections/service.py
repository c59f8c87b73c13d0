"""Collections: create one for a donor, follow its progress, import the donor's manifest."""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from reemploi import formats, texts
from reemploi.actors import Actor
from reemploi.collections.manifest import Manifest, ManifestInvalid, parse_manifest
from reemploi.collections.models import Collection, ManifestImport, ManifestImportDevice
from reemploi.db import utcnow, write_transaction
from reemploi.devices import service as devices
from reemploi.devices.models import Device, counted
from reemploi.errors import Invalid, ManifestAlreadyImported, ManifestRefused, NotFound
from reemploi.identifiers import identifier
from reemploi.partners.models import Partner
from reemploi.scope import EVERYTHING, Scope
from reemploi.sites.models import Site


@dataclass(frozen=True, slots=True)
class NewCollection:
    donor_id: int
    site_id: int
    collected_on: date
    pickup_address: str = ""
    declared_weight_g: int | None = None
    weighed_weight_g: int | None = None
    notes: str = ""


@dataclass(frozen=True, slots=True)
class CollectionView:
    collection: Collection
    donor_name: str
    devices_by_state: dict[str, int]

    @property
    def device_count(self) -> int:
        return sum(self.devices_by_state.values())


async def create(session: AsyncSession, new: NewCollection) -> CollectionView:
    async with write_transaction(session):
        errors = []
        donor = await session.get(Partner, new.donor_id)
        if donor is None:
            errors.append(
                {
                    "field": "donor_id",
                    "message": texts.unknown_reference("donor_id", texts.NAMES_IN_A_SENTENCE["partner"], new.donor_id),
                }
            )
        if await session.get(Site, new.site_id) is None:
            errors.append(
                {
                    "field": "site_id",
                    "message": texts.unknown_reference("site_id", texts.NAMES_IN_A_SENTENCE["site"], new.site_id),
                }
            )
        if errors:
            raise Invalid("; ".join(e["message"] for e in errors), errors=errors)
        assert donor is not None
        collection = Collection(
            donor_id=new.donor_id,
            site_id=new.site_id,
            collected_on=new.collected_on,
            pickup_address=new.pickup_address.strip(),
            declared_weight_g=new.declared_weight_g,
            weighed_weight_g=new.weighed_weight_g,
            notes=new.notes.strip(),
            created_at=utcnow(),
        )
        session.add(collection)
        await session.flush()
        return CollectionView(collection, donor.name, {})


async def progress_of(session: AsyncSession, collection_ids: Sequence[int]) -> dict[int, dict[str, int]]:
    """How many devices of each collection are in each state."""
    progress: dict[int, dict[str, int]] = {cid: {} for cid in collection_ids}
    if collection_ids:
        rows = await session.execute(
            select(Device.collection_id, Device.state, func.count())
            .where(Device.collection_id.in_(collection_ids), counted())
            .group_by(Device.collection_id, Device.state)
        )
        for cid, state, count in rows:
            progress[cid][state] = count
    return progress


def listed(scope: Scope = EVERYTHING) -> Select[*tuple[Any, ...]]:
    """The collections this scope sees, each with its donor's name and how many devices it holds: the
    rows of the collection list (the pages' lists search, sort and page them, reemploi.web.lists)."""
    held = select(func.count()).where(Device.collection_id == Collection.id).correlate(Collection).scalar_subquery()
    query = select(Collection, Partner.name.label("donor"), held.label("device_count")).join(
        Partner, Partner.id == Collection.donor_id
    )
    donor_id = scope.donor_filter(None)
    return query if donor_id is None else query.where(Collection.donor_id == donor_id)


async def get(session: AsyncSession, collection_id: int, scope: Scope = EVERYTHING) -> CollectionView:
    row = (
        await session.execute(
            select(Collection, Partner.name)
            .join(Partner, Partner.id == Collection.donor_id)
            .where(Collection.id == collection_id)
        )
    ).first()
    if row is None or not scope.sees_donor(row[0].donor_id):
        raise NotFound(texts.not_found(texts.NAMES["collection"], collection_id))
    progress = await progress_of(session, [collection_id])
    return CollectionView(row[0], row[1], progress[collection_id])


async def list_collections(
    session: AsyncSession,
    donor_id: int | None,
    site_id: int | None,
    limit: int,
    offset: int,
    scope: Scope = EVERYTHING,
) -> tuple[list[CollectionView], int]:
    donor_id = scope.donor_filter(donor_id)
    conditions = [
        c
        for c in (
            Collection.donor_id == donor_id if donor_id is not None else None,
            Collection.site_id == site_id if site_id is not None else None,
        )
        if c is not None
    ]
    total = (await session.execute(select(func.count()).select_from(Collection).where(*conditions))).scalar_one()
    rows = (
        await session.execute(
            select(Collection, Partner.name)
            .join(Partner, Partner.id == Collection.donor_id)
            .where(*conditions)
            .order_by(Collection.collected_on.desc(), Collection.id.desc())
            .limit(limit)
            .offset(offset)
        )
    ).all()
    progress = await progress_of(session, [c.id for c, _ in rows])
    return [CollectionView(c, name, progress[c.id]) for c, name in rows], total


@dataclass(frozen=True, slots=True)
class ImportResult:
    registered: list[devices.Registered]
    ignored_columns: tuple[str, ...]
    dry_run: bool


async def import_manifest(
    session: AsyncSession,
    collection_id: int,
    data: bytes,
    actor: Actor,
    *,
    filename: str | None = None,
    content_type: str | None = None,
    dry_run: bool = False,
) -> ImportResult:
    """All or nothing: every line is checked first; one bad line and nothing is written. A manifest
    already imported (the same file, or serials an earlier import brought) is refused, naming it."""
    try:
        # Off the event loop: a large spreadsheet must not hold up the scans of every bench.
        manifest = await asyncio.to_thread(parse_manifest, data, filename=filename, content_type=content_type)
    except ManifestInvalid as invalid:
        errors = [{"line": e.line, "column": e.column, "reason": e.reason} for e in invalid.errors]
        raise ManifestRefused(texts.manifest_refused_nothing_saved(len(errors)), errors=errors) from None
    digest = hashlib.sha256(data).hexdigest()
    try:
        async with write_transaction(session):
            collection = await session.get(Collection, collection_id)
            if collection is None:
                raise NotFound(texts.not_found(texts.NAMES["collection"], collection_id))
            await _refuse_if_imported(session, digest, manifest)
            new_devices = [
                devices.NewDevice(
                    category=row.category.value,
                    manufacturer=row.manufacturer or "",
                    model=row.model or "",
                    serial=row.serial,
                    asset_tag=row.asset_tag,
                    weight_g=row.weight_grams,
                )
                for row in manifest.rows
            ]
            registered = await devices.add_to_collection(session, collection, new_devices, actor)
            result = ImportResult(registered, manifest.ignored_columns, dry_run=dry_run)
            if dry_run:
                raise _RollBack(result)
            recorded = ManifestImport(
                collection_id=collection.id,
                at=utcnow(),
                content_sha256=digest,
                filename=(filename or "")[:255],
                device_count=len(registered),
                **actor.columns(),
            )
            session.add(recorded)
            await session.flush()
            session.add_all(ManifestImportDevice(import_id=recorded.id, device_id=r.device.id) for r in registered)
            return result
    except _RollBack as rollback:
        return rollback.result


def _standing() -> Any:
    """The imports some device of which still counts (an import whose devices were all cancelled, a
    mistake undone, no longer stands in the way of the right one)."""
    return (
        select(ManifestImportDevice.import_id)
        .join(Device, Device.id == ManifestImportDevice.device_id)
        .where(counted())
    )


def _said(earlier: ManifestImport) -> str:
    return texts.earlier_import(
        formats.moment(earlier.at), earlier.actor, earlier.device_count, earlier.collection_id, earlier.filename
    )


async def _refuse_if_imported(session: AsyncSession, digest: str, manifest: Manifest) -> None:
    same_file = (
        await session.execute(
            select(ManifestImport)
            .where(ManifestImport.content_sha256 == digest, ManifestImport.id.in_(_standing()))
            .order_by(ManifestImport.id)
            .limit(1)
        )
    ).scalar_one_or_none()
    if same_file is not None:
        raise ManifestAlreadyImported(texts.manifest_already_imported(_said(same_file)), errors=[])
    lines: dict[str, int] = {}
    for row in manifest.rows:
        serial = identifier(row.serial)
        if serial:
            lines.setdefault(serial, row.line)
    if not lines:
        return
    found: list[tuple[ManifestImport, str, str]] = []
    wanted = sorted(lines)
    for start in range(0, len(wanted), 500):
        rows = await session.execute(
            select(ManifestImport, Device.serial, Device.code)
            .join(ManifestImportDevice, ManifestImportDevice.import_id == ManifestImport.id)
            .join(Device, Device.id == ManifestImportDevice.device_id)
            .where(Device.serial.in_(wanted[start : start + 500]), counted())
            .order_by(ManifestImport.id, Device.id)
        )
        found += [(earlier, serial, code) for earlier, serial, code in rows if serial]
    if not found:
        return
    earlier_imports = list({earlier.id: earlier for earlier, _, _ in found}.values())
    errors = [
        {
            "line": lines[serial],
            "column": texts.MANIFEST_COLUMNS["serial"],
            "reason": texts.serial_already_imported(serial, code, earlier.id),
        }
        for earlier, serial, code in sorted(found, key=lambda f: lines[f[1]])
    ]
    raise ManifestAlreadyImported(
        texts.manifest_serials_already_imported(len(errors), [_said(e) for e in earlier_imports]), errors=errors
    )


class _RollBack(Exception):
    """Ends a dry run: the transaction is rolled back, the result still reported."""

    def __init__(self, result: ImportResult) -> None:
        self.result = result


async def next_setup_step(session: AsyncSession) -> Literal["site", "donor", "collection"] | None:
    """What a new installation lacks before its first intake, in order: a site, a donor, a collection."""
    steps: tuple[tuple[Literal["site", "donor", "collection"], Any], ...] = (
        ("site", Site.id),
        ("donor", Partner.id),
        ("collection", Collection.id),
    )
    for step, column in steps:
        if (await session.execute(select(column).limit(1))).first() is None:
            return step
    return None
