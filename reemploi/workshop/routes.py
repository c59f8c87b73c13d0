"""Workshop API: a device's hardware reports, its bench (functional tests, storage media, erasures),
grading and putting on sale, repairs, and the sites' price grids."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo

import msgspec
from advanced_alchemy.filters import LimitOffset
from advanced_alchemy.service import OffsetPagination
from litestar import Controller, Request, Response, get, post, put
from litestar.datastructures import UploadFile
from litestar.enums import RequestEncodingType
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import Body, JSONBody

from reemploi import rules, texts
from reemploi.accounts.auth import permission
from reemploi.accounts.roles import Permission, allows
from reemploi.devices import service as devices
from reemploi.devices.categories import Category
from reemploi.devices.lifecycle import Action
from reemploi.devices.schemas import Code, DeviceOut, Version
from reemploi.errors import Invalid, problem_responses
from reemploi.partners.proof import period as checked_period
from reemploi.sites import service as sites
from reemploi.web import (
    DbSession,
    From,
    Limit,
    Offset,
    PathId,
    RowId,
    To,
    actor_of,
    out_of,
    page_of,
    scope_of,
    settings_of,
)
from reemploi.workshop import bench, gate, grading, hardware_reports, repairs, systems
from reemploi.workshop.models import Erasure, FunctionalTest, HardwareReport, InstalledSystem, StorageMedium


class ReportUpload(msgspec.Struct):
    files: Annotated[list[UploadFile], msgspec.Meta(min_length=1, max_length=hardware_reports.MAX_REPORTS_PER_UPLOAD)]


class ReportOut(msgspec.Struct):
    id: int
    kind: str
    filename: str
    size: int
    sha256: str
    uploaded_at: datetime
    actor: str
    serial_mismatch: bool  # the report's system serial is not the device's: check before using it
    extracted: dict[str, Any]

    @classmethod
    def of(cls, r: HardwareReport) -> ReportOut:
        return out_of(cls, r)


async def uploads_of(files: list[Any]) -> list[hardware_reports.Upload]:
    """The files sent; a file input left empty (a text part, "") is no file."""
    return [
        hardware_reports.Upload(f.filename or "rapport", await f.read()) for f in files if isinstance(f, UploadFile)
    ]


class WorkshopController(Controller):
    path = "/api/v1/devices/{code:str}"
    tags = ["workshop"]

    @post(
        "/reports",
        opt=permission(Permission.WORKSHOP_WRITE),
        responses=problem_responses(404, 413, 422),
        summary="Joindre des rapports matériel (dmidecode, smartctl, lshw)",
        description=(
            "Multipart, un ou plusieurs fichiers dans le champ `files` : sortie de "
            "`dmidecode`, `smartctl -a`/`-x` (texte) ou `smartctl -j` (JSON), `lshw -json`. Tout ou rien : un "
            "fichier illisible et aucun n'est enregistré (422 qui le nomme). Chaque fichier est gardé tel quel ; "
            "le même fichier deux fois n'est gardé qu'une. `serial_mismatch` signale un rapport dont le n° de "
            "série n'est pas celui de l'appareil."
        ),
    )
    async def attach(
        self,
        request: Request[Any, Any, Any],
        db_session: DbSession,
        code: Code,
        data: Annotated[ReportUpload, Body(media_type=RequestEncodingType.MULTI_PART)],
    ) -> list[ReportOut]:
        uploads = await uploads_of(data.files)
        stored = await hardware_reports.attach(db_session, code, uploads, actor_of(request), scope_of(request))
        return [ReportOut.of(r) for r in stored]

    @get(
        "/reports",
        opt=permission(Permission.DEVICES_READ),
        responses=problem_responses(404, 422),
        summary="Rapports matériel d'un appareil",
    )
    async def list_reports(
        self, request: Request[Any, Any, Any], db_session: DbSession, code: Code, limit: Limit = 50, offset: Offset = 0
    ) -> OffsetPagination[ReportOut]:
        window = LimitOffset(limit, offset)
        return page_of(await hardware_reports.reports_page(db_session, code, window, scope_of(request)), ReportOut.of)

    @get(
        "/reports/{report_id:int}/raw",
        opt=permission(Permission.DEVICES_READ),
        media_type="text/plain",
        responses={
            200: ResponseSpec(data_container=bytes, media_type="text/plain", description="Le fichier tel que reçu"),
            **problem_responses(404, 422),
        },
        summary="Le fichier d'un rapport, tel que reçu",
    )
    async def raw(
        self, request: Request[Any, Any, Any], db_session: DbSession, code: Code, report_id: PathId
    ) -> Response[bytes]:
        report = await hardware_reports.raw_report(db_session, code, report_id, scope_of(request))
        media = "application/json" if report.kind.endswith("json") else "text/plain; charset=utf-8"
        return Response(
            report.content, media_type=media, headers={"Content-Disposition": f'inline; filename="{report.filename}"'}
        )


# --- Functional tests, storage media, erasures, the sale gate ---------------------------------------

Note = Annotated[str, msgspec.Meta(max_length=2000)]


class CheckIn(msgspec.Struct, forbid_unknown_fields=True):
    outcome: Annotated[str, msgspec.Meta(description="pass, fail ou na (sans objet)", max_length=10)]
    note: Annotated[str, msgspec.Meta(max_length=500)] = ""


class TestIn(msgspec.Struct, forbid_unknown_fields=True):
    results: Annotated[dict[Annotated[str, msgspec.Meta(max_length=40)], CheckIn], msgspec.Meta(max_length=60)]
    battery_percent: Annotated[int, msgspec.Meta(ge=0, le=150)] | None = None
    note: Note = ""


class TestOut(msgspec.Struct):
    id: int
    at: datetime
    actor: str
    passed: bool
    results: dict[str, Any]
    battery_percent: int | None
    note: str

    @classmethod
    def of(cls, t: FunctionalTest) -> TestOut:
        return out_of(cls, t)


class MediumIn(msgspec.Struct, forbid_unknown_fields=True):
    kind: Annotated[str, msgspec.Meta(description="hdd, ssd, nvme, emmc ou other", max_length=10)]
    model: Annotated[str, msgspec.Meta(max_length=200)] = ""
    serial: Annotated[str, msgspec.Meta(max_length=100)] | None = None
    capacity_bytes: Annotated[int, msgspec.Meta(ge=0, le=2**62)] | None = None
    replacement: bool = False  # fitted new by the workshop: nothing to erase


class MediumOut(msgspec.Struct):
    id: int
    kind: str
    model: str
    serial: str | None
    capacity_bytes: int | None
    origin: str
    report_id: int | None
    wwn: str | None = None  # the identity when no serial was read
    needs_identification: bool = False  # neither serial nor WWN read: tell it from look-alikes by its label
    part_id: int | None = None  # a harvested storage part a repair fitted: its first owner's data, to erase

    @classmethod
    def of(cls, m: StorageMedium) -> MediumOut:
        return out_of(cls, m)


class ErasureIn(msgspec.Struct, forbid_unknown_fields=True):
    medium_id: RowId
    level: Annotated[str, msgspec.Meta(description="NIST SP 800-88 : clear, purge ou destroy", max_length=10)]
    technique: Annotated[
        str,
        msgspec.Meta(
            max_length=30,
            description="overwrite, ata_secure_erase, nvme_sanitize, "
            "nvme_format, crypto_erase, factory_reset, physical_destruction",
        ),
    ]
    tool: Annotated[str, msgspec.Meta(min_length=1, max_length=100)]
    started_at: datetime
    ended_at: datetime
    verification: Annotated[str, msgspec.Meta(description="full, sampled ou none", max_length=10)]
    result: Annotated[str, msgspec.Meta(description="success ou failure", max_length=10)]
    tool_version: Annotated[str, msgspec.Meta(max_length=50)] = ""
    passes: Annotated[int, msgspec.Meta(ge=1, le=100)] | None = None
    note: Note = ""


class ErasureOut(msgspec.Struct):
    id: int
    medium_id: int
    level: str
    technique: str
    tool: str
    tool_version: str
    passes: int | None
    verification: str
    result: str
    started_at: datetime
    ended_at: datetime
    warning: str
    actor: str

    @classmethod
    def of(cls, e: Erasure) -> ErasureOut:
        return out_of(cls, e)


class WorkbenchOut(msgspec.Struct):
    checklist: list[str]
    tests: list[TestOut]
    media: list[MediumOut]
    erasures: list[ErasureOut]
    missing_for_sale: list[str]  # empty: it may go on sale


def _aware(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise Invalid(texts.NAIVE_DATETIME)
    return bench.plausible_moment(moment)


class WorkbenchController(Controller):
    path = "/api/v1/devices/{code:str}"
    tags = ["workshop"]

    @get(
        "/workbench",
        opt=permission(Permission.DEVICES_READ),
        responses=problem_responses(404, 422),
        summary="Tests, supports, effacements d'un appareil, et ce qui lui manque pour la vente",
    )
    async def get_workbench(self, request: Request[Any, Any, Any], db_session: DbSession, code: Code) -> WorkbenchOut:
        device = await devices.get_by_code(db_session, code, scope_of(request))
        records = await bench.workbench(db_session, device)
        facts = await bench.sale_facts(db_session, device, device.price_cents)
        return WorkbenchOut(
            rules.checklist(device.category),
            [TestOut.of(t) for t in records.tests],
            [MediumOut.of(m) for m in records.media],
            [ErasureOut.of(e) for e in records.erasures],
            gate.missing_for_sale(facts),
        )

    @post(
        "/tests",
        opt=permission(Permission.WORKSHOP_WRITE),
        responses=problem_responses(404, 422),
        summary="Enregistrer un test fonctionnel (chaque contrôle de la liste de la catégorie)",
    )
    async def record_test(
        self, request: Request[Any, Any, Any], db_session: DbSession, code: Code, data: JSONBody[TestIn]
    ) -> TestOut:
        results = {check: bench.CheckResult(r.outcome, r.note) for check, r in data.results.items()}
        test = await bench.record_test(
            db_session,
            code,
            results,
            actor_of(request),
            battery_percent=data.battery_percent,
            note=data.note,
            scope=scope_of(request),
        )
        return TestOut.of(test)

    @post(
        "/media",
        opt=permission(Permission.WORKSHOP_WRITE),
        responses=problem_responses(404, 422),
        summary="Ajouter un support de stockage (mémoire interne, disque de remplacement…)",
    )
    async def add_medium(
        self, request: Request[Any, Any, Any], db_session: DbSession, code: Code, data: JSONBody[MediumIn]
    ) -> MediumOut:
        new = bench.NewMedium(data.kind, data.model, data.serial, data.capacity_bytes, data.replacement)
        return MediumOut.of(await bench.add_medium(db_session, code, new, scope_of(request)))

    @post(
        "/erasures",
        opt=permission(Permission.WORKSHOP_WRITE),
        responses=problem_responses(404, 422),
        summary="Enregistrer l'effacement (ou la destruction) d'un support",
        description="Niveaux et techniques de NIST SP 800-88. L'écrasement d'un SSD est enregistré avec un "
        "avertissement (`warning`).",
    )
    async def record_erasure(
        self, request: Request[Any, Any, Any], db_session: DbSession, code: Code, data: JSONBody[ErasureIn]
    ) -> ErasureOut:
        new = bench.NewErasure(
            medium_id=data.medium_id,
            level=data.level,
            technique=data.technique,
            tool=data.tool,
            started_at=_aware(data.started_at),
            ended_at=_aware(data.ended_at),
            verification=data.verification,
            result=data.result,
            tool_version=data.tool_version,
            passes=data.passes,
            note=data.note,
        )
        return ErasureOut.of(await bench.record_erasure(db_session, code, new, actor_of(request), scope_of(request)))


class PriceIn(msgspec.Struct, forbid_unknown_fields=True):
    category: Category
    grade: Annotated[str, msgspec.Meta(pattern="^[ABC]$")]
    price_cents: Annotated[int, msgspec.Meta(ge=0, le=10_000_000)]


class PriceGridIn(msgspec.Struct, forbid_unknown_fields=True):
    prices: Annotated[list[PriceIn], msgspec.Meta(max_length=200)]


class PriceOut(msgspec.Struct):
    category: str
    grade: str
    price_cents: int
    legal_cap_cents: int | None  # for devices given by public bodies


class PriceGridController(Controller):
    path = "/api/v1/sites/{site_id:int}/prices"
    tags = ["workshop"]

    @get(
        "/", opt=permission(Permission.SITES_READ), responses=problem_responses(404), summary="Grille de prix d'un site"
    )
    async def get_grid(
        self, db_session: DbSession, site_id: PathId, limit: Limit = 50, offset: Offset = 0
    ) -> OffsetPagination[PriceOut]:
        await sites.get(db_session, site_id)
        grid = await grading.price_grid(db_session, site_id, LimitOffset(limit, offset))
        return page_of(grid, lambda e: _price_out(e.category, e.grade, e.price_cents))

    @put(
        "/",
        opt=permission(Permission.PRICES_WRITE),
        responses=problem_responses(404, 422),
        summary="Remplacer la grille de prix d'un site (catégorie × grade)",
        description="Un prix au-dessus du plafond légal (décret n° 2022-1413) est refusé avec le plafond et sa source.",
    )
    async def put_grid(self, db_session: DbSession, site_id: PathId, data: JSONBody[PriceGridIn]) -> list[PriceOut]:
        await sites.get(db_session, site_id)
        entries = {(p.category.value, p.grade): p.price_cents for p in data.prices}
        await grading.set_price_grid(db_session, site_id, entries)
        return [_price_out(c, g, p) for (c, g), p in sorted(entries.items())]


def _price_out(category: str, grade: str, cents: int) -> PriceOut:
    cap = rules.price_cap(category)
    return PriceOut(category, grade, cents, cap.cents if cap else None)


Quantity = Annotated[int, msgspec.Meta(ge=1, le=10_000)]


class UsedPartIn(msgspec.Struct, forbid_unknown_fields=True):
    part_id: RowId
    quantity: Quantity = 1


class RepairIn(msgspec.Struct, forbid_unknown_fields=True):
    actions: Annotated[str, msgspec.Meta(max_length=4000, description="Ce qui a été fait")]
    minutes: Annotated[int, msgspec.Meta(ge=0, le=repairs.MAX_MINUTES, description="Temps passé")]
    parts: Annotated[list[UsedPartIn], msgspec.Meta(max_length=50)] = []
    finished: bool = False  # the device goes back to its functional test


class UsedPartOut(msgspec.Struct):
    part_id: int
    description: str
    origin: str
    quantity: int


class RepairOut(msgspec.Struct):
    id: int
    at: datetime
    actor: str
    actions: str
    minutes: int
    parts: list[UsedPartOut]

    @classmethod
    def of(cls, view: repairs.RepairView) -> RepairOut:
        return out_of(cls, view.repair, parts=[out_of(UsedPartOut, p, part_id=p.id, quantity=n) for p, n in view.parts])


class RepairController(Controller):
    path = "/api/v1"
    tags = ["workshop"]

    @get(
        "/devices/{code:str}/repairs",
        opt=permission(Permission.DEVICES_READ),
        responses=problem_responses(404, 422),
        summary="Réparations d'un appareil",
    )
    async def list_repairs(
        self, request: Request[Any, Any, Any], db_session: DbSession, code: Code, limit: Limit = 50, offset: Offset = 0
    ) -> OffsetPagination[RepairOut]:
        device = await devices.get_by_code(db_session, code, scope_of(request))
        return page_of(await repairs.repairs_page(db_session, device.id, LimitOffset(limit, offset)), RepairOut.of)

    @post(
        "/devices/{code:str}/repairs",
        opt=permission(Permission.WORKSHOP_WRITE),
        responses=problem_responses(404, 409, 422),
        summary="Enregistrer une réparation (actions, pièces prises au stock, temps)",
        description="L'appareil doit être « en réparation ». `finished` le renvoie au test fonctionnel dans la même "
        "transaction. Une pièce épuisée (même prise au même moment par un autre) : 409.",
    )
    async def record_repair(
        self, request: Request[Any, Any, Any], db_session: DbSession, code: Code, data: JSONBody[RepairIn]
    ) -> RepairOut:
        repair = await repairs.record_repair(
            db_session,
            code,
            data.actions,
            data.minutes,
            [repairs.UsedPart(p.part_id, p.quantity) for p in data.parts],
            actor_of(request),
            finished=data.finished,
            scope=scope_of(request),
        )
        (view,) = [v for v in await repairs.repairs_of(db_session, repair.device_id) if v.repair.id == repair.id]
        return RepairOut.of(view)


Grade = Annotated[str, msgspec.Meta(min_length=1, max_length=1, description="A, B ou C")]
Euros = Annotated[str, msgspec.Meta(max_length=20, description="En euros, par exemple 95 ou 95,50")]
Cents = Annotated[int, msgspec.Meta(ge=0, le=10_000_000)]


class GradeIn(msgspec.Struct, forbid_unknown_fields=True):
    grade: Grade
    price: Euros | None = None  # without a price, the site's grid price for the category and grade
    price_cents: Cents | None = None
    cosmetic_notes: Annotated[str, msgspec.Meta(max_length=2000)] = ""
    expected_version: Version | None = None
    note: Annotated[str, msgspec.Meta(max_length=2000)] = ""


class PutOnSaleIn(msgspec.Struct, forbid_unknown_fields=True):
    price: Euros | None = None  # without a price, the one set at grading
    price_cents: Cents | None = None
    expected_version: Version | None = None
    note: Annotated[str, msgspec.Meta(max_length=2000)] = ""


def _step_data(data: GradeIn | PutOnSaleIn) -> dict[str, Any]:
    """What the step's event keeps: the fields given, without the version and note (kept apart)."""
    return {
        k: v
        for k, v in msgspec.structs.asdict(data).items()
        if v not in (None, "") and k not in ("expected_version", "note")
    }


