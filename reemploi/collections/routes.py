"""Collection API, with the donor's manifest import."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

import msgspec
from advanced_alchemy.service import OffsetPagination
from litestar import Controller, Request, get, post
from litestar.datastructures import UploadFile
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromQuery, JSONBody

from reemploi.accounts.auth import permission
from reemploi.accounts.roles import Permission
from reemploi.collections import service
from reemploi.devices.schemas import DeviceOut
from reemploi.errors import problem_responses
from reemploi.web import (
    DbSession,
    Limit,
    Offset,
    PathId,
    QueryId,
    RowId,
    actor_of,
    grams_to_kg,
    kg_to_grams,
    out_of,
    scope_of,
)


class CollectionIn(msgspec.Struct, forbid_unknown_fields=True):
    donor_id: RowId
    site_id: RowId
    collected_on: date
    pickup_address: Annotated[str, msgspec.Meta(max_length=2000)] = ""
    declared_weight_kg: Annotated[float, msgspec.Meta(ge=0.001, lt=100_000)] | None = None
    weighed_weight_kg: Annotated[float, msgspec.Meta(ge=0.001, lt=100_000)] | None = None
    notes: Annotated[str, msgspec.Meta(max_length=5000)] = ""


class CollectionOut(msgspec.Struct):
    id: int
    donor_id: int
    donor_name: str
    site_id: int
    collected_on: date
    pickup_address: str
    declared_weight_kg: float | None
    weighed_weight_kg: float | None
    notes: str
    created_at: datetime
    device_count: int
    devices_by_state: dict[str, int]

    @classmethod
    def of(cls, v: service.CollectionView) -> CollectionOut:
        c = v.collection
        return out_of(
            cls,
            c,
            donor_name=v.donor_name,
            declared_weight_kg=grams_to_kg(c.declared_weight_g),
            weighed_weight_kg=grams_to_kg(c.weighed_weight_g),
            device_count=v.device_count,
            devices_by_state=v.devices_by_state,
        )


class ManifestUpload(msgspec.Struct):
    file: UploadFile


class ImportOut(msgspec.Struct):
    dry_run: bool
    created: int
    devices: list[DeviceOut]
    warnings: list[str]
    ignored_columns: list[str]


class CollectionController(Controller):
    path = "/api/v1/collections"
    tags = ["collections"]

    @post(
        "/",
        opt=permission(Permission.COLLECTIONS_WRITE),
        responses=problem_responses(422),
        summary="Créer une collecte pour un donateur",
    )
    async def create(self, db_session: DbSession, data: JSONBody[CollectionIn]) -> CollectionOut:
        new = service.NewCollection(
            donor_id=data.donor_id,
            site_id=data.site_id,
            collected_on=data.collected_on,
            pickup_address=data.pickup_address,
            declared_weight_g=kg_to_grams(data.declared_weight_kg),
            weighed_weight_g=kg_to_grams(data.weighed_weight_kg),
            notes=data.notes,
        )
        return CollectionOut.of(await service.create(db_session, new))

    @get(
        "/",
        opt=permission(Permission.COLLECTIONS_READ),
        responses=problem_responses(),
        summary="Lister les collectes avec leur avancement",
    )
    async def list_collections(
        self,
        db_session: DbSession,
        request: Request[Any, Any, Any],
        donor_id: QueryId = None,
        site_id: QueryId = None,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> OffsetPagination[CollectionOut]:
        items, total = await service.list_collections(db_session, donor_id, site_id, limit, offset, scope_of(request))
        return OffsetPagination(items=[CollectionOut.of(v) for v in items], limit=limit, offset=offset, total=total)

    @get(
        "/{collection_id:int}",
        opt=permission(Permission.COLLECTIONS_READ),
        responses=problem_responses(404),
        summary="Une collecte et son avancement",
    )
    async def get_collection(
        self, db_session: DbSession, request: Request[Any, Any, Any], collection_id: PathId
    ) -> CollectionOut:
        return CollectionOut.of(await service.get(db_session, collection_id, scope_of(request)))

    @post(
        "/{collection_id:int}/manifest",
        opt=permission(Permission.COLLECTIONS_WRITE),
        responses=problem_responses(404, 409, 413, 422),
        summary="Importer le manifeste du donateur (CSV ; ou , ou XLSX)",
        description=(
            "Tout ou rien : une seule ligne fautive et rien n'est enregistré ; la réponse 422 liste chaque "
            "ligne fautive (ligne, colonne, raison). `dry_run=true` vérifie sans rien enregistrer. "
            "Les numéros de série déjà connus sont signalés dans `warnings`. Un manifeste déjà importé (le même "
            "fichier, ou des numéros de série qu'un import précédent a apportés) est refusé (409 "
            "`manifest-already-imported`), l'import précédent nommé : quand, par qui, combien d'appareils."
        ),
    )
    async def import_manifest(
        self,
        db_session: DbSession,
        collection_id: PathId,
        data: Annotated[ManifestUpload, Body(media_type=RequestEncodingType.MULTI_PART)],
        request: Request[Any, Any, Any],
        dry_run: FromQuery[bool] = False,
    ) -> ImportOut:
        content = await data.file.read()
        result = await service.import_manifest(
            db_session,
            collection_id,
            content,
            actor_of(request),
            filename=data.file.filename,
            content_type=data.file.content_type,
            dry_run=dry_run,
        )
        return ImportOut(
            dry_run=result.dry_run,
            created=0 if result.dry_run else len(result.registered),
            devices=[] if result.dry_run else [DeviceOut.registered(r) for r in result.registered],
            warnings=[w for r in result.registered for w in r.warnings],
            ignored_columns=list(result.ignored_columns),
        )


# What this domain adds to the application (API); reemploi.app assembles every domain's.
ROUTES = [CollectionController]
