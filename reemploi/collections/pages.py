"""Intake: record a collection for a donor, then register its devices as fast as the scanner goes
(scan the serial, Enter; the category stays as chosen, Alt+1…9 changes it). Lists of collections
with their progress. Thin: the collection and device services do the work."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import partial
from typing import Annotated, Any, ClassVar

from litestar import Controller, Request, get, post
from litestar.datastructures import UploadFile
from litestar.enums import RequestEncodingType
from litestar.params import Body
from litestar.response import Redirect, Response, Template
from sqlalchemy import String, cast, literal_column
from sqlalchemy.ext.asyncio import AsyncSession

from reemploi import texts
from reemploi.accounts.auth import permission
from reemploi.accounts.roles import Permission
from reemploi.collections import service
from reemploi.collections.models import Collection
from reemploi.db import folded
from reemploi.devices import service as devices
from reemploi.devices.categories import Category
from reemploi.errors import DomainError, Invalid
from reemploi.partners import service as partners
from reemploi.partners.models import Partner
from reemploi.sites import service as sites
from reemploi.web import DbSession, PathId, QueryId, actor_of, lists, page, permissions_of, scope_of
from reemploi.web.forms import (
    Checkbox,
    Day,
    Form,
    Grams,
    LongText,
    Reference,
    ShortText,
    WholeNumber,
    form_page,
    read_form,
)
from reemploi.web.lists import AskedList

# The collection list: its columns, what its search looks in (the donor, the collection's number).
LISTING = lists.Listing(
    columns=(
        lists.Column("number", texts.LISTS["number"], Collection.id, lambda row: row[0].id),
        lists.Column(
            "collected_on", texts.UI["collected_on"], Collection.collected_on, lambda row: row[0].collected_on
        ),
        lists.Column("donor", texts.UI["donor"], folded(Partner.name), lambda row: row.donor),
        lists.Column(
            "devices", texts.UI["devices_count"], literal_column("device_count"), lambda row: row.device_count
        ),
        lists.Column("progress", texts.UI["progress"]),
        lists.Column("links", ""),
    ),
    searched=(Partner.name, cast(Collection.id, String)),
    unique=Collection.id,
    default="collected_on",
    default_direction="desc",
)

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


class CollectionForm(Form):
    # This form said "bad date or weight" with a 400 before the shared types: its desk knows it so.
    refused_as = DomainError
    refusals: ClassVar[Mapping[str, str]] = {
        "collected_on": texts.UI["bad_date_or_weight"],
        "declared_weight_kg": texts.UI["bad_date_or_weight"],
    }

    donor_id: WholeNumber
    site_id: WholeNumber
    collected_on: Day | None = None  # today when left empty
    declared_weight_kg: Grams | None = None
    pickup_address: LongText = ""
    notes: LongText = ""


class DeviceForm(Form):
    serial: Reference = ""
    category: ShortText = ""
    asset_tag: Reference = ""
    confirm_known_serial: Checkbox = False  # "register anyway", after the page asked about a known serial


async def _new_collection_page(
    session: AsyncSession, request: Request[Any, Any, Any], form: Mapping[str, Any], error: str = ""
) -> Template:
    donors, _ = await partners.list_partners(session, None, 500, 0, scope_of(request))
    return page(
        request,
        "collection_new.html",
        donors=donors,
        setup=await service.next_setup_step(session),
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
    file: UploadFile | None = None  # a form sent without a file is refused in French, not by the parser


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
        collection_id=collection_id,
        devices=await _devices_of(session, collection_id),
        **context,
    )


class CollectionPages(Controller):
    include_in_schema = False

    @get("/collections", opt=permission(Permission.COLLECTIONS_READ), dependencies=lists.LIST_QUERY)
    async def collections(self, request: Request[Any, Any, Any], db_session: DbSession, asked: AskedList) -> Template:
        listed = await lists.shown(db_session, service.listed(scope_of(request)), LISTING, asked, "/collections")
        progress = await service.progress_of(db_session, [row[0].id for row in listed.page.items])
        return page(request, "collections.html", listed=listed, progress=progress)

    @get("/collections.csv", opt=permission(Permission.COLLECTIONS_READ), dependencies=lists.LIST_QUERY)
    async def collections_csv(
        self, request: Request[Any, Any, Any], db_session: DbSession, asked: AskedList
    ) -> Response[bytes]:
        """The collection list as shown (search, sort), every page, for a spreadsheet."""
        return await lists.exported(db_session, service.listed(scope_of(request)), LISTING, asked, "collectes.csv")

    @get("/collections/new", opt=permission(Permission.COLLECTIONS_WRITE))
    async def new_collection(
        self, request: Request[Any, Any, Any], db_session: DbSession, donor_id: QueryId = None
    ) -> Template:
        return await _new_collection_page(db_session, request, {"donor_id": str(donor_id or "")})

    @get("/first-steps", opt=permission(Permission.PARTNERS_WRITE))
    async def first_steps(self, db_session: DbSession, request: Request[Any, Any, Any]) -> Template:
        """What a new installation needs next (a site, a donor, a first collection), shown on the home
        page of the people who set it up; nothing once a collection exists."""
        step = await service.next_setup_step(db_session)
        return Template("_first_steps.html", context={"step": step, "may": permissions_of(request)})

    @post("/collections/new", opt=permission(Permission.COLLECTIONS_WRITE), status_code=303, media_type="text/html")
    async def create_collection(self, request: Request[Any, Any, Any], db_session: DbSession) -> Redirect | Template:
        async def work() -> Redirect:
            form = await read_form(request, CollectionForm)
            created = await service.create(
                db_session,
                service.NewCollection(
                    donor_id=form.donor_id,
                    site_id=form.site_id,
                    collected_on=form.collected_on or date.today(),
                    pickup_address=form.pickup_address,
                    declared_weight_g=form.declared_weight_kg,
                    notes=form.notes,
                ),
            )
            return Redirect(f"/collections/{created.collection.id}/intake", status_code=303)

        typed = dict((await request.form()).items())
        return await form_page(work, partial(_new_collection_page, db_session, request, typed))

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
        async def work() -> Template:
            if data.file is None:
                raise Invalid(texts.MANIFEST_NO_FILE)
            result = await service.import_manifest(
                db_session,
                collection_id,
                await data.file.read(),
                actor_of(request),
                filename=data.file.filename,
                content_type=data.file.content_type,
            )
            return await _intake_page(
                db_session,
                request,
                collection_id,
                manifest_notice=f"{len(result.registered)} {texts.UI['manifest_imported']}",
                warnings=[w for r in result.registered for w in r.warnings],
            )

        again = partial(_intake_page, db_session, request, collection_id)
        return await form_page(work, again, say="manifest_error", problems="manifest_problems")

    @post("/collections/{collection_id:int}/intake", opt=permission(Permission.DEVICES_REGISTER), status_code=200)
    async def register_device(
        self, request: Request[Any, Any, Any], db_session: DbSession, collection_id: PathId
    ) -> Template:
        async def work() -> Template:
            form = await read_form(request, DeviceForm)
            if form.category not in {c.value for c in Category}:
                raise Invalid(texts.UI["pick_category"])
            if not (form.serial or form.asset_tag):
                raise Invalid(texts.UI["scan_serial_first"])
            registered = await devices.register(
                db_session,
                collection_id,
                devices.NewDevice(category=form.category, serial=form.serial or None, asset_tag=form.asset_tag or None),
                actor_of(request),
                confirmed=form.confirm_known_serial,
            )
            code = registered.device.code
            notice = texts.device_registered(code)
            return await _registered(
                db_session, request, collection_id, notice=notice, warnings=registered.warnings, code=code
            )

        # A known serial is asked about (`known`: the devices that have it) with what was scanned kept,
        # for the "register anyway" button.
        typed = {k: str(v) for k, v in (await request.form()).items() if k in ("serial", "category", "asset_tag")}
        again = partial(_registered, db_session, request, collection_id)
        return await form_page(work, again, problems="known", typed=typed)


async def _registered(
    session: AsyncSession, request: Request[Any, Any, Any], collection_id: int, **context: Any
) -> Template:
    """The intake's list of devices, after one was registered (or why not): the piece htmx swaps in,
    or the whole intake page around it for a browser that posted the form without JavaScript."""
    shown = {"notice": "", "warnings": [], "error": "", "code": "", "known": [], "typed": {}, **context}
    if not request.headers.get("hx-request"):
        return await _intake_page(session, request, collection_id, **shown)
    devices_now = await _devices_of(session, collection_id)
    context = {"devices": devices_now, "collection_id": collection_id, "csrf_token": request.user.csrf_token or ""}
    return Template("_intake_devices.html", context={**context, **shown})


# What this domain adds to the application (pages); reemploi.app assembles every domain's.
ROUTES = [CollectionPages]
