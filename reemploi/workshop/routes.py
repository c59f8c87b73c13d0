"""Workshop API: hardware reports of a device (upload, list, the original file)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.enums import RequestEncodingType
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import Body

from reemploi.accounts.auth import permission
from reemploi.accounts.roles import Permission
from reemploi.devices.routes import Code
from reemploi.errors import problem_responses
from reemploi.web import DbSession, PathId, actor_of, scope_of
from reemploi.workshop import service
from reemploi.workshop.models import HardwareReport


class ReportUpload(msgspec.Struct):
    files: Annotated[list[UploadFile], msgspec.Meta(min_length=1, max_length=service.MAX_REPORTS_PER_UPLOAD)]


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
        return cls(r.id, r.kind, r.filename, r.size, r.sha256, r.uploaded_at, r.actor, r.serial_mismatch, r.extracted)


async def uploads_of(files: list[Any]) -> list[service.Upload]:
    """The files sent; a file input left empty (a text part, "") is no file."""
    return [service.Upload(f.filename or "rapport", await f.read()) for f in files if isinstance(f, UploadFile)]


class WorkshopController(Controller):
    path = "/api/v1/devices/{code:str}"
    tags = ["workshop"]

    @post(
        "/reports", opt=permission(Permission.WORKSHOP_WRITE), responses=problem_responses(404, 413, 422),
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
        self, request: Request[Any, Any, Any], db_session: DbSession, code: Code,
        data: Annotated[ReportUpload, Body(media_type=RequestEncodingType.MULTI_PART)],
    ) -> list[ReportOut]:
        uploads = await uploads_of(data.files)
        stored = await service.attach(db_session, code, uploads, actor_of(request), scope_of(request))
        return [ReportOut.of(r) for r in stored]

    @get("/reports", opt=permission(Permission.DEVICES_READ), responses=problem_responses(404, 422),
         summary="Rapports matériel d'un appareil")
    async def list_reports(self, request: Request[Any, Any, Any], db_session: DbSession, code: Code) -> list[ReportOut]:
        _, reports = await service.reports_of(db_session, code, scope_of(request))
        return [ReportOut.of(r) for r in reports]

    @get(
        "/reports/{report_id:int}/raw", opt=permission(Permission.DEVICES_READ), media_type="text/plain",
        responses={200: ResponseSpec(data_container=bytes, media_type="text/plain", description="Le fichier tel que reçu"),
                   **problem_responses(404, 422)},
        summary="Le fichier d'un rapport, tel que reçu",
    )
    async def raw(
        self, request: Request[Any, Any, Any], db_session: DbSession, code: Code, report_id: PathId
    ) -> Response[bytes]:
        report = await service.raw_report(db_session, code, report_id, scope_of(request))
        media = "application/json" if report.kind.endswith("json") else "text/plain; charset=utf-8"
        return Response(report.content, media_type=media,
                        headers={"Content-Disposition": f'inline; filename="{report.filename}"'})
