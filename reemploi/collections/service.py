"""Collections: create one for a donor, follow its progress, import the donor's manifest."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from reemploi import texts
from reemploi.actors import Actor
from reemploi.collections.manifest import ManifestInvalid, parse_manifest
from reemploi.collections.models import Collection
from reemploi.db import utcnow, write_transaction
from reemploi.devices import service as devices
from reemploi.devices.models import Device
from reemploi.errors import Invalid, ManifestRefused, NotFound
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


async def _progress(session: AsyncSession, collection_ids: Sequence[int]) -> dict[int, dict[str, int]]:
    progress: dict[int, dict[str, int]] = {cid: {} for cid in collection_ids}
    if collection_ids:
        rows = await session.execute(
            select(Device.collection_id, Device.state, func.count())
            .where(Device.collection_id.in_(collection_ids))
            .group_by(Device.collection_id, Device.state)
        )
        for cid, state, count in rows:
            progress[cid][state] = count
    return progress


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
    progress = await _progress(session, [collection_id])
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
    progress = await _progress(session, [c.id for c, _ in rows])
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
    """All or nothing: every line is checked first; one bad line and nothing is written."""
    try:
        # Off the event loop: a large spreadsheet must not hold up the scans of every bench.
        manifest = await asyncio.to_thread(parse_manifest, data, filename=filename, content_type=content_type)
    except ManifestInvalid as invalid:
        errors = [{"line": e.line, "column": e.column, "reason": e.reason} for e in invalid.errors]
        raise ManifestRefused(texts.manifest_refused_nothing_saved(len(errors)), errors=errors) from None
    try:
        async with write_transaction(session):
            collection = await session.get(Collection, collection_id)
            if collection is None:
                raise NotFound(texts.not_found(texts.NAMES["collection"], collection_id))
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
            return result
    except _RollBack as rollback:
        return rollback.result


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
