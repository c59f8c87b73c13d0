"""The reports' page: a collectivity lands on its own, year by year, with its downloads; a manager picks
any partner. Each figure links to the devices behind it."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from litestar import Controller, Request, get
from litestar.params import QueryParameter
from litestar.response import Template

from reemploi.accounts.auth import permission
from reemploi.accounts.roles import Permission, allows
from reemploi.partners import service as partners
from reemploi.reports import collectivity, views
from reemploi.web import DbSession, page, scope_of, settings_of

FIRST_YEAR = 2020


class ReportPages(Controller):
    include_in_schema = False

    @get("/reports", opt=permission(Permission.PARTNERS_READ))
    async def reports(
        self,
        request: Request[Any, Any, Any],
        db_session: DbSession,
        partner_id: Annotated[int | None, QueryParameter(ge=0, le=2**31 - 1)] = None,
        year: Annotated[int | None, QueryParameter(ge=FIRST_YEAR, le=2100)] = None,
    ) -> Template:
        scope = scope_of(request)
        timezone = settings_of(request).timezone
        this_year = datetime.now(ZoneInfo(timezone)).year
        year = year or this_year
        whole = allows(request.user.role, Permission.WORKSHOP_REPORTS)
        chosen = scope.donor_filter(partner_id or None)
        listed, _ = await partners.list_partners(db_session, None, 500, 0, scope)
        period = collectivity.Period(date(year, 1, 1), date(year, 12, 31), timezone)
        report = None
        if (whole and partner_id == 0) or (whole and chosen is None):  # the whole workshop: every donor
            chosen, report = 0, await collectivity.workshop_report(db_session, period)
        else:
            if chosen is None and listed:
                chosen = listed[0].id
            if chosen is not None:
                report = await collectivity.report(db_session, chosen, period, scope)
        return page(
            request,
            "report.html",
            report=report,
            charts=views.charts(report) if report else {},
            link=lambda **f: views.devices_link(report, **f) if report else "",
            partners=listed,
            chosen=chosen,
            whole=whole,
            year=year,
            years=list(range(this_year, FIRST_YEAR - 1, -1)),
        )


# What this domain adds to the application (pages); reemploi.app assembles every domain's.
ROUTES = [ReportPages]