async def _take_step(
    request: Request[Any, Any, Any], session: DbSession, code: str, action: Action, data: GradeIn | PutOnSaleIn
) -> DeviceOut:
    device = await grading.take_step(
        session,
        code,
        action,
        _step_data(data),
        actor_of(request),
        expected_version=data.expected_version,
        note=data.note,
        scope=scope_of(request),
    )
    return DeviceOut.of(device)


class GradingController(Controller):
    path = "/api/v1/devices/{code:str}"
    tags = ["workshop"]

    @post(
        "/grade",
        status_code=200,
        opt=permission(Permission.DEVICES_MOVE),
        responses=problem_responses(404, 409, 422),
        summary="Classer un appareil testé et effacé (grade A, B ou C, et son prix)",
        description="Sans prix, celui de la grille du site pour la catégorie et le grade. Un prix au-dessus du "
        "plafond légal (décret n° 2022-1413, appareils donnés par une personne publique) est refusé.",
    )
    async def grade(
        self, request: Request[Any, Any, Any], db_session: DbSession, code: Code, data: JSONBody[GradeIn]
    ) -> DeviceOut:
        return await _take_step(request, db_session, code, Action.GRADE, data)

    @post(
        "/put-on-sale",
        status_code=200,
        opt=permission(Permission.DEVICES_MOVE),
        responses=problem_responses(404, 409, 422),
        summary="Mettre en vente un appareil classé (contrôle avant vente : tests, effacement, prix)",
        description="Refusé (409, `not-ready-for-sale`) avec la liste de ce qui manque : test fonctionnel réussi, "
        "chaque support effacé (art. R.122-4 du Code de la consommation), un prix dans le plafond légal.",
    )
    async def put_on_sale(
        self, request: Request[Any, Any, Any], db_session: DbSession, code: Code, data: JSONBody[PutOnSaleIn]
    ) -> DeviceOut:
        return await _take_step(request, db_session, code, Action.PUT_ON_SALE, data)


