"""Documents the workshop hands out: erasure certificates and attestations de prise en charge as PDF,
their public check, and a donor's proof list (REEN) as JSON or French CSV."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any
from zoneinfo import ZoneInfo

import msgspec
from litestar import Controller, Request, Response, get
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import PathParameter, QueryParameter
from litestar.response import Template

from reemploi.accounts.auth import PUBLIC_ROUTE, permission
from reemploi.accounts.roles import Permission
from reemploi.certificates import service as certificates
from reemploi.certificates.models import Certificate
from reemploi.devices.schemas import Code
from reemploi.errors import problem_responses
from reemploi.partners import proof
from reemploi.spreadsheets import french_csv
from reemploi.texts import PROOF_COLUMNS
from reemploi.web import DbSession, PathId, actor_of, scope_of, settings_of
from reemploi.web.forms import form_page

PDF = {200: ResponseSpec(data_container=bytes, media_type="application/pdf", description="Le PDF")}
CertificateCode = Annotated[
    str, PathParameter(max_length=60, description="Code imprimé, ex. EFF-7K3M-9QXT-2HJD-4PZA-X")
]


class CertificateCheck(msgspec.Struct):
    code: str
    intact: bool  # False: the facts kept since issue no longer match their hash
    kind: str
    issued_at: datetime
    content: dict[str, Any]  # what the certificate certifies, nothing personal (certificates.public_facts)


class ProofOut(msgspec.Struct):
    partner_id: int
    partner: str
    start: date
    end: date
    devices: list[proof.ProofRow]


async def _proof(
    request: Request[Any, Any, Any],
    session: DbSession,
    partner_id: int,
    start: date | None,
    end: date | None,
) -> proof.ProofList:
    settings = settings_of(request)
    first, last = proof.period(start, end, datetime.now(ZoneInfo(settings.timezone)).date())
    return await proof.proof_list(session, partner_id, first, last, scope_of(request), settings.timezone)


async def _pdf(request: Request[Any, Any, Any], certificate: Certificate, name: str) -> Response[bytes]:
    settings = settings_of(request)
    pdf = await certificates.render_pdf_async(certificate, settings.public_url, settings.timezone)
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{name}-{certificate.code}.pdf"'},
    )


class CertificateController(Controller):
    path = "/api/v1"
    tags = ["documents"]

    @get(
        "/devices/{code:str}/erasure-certificate",
        opt=permission(Permission.DEVICES_READ),
        media_type="application/pdf",
        responses={**PDF, **problem_responses(404, 422)},
        summary="Certificat d'effacement d'un appareil (PDF)",
        description="Émis une fois pour un même état des effacements : redemandé, c'est le même (même code).",
    )
    async def device_certificate(
        self, request: Request[Any, Any, Any], db_session: DbSession, code: Code
    ) -> Response[bytes]:
        issued = await certificates.for_device(db_session, code, actor_of(request), scope_of(request))
        return await _pdf(request, issued, f"certificat-effacement-{code}")

    @get(
        "/collections/{collection_id:int}/erasure-certificate",
        opt=permission(Permission.COLLECTIONS_READ),
        media_type="application/pdf",
        responses={**PDF, **problem_responses(404, 422)},
        summary="Certificat d'effacement d'une collecte (PDF)",
    )
    async def collection_certificate(
        self, request: Request[Any, Any, Any], db_session: DbSession, collection_id: PathId
    ) -> Response[bytes]:
        issued = await certificates.for_collection(db_session, collection_id, actor_of(request), scope_of(request))
        return await _pdf(request, issued, f"certificat-effacement-collecte-{collection_id}")

    @get(
        "/collections/{collection_id:int}/attestation",
        opt=permission(Permission.COLLECTIONS_READ),
        media_type="application/pdf",
        responses={**PDF, **problem_responses(404, 422)},
        summary="Attestation de prise en charge d'une collecte (PDF)",
        description="La liste des appareils et les engagements de l'atelier (réemploi, décret n° 2023-266 ; "
        "effacement des données), avec un code vérifiable. Redemandée sans changement, c'est la même.",
    )
    async def attestation(
        self, request: Request[Any, Any, Any], db_session: DbSession, collection_id: PathId
    ) -> Response[bytes]:
        issued = await certificates.attestation(db_session, collection_id, actor_of(request), scope_of(request))
        return await _pdf(request, issued, f"attestation-prise-en-charge-{collection_id}")

    @get(
        "/partners/{partner_id:int}/proof",
        opt=permission(Permission.PARTNERS_READ),
        responses=problem_responses(404, 422),
        summary="Preuve de devenir (REEN) : chaque n° de série donné sur la période, son devenir et sa date",
        description="Période : l'année civile en cours par défaut ; `from` et `to` inclus, sur la date de collecte. "
        "La même liste en CSV pour tableur : `/proof.csv`.",
    )
    async def proof(
        self,
        request: Request[Any, Any, Any],
        db_session: DbSession,
        partner_id: PathId,
        start: Annotated[date | None, QueryParameter(name="from")] = None,
        end: Annotated[date | None, QueryParameter(name="to")] = None,
    ) -> ProofOut:
        found = await _proof(request, db_session, partner_id, start, end)
        return ProofOut(partner_id, found.donor.name, found.start, found.end, found.rows)

    @get(
        "/partners/{partner_id:int}/proof.csv",
        opt=permission(Permission.PARTNERS_READ),
        media_type="text/csv",
        responses={
            200: ResponseSpec(data_container=bytes, media_type="text/csv", description="Le CSV"),
            **problem_responses(404, 422),
        },
        summary="Preuve de devenir (REEN), en CSV pour tableur (UTF-8 avec BOM, `;`, virgule décimale)",
    )
    async def proof_csv(
        self,
        request: Request[Any, Any, Any],
        db_session: DbSession,
        partner_id: PathId,
        start: Annotated[date | None, QueryParameter(name="from")] = None,
        end: Annotated[date | None, QueryParameter(name="to")] = None,
    ) -> Response[bytes]:
        found = await _proof(request, db_session, partner_id, start, end)
        body = french_csv(list(PROOF_COLUMNS.values()), (row.values() for row in found.rows))
        name = f"preuve-devenir-{partner_id}-{found.start.isoformat()}-{found.end.isoformat()}.csv"
        return Response(body, media_type="text/csv", headers={"Content-Disposition": f'attachment; filename="{name}"'})

    @get(
        "/certificates/{certificate_code:str}",
        opt=PUBLIC_ROUTE,
        responses=problem_responses(404, 422, public=True),
        summary="Vérifier un certificat (public)",
    )
    async def check(self, db_session: DbSession, certificate_code: CertificateCode) -> CertificateCheck:
        checked = await certificates.verify(db_session, certificate_code)
        c = checked.certificate
        return CertificateCheck(c.code, checked.intact, c.kind, c.issued_at, certificates.public_facts(c.content))


class VerifyPage(Controller):
    include_in_schema = False

    @get("/verifier", opt=PUBLIC_ROUTE)
    async def verify_page(
        self, db_session: DbSession, code: Annotated[str, QueryParameter(max_length=60)] = ""
    ) -> Template:
        def shown(checked: Any = None, message: str = "") -> Template:
            facts = certificates.public_facts(checked.certificate.content) if checked else None
            context = {"code": code, "checked": checked, "facts": facts, "message": message}
            return Template("verify.html", context=context)

        async def work() -> Template:
            return shown(await certificates.verify(db_session, code) if code.strip() else None)

        return await form_page(work, shown, say="message")


# What this domain adds to the application (API and public check page); reemploi.app assembles every domain's.
ROUTES = [CertificateController, VerifyPage]
