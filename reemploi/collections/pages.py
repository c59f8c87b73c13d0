"""Intake: record a collection for a donor, then register its devices as fast as the scanner goes
(scan the serial, Enter; the category stays as chosen, Alt+1…9 changes it). Lists of collections
with their progress. Thin: the collection and device services do the work."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any

import msgspec
from advanced_alchemy.service import OffsetPagination
from litestar import Controller, Request, get, post
from litestar.datastructures import UploadFile
from litestar.enums import RequestEncodingType
from litestar.params import Body
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from reemploi import texts
from reemploi.accounts.auth import permission
from reemploi.accounts.roles import Permission
from reemploi.collections import service
from reemploi.devices import service as devices
from reemploi.devices.categories import Category
from reemploi.errors import DomainError
from reemploi.partners import service as partners
from reemploi.sites import service as sites
from reemploi.web import DbSession, Offset, PathId, actor_of, kg_to_grams, page, scope_of

# Collections shown per page; past them, the page links to the next.
COLLECTIONS_PER_PAGE = 200

# The categories offered at intake, in the order of their shortcuts (Alt+1 …).
INTAKE_CATEGORIES = (
    Category.LAPTOP,
    Category.DESKTOP,
    Category.SCREEN,
    Category.TABLET,
    Category.SMARTPHONE,
    Category.ALL_IN_ONE,
    Category.PRINTER,
    Category.PERIPHERAL,
    Category.OTHER,
)


class CollectionForm(msgspec.Struct):
    donor_id: int = 0
    site_id: int = 0
    collected_on: str = ""
    declared_weight_kg: str = ""
    pickup_address: str = ""
    notes: str = ""


class DeviceForm(msgspec.Struct):
    serial: str = ""
    category: str = ""
    asset_tag: str = ""


async def _new_collection_page(
    session: AsyncSession, request: Request[Any, Any, Any], form: CollectionForm, error: str = "", status: int = 200
) -> Template:
    donors, _ = await partners.list_partners(session, None, 500, 0, scope_of(request))
    return page(
        request,
        "collection_new.html",
        status,
        donors=donors,
        sites=await sites.list_all(session),
        form=form,
        error=error,
        today=date.today().isoformat(),
    )


async def _devices_of(session: AsyncSession, collection_id: int) -> list[Any]:
    items, _ = await devices.list_devices(session, devices.DeviceFilter(collection_id=collection_id), 500, 0)
    return list(reversed(items))  # the last registered first


@dataclass
class ManifestForm:
    file: UploadFile


async def _intake_page(
    session: AsyncSession, request: Request[Any, Any, Any], collection_id: int, **context: Any
) -> Template:
    view = await service.get(session, collection_id, scope_of(request))
    return page(
        request,
        "intake.html",
        view=view,
        categories=INTAKE_CATEGORIES,
        chosen=Category.LAPTOP.value,
        devices=await _devices_of(session, collection_id),
        **context,
    )


class CollectionPages(Controller):
    include_in_schema = False

    @get("/collections", opt=permission(Permission.COLLECTIONS_READ))
    async def collections(self, request: Request[Any, Any, Any], db_session: DbSession, offset: Offset = 0) -> Template:
        shown = COLLECTIONS_PER_PAGE
        views, total = await service.list_collections(db_session, None, None, shown, offset, scope_of(request))
        paging = OffsetPagination(items=views, limit=shown, offset=offset, total=total)
        return page(request, "collections.html", views=views, total=total, paging=paging)

    @get("/collections/new", opt=permission(Permission.COLLECTIONS_WRITE))
    async def new_collection(self, request: Request[Any, Any, Any], db_session: DbSession) -> Template:
        return await _new_collection_page(db_session, request, CollectionForm())

    @post("/collections/new", opt=permission(Permission.COLLECTIONS_WRITE), status_code=303, media_type="text/html")
    async def create_collection(
        self,
        request: Request[Any, Any, Any],
        db_session: DbSession,
        data: Annotated[CollectionForm, Body(media_type=RequestEncodingType.URL_ENCODED)],
    ) -> Any:
        try:
            collected_on = date.fromisoformat(data.collected_on) if data.collected_on else date.today()
            weight = data.declared_weight_kg.replace(",", ".").strip()
            declared = kg_to_grams(float(weight)) if weight else None
        except ValueError:
            return await _new_collection_page(db_session, request, data, texts.UI["bad_date_or_weight"], 400)
        try:
            created = await service.create(
                db_session,
                service.NewCollection(
                    donor_id=data.donor_id,
                    site_id=data.site_id,
                    collected_on=collected_on,
                    pickup_address=data.pickup_address.strip(),
                    declared_weight_g=declared,
                    notes=data.notes.strip(),
                ),
            )
        except DomainError as refused:
            return await _new_collection_page(db_session, request, data, refused.detail, refused.status_code)
        return Redirect(f"/collections/{created.collection.id}/intake", status_code=303)

    @get("/collections/{collection_id:int}/intake", opt=permission(Permission.DEVICES_REGISTER))
    async def intake(self, request: Request[Any, Any, Any], db_session: DbSession, collection_id: PathId) -> Template:
        return await _intake_page(db_session, request, collection_id)

    @post(
        "/collections/{collection_id:int}/manifest-upload",
        opt=permission(Permission.COLLECTIONS_WRITE),
        status_code=200,
    )
    async def upload_manifest(
        self,
        request: Request[Any, Any, Any],
        db_session: DbSession,
        collection_id: PathId,
        data: Annotated[ManifestForm, Body(media_type=RequestEncodingType.MULTI_PART)],
    ) -> Template:
        content = await data.file.read()
        try:
            result = await service.import_manifest(
                db_session,
                collection_id,
                content,
                actor_of(request),
                filename=data.file.filename,
                content_type=data.file.content_type,
            )
        except DomainError as refused:
            response = await _intake_page(
                db_session,
                request,
                collection_id,
                manifest_error=refused.detail,
                manifest_problems=refused.extra.get("errors") or [],
            )
            response.status_code = refused.status_code
            return response
        return await _intake_page(
            db_session,
            request,
            collection_id,
            manifest_notice=f"{len(result.registered)} {texts.UI['manifest_imported']}",
            warnings=[w for r in result.registered for w in r.warnings],
        )

    @post("/collections/{collection_id:int}/intake", opt=permission(Permission.DEVICES_REGISTER), status_code=200)
    async def register_device(
        self,
        request: Request[Any, Any, Any],
        db_session: DbSession,
        collection_id: PathId,
        data: Annotated[DeviceForm, Body(media_type=RequestEncodingType.URL_ENCODED)],
    ) -> Template:
        notice, warnings, error, code = "", [], "", ""
        try:
            category = Category(data.category)
        except ValueError:
            error = texts.UI["pick_category"]
        else:
            if not (data.serial.strip() or data.asset_tag.strip()):
                error = texts.UI["scan_serial_first"]
            else:
                try:
                    registered = await devices.register(
                        db_session,
                        collection_id,
                        devices.NewDevice(
                            category=category.value,
                            serial=data.serial.strip()[:100] or None,
                            asset_tag=data.asset_tag.strip()[:100] or None,
                        ),
                        actor_of(request),
                    )
                    code = registered.device.code
                    notice = texts.device_registered(code)
                    warnings = registered.warnings
                except DomainError as refused:
                    error = refused.detail
        return Template(
            "_intake_devices.html",
            context={
                "devices": await _devices_of(db_session, collection_id),
                "notice": notice,
                "warnings": warnings,
                "error": error,
                "code": code,
            },
        )


# What this domain adds to the application (pages); reemploi.app assembles every domain's.
ROUTES = [CollectionPages]