# What this domain adds to the application (API); reemploi.app assembles every domain's.
OsFamily = Literal["linux", "windows", "chromeos", "android", "ios", "other"]
LicenceKind = Literal["free", "coa", "refurbisher", "none"]


class SystemIn(msgspec.Struct, forbid_unknown_fields=True):
    family: OsFamily
    name: Annotated[str, msgspec.Meta(min_length=1, max_length=120, examples=["Linux Mint 22.1"])]
    licence: LicenceKind
    licence_key: Annotated[str, msgspec.Meta(max_length=40, description="Clé de reconditionneur")] = ""
    note: Annotated[str, msgspec.Meta(max_length=2000)] = ""


class SystemOut(msgspec.Struct):
    id: int
    installed_at: datetime
    family: str
    name: str
    licence: str
    licence_key: str | None
    note: str
    actor: str

    @classmethod
    def of(cls, s: InstalledSystem, *, with_key: bool = True) -> SystemOut:
        return msgspec.structs.replace(out_of(cls, s), licence_key=systems.shown_key(s, with_key))


class SystemController(Controller):
    """The operating system installed on a device and its licence; the refurbisher keys used."""

    path = "/api/v1"
    tags = ["workshop"]

    @get(
        "/devices/{code:str}/systems",
        opt=permission(Permission.DEVICES_READ),
        responses=problem_responses(404, 422),
        summary="Systèmes installés sur un appareil (le dernier est le sien)",
    )
    async def list_systems(
        self, request: Request[Any, Any, Any], db_session: DbSession, code: Code, limit: Limit = 50, offset: Offset = 0
    ) -> OffsetPagination[SystemOut]:
        device = await devices.get_by_code(db_session, code, scope_of(request))
        with_key = allows(request.user.role, Permission.WORKSHOP_WRITE)  # the others see its last group only
        found = await systems.history_page(db_session, device, LimitOffset(limit, offset))
        return page_of(found, lambda s: SystemOut.of(s, with_key=with_key))

    @post(
        "/devices/{code:str}/systems",
        opt=permission(Permission.WORKSHOP_WRITE),
        status_code=201,
        responses=problem_responses(404, 409, 422),
        summary="Enregistrer le système installé et sa licence",
        description="Windows : licence d'origine (coa), clé de reconditionneur (refurbisher, avec `licence_key`) "
        "ou sans licence ; les autres : logiciel libre (free) ou sans licence. La même installation renvoyée "
        "n'enregistre rien de plus ; une clé déjà sur un autre appareil : 409 licence-key-already-used.",
    )
    async def record_system(
        self, request: Request[Any, Any, Any], db_session: DbSession, code: Code, data: JSONBody[SystemIn]
    ) -> SystemOut:
        new = systems.NewSystem(data.family, data.name, data.licence, data.licence_key, data.note)
        return SystemOut.of(await systems.record(db_session, code, new, actor_of(request), scope_of(request)))

    @get(
        "/workshop/refurbisher-keys.csv",
        opt=permission(Permission.WORKSHOP_REPORTS),
        media_type="text/csv",
        responses={**problem_responses(422), 200: ResponseSpec(bytes, media_type="text/csv", description="Le CSV")},
        summary="Clés de reconditionneur utilisées sur une période (CSV)",
        description="Une ligne par clé : date d'installation, appareil, n° de série, catégorie, système, clé, par qui. "
        "L'année civile en cours par défaut.",
    )
    async def refurbisher_keys(
        self, request: Request[Any, Any, Any], db_session: DbSession, start: From = None, end: To = None
    ) -> Response[bytes]:
        timezone = settings_of(request).timezone
        first, last = checked_period(start, end, datetime.now(ZoneInfo(timezone)).date())
        body = await systems.refurbisher_keys_csv(db_session, first, last, timezone)
        filename = f"cles-reconditionneur-{first.isoformat()}-{last.isoformat()}.csv"
        return Response(
            body, media_type="text/csv", headers={"Content-Disposition": f'attachment; filename="{filename}"'}
        )


ROUTES = [
    WorkshopController,
    WorkbenchController,
    GradingController,
    RepairController,
    PriceGridController,
    SystemController,
]
