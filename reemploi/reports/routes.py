"""Reports API: a partner's report (JSON), its tables as French CSV, its data.gouv.fr rows (AGEC art. 58)."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from litestar import Controller, Request, Response, get
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import PathParameter

from reemploi import rules, texts
from reemploi.accounts.auth import permission
from reemploi.accounts.roles import Permission
from reemploi.documents import render_document_async
from reemploi.errors import Invalid, problem_responses
from reemploi.partners.proof import period as checked_period
from reemploi.reports import collectivity, views
from reemploi.sites import service as sites
from reemploi.spreadsheets import french_csv
from reemploi.web import DbSession, From, PathId, QueryId, To, scope_of, settings_of

CSV = {200: ResponseSpec(data_container=bytes, media_type="text/csv", description="Le CSV")}
TABLES = ("given", "outcomes", "purchases", "residents")


async def _report(
    request: Request[Any, Any, Any], session: DbSession, partner_id: int, start: date | None, end: date | None
) -> dict[str, Any]:
    timezone = settings_of(request).timezone
    first, last = checked_period(start, end, datetime.now(ZoneInfo(timezone)).date())
    return await collectivity.report(session, partner_id, collectivity.Period(first, last, timezone), scope_of(request))


async def _workshop_name(session: DbSession) -> str:
    """Who signs the report: the workshop's legal name if a site has one, else its sites' names."""
    from sqlalchemy import select

    from reemploi.sales.models import SaleSettings
    from reemploi.sites.models import Site

    legal = (
        await session.execute(select(SaleSettings.legal_name).where(SaleSettings.legal_name != "").limit(1))
    ).scalar()
    if legal:
        return str(legal)
    return " · ".join((await session.execute(select(Site.name).order_by(Site.id))).scalars())


def table_rows(report: dict[str, Any], table: str) -> tuple[list[str], list[list[Any]]]:
    """One table of the report, as a spreadsheet gets it: a header and rows, in French."""
    t = texts.REPORT_COLUMNS
    if table == "given":
        return (
            [
                t["category"],
                t["deee"],
                t["devices"],
                t["weighed_devices"],
                t["weighed_kg"],
                t["estimated_devices"],
                t["estimated_kg"],
            ],
            [
                [
                    texts.CATEGORIES.get(r["category"], r["category"]),
                    r["deee"],
                    r["devices"],
                    r["weighed_devices"],
                    r["weighed_kg"],
                    r["estimated_devices"],
                    r["estimated_kg"],
                ]
                for r in report["given"]["by_category"]
            ],
        )
    if table == "outcomes":
        return (
            [t["outcome"], t["devices"]],
            [[texts.OUTCOMES.get(r["outcome"], r["outcome"]), r["devices"]] for r in report["outcomes"]["by_outcome"]],
        )
    if table == "purchases":
        return (
            [t["product_type"], t["devices"], t["ht_euros"]],
            [
                [r["type_produit_acquis"], r["devices"], r["ht_cents"] / 100]
                for r in report["purchases"]["by_product_type"]
            ],
        )
    residents = report["residents"]
    return (
        [t["breakdown"], t["value"], t["devices"]],
        [[t["category"], texts.tallied(texts.CATEGORIES, r["key"]), r["devices"]] for r in residents["by_category"]]
        + [[t["age_band"], texts.tallied(texts.AGE_BANDS, r["key"]), r["devices"]] for r in residents["by_age_band"]]
        + [
            [t["eligibility"], texts.tallied(texts.ELIGIBILITY_REASONS, r["key"]), r["devices"]]
            for r in residents["by_eligibility"]
        ],
    )


async def _workshop_report(
    request: Request[Any, Any, Any], session: DbSession, start: date | None, end: date | None, site_id: int | None
) -> dict[str, Any]:
    timezone = settings_of(request).timezone
    first, last = checked_period(start, end, datetime.now(ZoneInfo(timezone)).date())
    if site_id is not None:
        await sites.get(session, site_id)
    return await collectivity.workshop_report(session, collectivity.Period(first, last, timezone), site_id)


async def _pdf(session: DbSession, report: dict[str, Any], name: str) -> Response[bytes]:
    pdf = await render_document_async(
        "bilan.html",
        report=report,
        charts=views.charts(report),
        workshop=await _workshop_name(session),
        timezone=report["period"]["timezone"],
    )
    filename = f"{name}-{report['period']['from']}-{report['period']['to']}.pdf"
    return Response(
        pdf, media_type="application/pdf", headers={"Content-Disposition": f'inline; filename="{filename}"'}
    )


def _table_csv(report: dict[str, Any], table: str, name: str) -> Response[bytes]:
    table = table.removesuffix(".csv")
    if table not in TABLES:
        raise Invalid(texts.unknown_choice(texts.REPORT["table"], table, TABLES))
    header, rows = table_rows(report, table)
    filename = f"{name}-{table}-{report['period']['from']}-{report['period']['to']}.csv"
    return Response(
        french_csv(header, rows),
        media_type="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


class WorkshopReportController(Controller):
    path = "/api/v1/reports/workshop"
    tags = ["reports"]

    @get(
        "/",
        opt=permission(Permission.WORKSHOP_REPORTS),
        responses=problem_responses(404, 422),
        summary="Bilan de tout l'atelier (tous les donateurs, acheteurs et habitants), ou d'un site",
    )
    async def workshop(
        self,
        request: Request[Any, Any, Any],
        db_session: DbSession,
        start: From = None,
        end: To = None,
        site_id: QueryId = None,
    ) -> dict[str, Any]:
        return await _workshop_report(request, db_session, start, end, site_id)

    @get(
        "/report.pdf",
        opt=permission(Permission.WORKSHOP_REPORTS),
        media_type="application/pdf",
        responses={
            200: ResponseSpec(data_container=bytes, media_type="application/pdf", description="Le bilan"),
            **problem_responses(404, 422),
        },
        summary="Le bilan de tout l'atelier (ou d'un site) en PDF",
    )
    async def workshop_pdf(
        self,
        request: Request[Any, Any, Any],
        db_session: DbSession,
        start: From = None,
        end: To = None,
        site_id: QueryId = None,
    ) -> Response[bytes]:
        report = await _workshop_report(request, db_session, start, end, site_id)
        return await _pdf(db_session, report, f"bilan-atelier{f'-site-{site_id}' if site_id else ''}")

    @get(
        "/tables/{table:str}",
        opt=permission(Permission.WORKSHOP_REPORTS),
        media_type="text/csv",
        responses={**CSV, **problem_responses(404, 422)},
        summary="Un tableau du bilan de l'atelier en CSV pour tableur",
    )
    async def workshop_table(
        self,
        request: Request[Any, Any, Any],
        db_session: DbSession,
        table: Annotated[str, PathParameter(max_length=20)],
        start: From = None,
        end: To = None,
        site_id: QueryId = None,
    ) -> Response[bytes]:
        report = await _workshop_report(request, db_session, start, end, site_id)
        return _table_csv(report, table, "bilan-atelier")


class ReportController(Controller):
    path = "/api/v1/reports/partners/{partner_id:int}"
    tags = ["reports"]

    @get(
        "/",
        opt=permission(Permission.PARTNERS_READ),
        responses=problem_responses(404, 422),
        summary="Bilan d'un partenaire sur une période (AGEC, REEN, habitants équipés, impact)",
        description="Une collectivité ne lit que le sien. Chiffres calculés par la base, période en heure de Paris.",
    )
    async def get_report(
        self,
        request: Request[Any, Any, Any],
        db_session: DbSession,
        partner_id: PathId,
        start: From = None,
        end: To = None,
    ) -> dict[str, Any]:
        return await _report(request, db_session, partner_id, start, end)

    @get(
        "/tables/{table:str}",
        opt=permission(Permission.PARTNERS_READ),
        media_type="text/csv",
        responses={**CSV, **problem_responses(404, 422)},
        summary="Un tableau du bilan en CSV pour tableur : given.csv, outcomes.csv, purchases.csv, residents.csv",
    )
    async def table_csv(
        self,
        request: Request[Any, Any, Any],
        db_session: DbSession,
        partner_id: PathId,
        table: Annotated[str, PathParameter(max_length=20)],
        start: From = None,
        end: To = None,
    ) -> Response[bytes]:
        report = await _report(request, db_session, partner_id, start, end)
        return _table_csv(report, table, f"bilan-{partner_id}")

    @get(
        "/report.pdf",
        opt=permission(Permission.PARTNERS_READ),
        media_type="application/pdf",
        responses={
            200: ResponseSpec(data_container=bytes, media_type="application/pdf", description="Le bilan"),
            **problem_responses(404, 422),
        },
        summary="Le bilan en PDF (A4, avec l'identité de l'atelier, la période et les sources)",
    )
    async def report_pdf(
        self,
        request: Request[Any, Any, Any],
        db_session: DbSession,
        partner_id: PathId,
        start: From = None,
        end: To = None,
    ) -> Response[bytes]:
        report = await _report(request, db_session, partner_id, start, end)
        return await _pdf(db_session, report, f"bilan-{partner_id}")

    @get(
        "/datagouv.csv",
        opt=permission(Permission.PARTNERS_READ),
        media_type="text/csv",
        responses={**CSV, **problem_responses(404, 422)},
        summary="Lignes à déposer sur data.gouv.fr (AGEC art. 58), aux colonnes du schéma",
    )
    async def datagouv_csv(
        self,
        request: Request[Any, Any, Any],
        db_session: DbSession,
        partner_id: PathId,
        start: From = None,
        end: To = None,
    ) -> Response[bytes]:
        report = await _report(request, db_session, partner_id, start, end)
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=rules.datagouv_columns(), lineterminator="\r\n")
        writer.writeheader()
        writer.writerows(report["purchases"]["datagouv"])
        name = f"declaration-agec-{partner_id}-{report['period']['to'][:4]}.csv"
        return Response(
            out.getvalue().encode(),
            media_type="text/csv",
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )


# What this domain adds to the application (API); reemploi.app assembles every domain's.
ROUTES = [ReportController, WorkshopReportController]
