"""The reception desk: scan the devices, find the person, take the payment, print the receipt — in a
few keystrokes, without JavaScript. The page's state (site, basket, person) travels in its address,
so every step is a plain GET and the sale one POST."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, Any
from urllib.parse import urlencode

from litestar import Controller, Request, get, post
from litestar.datastructures import FormMultiDict
from litestar.params import QueryParameter
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from reemploi import texts
from reemploi.accounts.auth import permission
from reemploi.accounts.roles import Permission
from reemploi.devices import service as devices
from reemploi.devices.lifecycle import FOR_SALE, State
from reemploi.devices.models import Device
from reemploi.errors import DomainError, Invalid
from reemploi.sales import beneficiaries, returns, service, till
from reemploi.sales import rules as sale_rules
from reemploi.sales.models import Beneficiary
from reemploi.sites import service as sites
from reemploi.web import DbSession, PathId, actor_of, form_cents, form_day, page, settings_of

Text = Annotated[str, QueryParameter(max_length=2000)]


@dataclass
class Desk:
    """What the desk is doing: which site, which devices in the basket, which person."""

    site_id: int | None = None
    codes: list[str] = field(default_factory=list)
    beneficiary_id: int | None = None

    def query(self, **change: Any) -> str:
        values = {
            "site_id": self.site_id,
            "codes": ",".join(self.codes),
            "beneficiary_id": self.beneficiary_id,
            **change,
        }
        return "/reception?" + urlencode({k: v for k, v in values.items() if v not in (None, "")})


def _ids(text: str) -> int | None:
    return int(text) if text.isascii() and text.isdecimal() and len(text) < 10 else None


async def _desk_page(
    session: AsyncSession, request: Request[Any, Any, Any], desk: Desk, status: int = 200, **context: Any
) -> Template:
    all_sites = await sites.list_all(session)
    if desk.site_id is None and all_sites:
        desk.site_id = all_sites[0].id
    basket: list[Device] = []
    for code in desk.codes:
        try:
            basket.append(await devices.get_by_code(session, code))
        except DomainError:
            continue
    person: Beneficiary | None = None
    if desk.beneficiary_id:
        try:
            person = await beneficiaries.get(session, desk.beneficiary_id)
        except DomainError:
            desk.beneficiary_id = None
    open_till = await till.open_till_of(session, desk.site_id) if desk.site_id else None
    expected = await till.expected(session, open_till) if open_till else None
    past = await till.recent(session, desk.site_id) if desk.site_id else []
    return page(
        request,
        "reception.html",
        status,
        desk=desk,
        sites=all_sites,
        basket=basket,
        person=person,
        past=past,
        total=sum(d.price_cents or 0 for d in basket),
        open_till=open_till,
        expected=expected,
        methods=texts.PAYMENT_METHODS,
        **context,
    )


def _desk_of(form: FormMultiDict) -> Desk:
    codes = [c for c in str(form.get("codes", "")).split(",") if c.strip()]
    return Desk(_ids(str(form.get("site_id", ""))), codes, _ids(str(form.get("beneficiary_id", ""))))


class ReceptionPages(Controller):
    include_in_schema = False

    @get("/reception", opt=permission(Permission.SALES))
    async def desk(
        self,
        request: Request[Any, Any, Any],
        db_session: DbSession,
        site_id: Text = "",
        codes: Text = "",
        beneficiary_id: Text = "",
        add: Text = "",
        remove: Text = "",
        q: Text = "",
    ) -> Template:
        desk = Desk(_ids(site_id), [c for c in codes.split(",") if c.strip()][:50], _ids(beneficiary_id))
        error = ""
        if add.strip():
            try:
                device = await devices.find_scanned(db_session, add.strip()[:100])
                if State(device.state) not in FOR_SALE:
                    error = texts.not_for_sale(device.code, device.state)
                elif device.code not in desk.codes:
                    desk.codes.append(device.code)
            except DomainError as refused:
                error = refused.detail
        if remove:
            desk.codes = [c for c in desk.codes if c != remove]
        found: list[Beneficiary] | None = None
        if q.strip():
            found = await beneficiaries.search(db_session, q[:100])
            if len(found) == 1:  # one match: chosen, the cursor goes on to the payment
                desk.beneficiary_id, found = found[0].id, None
        return await _desk_page(db_session, request, desk, error=error, found=found, q=q)

    @post("/reception/sale", opt=permission(Permission.SALES), status_code=200)
    async def sell(self, request: Request[Any, Any, Any], db_session: DbSession) -> Any:
        form = await request.form()
        desk = _desk_of(form)
        try:
            donation = form.get("donation") == "true"
            payments = []
            if not donation:
                for n in ("", "2"):
                    amount = str(form.get(f"amount{n}", "")).strip()
                    if amount:
                        payments.append(
                            sale_rules.Payment(
                                str(form.get(f"method{n}", "")),
                                form_cents(amount),
                                str(form.get(f"reference{n}", ""))[:100],
                            )
                        )
            sale = await service.sell(
                db_session,
                service.NewSale(
                    site_id=desk.site_id or 0,
                    beneficiary_id=desk.beneficiary_id or 0,
                    codes=desk.codes,
                    payments=payments,
                    donation=donation,
                    quota_override=str(form.get("quota_override", ""))[:2000],
                ),
                actor_of(request),
                settings_of(request).timezone,
            )
        except DomainError as refused:
            return await _desk_page(
                db_session, request, desk, refused.status_code, error=refused.detail, typed=dict(form.items())
            )
        return Redirect(f"/reception/sales/{sale.id}", status_code=303)

    @get("/reception/sales/{sale_id:int}", opt=permission(Permission.SALES))
    async def sale_done(self, request: Request[Any, Any, Any], db_session: DbSession, sale_id: PathId) -> Template:
        sale = await service.get(db_session, sale_id)
        return page(request, "sale_done.html", sale=sale, next=Desk(sale.site_id).query())

    @post("/reception/till", opt=permission(Permission.SALES), status_code=200)
    async def till_action(self, request: Request[Any, Any, Any], db_session: DbSession) -> Any:
        """Open the till, put cash in or out, or close it: `do` says which."""
        form = await request.form()
        desk = _desk_of(form)
        try:
            action = str(form.get("do", ""))
            actor = actor_of(request)
            if action == "open":
                await till.open_till(db_session, desk.site_id or 0, form_cents(str(form.get("float", ""))), actor)
            else:
                session_id = _ids(str(form.get("till_id", ""))) or 0
                if action == "move":
                    await till.move_cash(
                        db_session,
                        session_id,
                        str(form.get("direction", "")),
                        form_cents(str(form.get("amount", ""))),
                        str(form.get("reason", "")),
                        actor,
                    )
                elif action == "close":
                    counted = {m: form_cents(str(form.get(f"counted_{m}", "") or "0")) for m in texts.PAYMENT_METHODS}
                    closed = await till.close_till(db_session, session_id, counted, actor)
                    return await _desk_page(db_session, request, desk, closed=closed)
                else:
                    raise Invalid(texts.unknown_step(action))
        except DomainError as refused:
            return await _desk_page(db_session, request, desk, refused.status_code, error=refused.detail)
        return Redirect(desk.query(), status_code=303)

    @get("/reception/returns", opt=permission(Permission.SALES))
    async def returns_page(
        self, request: Request[Any, Any, Any], db_session: DbSession, receipt: Text = ""
    ) -> Template:
        sale, error, status = None, "", 200
        if receipt.strip():
            try:
                sale = await service.by_receipt(db_session, receipt)
            except DomainError as refused:
                error, status = refused.detail, refused.status_code
        return page(
            request, "returns.html", status, sale=sale, receipt=receipt, error=error, methods=texts.PAYMENT_METHODS
        )

    @post("/reception/returns", opt=permission(Permission.SALES), status_code=200)
    async def record_return(self, request: Request[Any, Any, Any], db_session: DbSession) -> Template:
        form = await request.form()
        receipt = str(form.get("receipt", ""))
        sale = None
        try:
            sale = await service.by_receipt(db_session, receipt)
            outcome = str(form.get("outcome", ""))
            amount = str(form.get("amount", "")).strip()
            refunds = (
                [sale_rules.Payment(str(form.get("method", "")), form_cents(amount))]
                if outcome == "refund" and amount
                else []
            )
            record = await returns.return_under_warranty(
                db_session,
                sale.id,
                [str(c) for c in form.getall("codes", [])],
                outcome,
                refunds,
                str(form.get("reason", "")),
                actor_of(request),
                settings_of(request).timezone,
            )
        except DomainError as refused:
            return page(
                request,
                "returns.html",
                refused.status_code,
                sale=sale,
                receipt=receipt,
                error=refused.detail,
                methods=texts.PAYMENT_METHODS,
            )
        return page(request, "returns.html", sale=None, receipt="", done=record, methods=texts.PAYMENT_METHODS)

    @get("/reception/beneficiaries/new", opt=permission(Permission.BENEFICIARIES))
    async def new_beneficiary(self, request: Request[Any, Any, Any], site_id: Text = "", codes: Text = "") -> Template:
        return page(
            request,
            "beneficiary_new.html",
            desk=Desk(_ids(site_id), [c for c in codes.split(",") if c]),
            typed={},
            reasons=texts.ELIGIBILITY_REASONS,
            bands=texts.AGE_BANDS,
        )

    @post("/reception/beneficiaries/new", opt=permission(Permission.BENEFICIARIES), status_code=200)
    async def create_beneficiary(self, request: Request[Any, Any, Any], db_session: DbSession) -> Any:
        form = await request.form()
        desk = _desk_of(form)
        try:
            created = await beneficiaries.create(
                db_session,
                beneficiaries.NewBeneficiary(
                    name=str(form.get("name", "")),
                    eligibility_reason=str(form.get("eligibility_reason", "")),
                    eligibility_verified_by=str(form.get("eligibility_verified_by", "")),
                    eligible_until=form_day(str(form.get("eligible_until", ""))),
                    contact=str(form.get("contact", "")),
                    commune_insee=str(form.get("commune_insee", "")),
                    age_band=str(form.get("age_band", "")),
                    referrer=str(form.get("referrer", "")),
                    referred_on=form_day(str(form.get("referred_on", ""))),
                ),
            )
        except DomainError as refused:
            return page(
                request,
                "beneficiary_new.html",
                refused.status_code,
                desk=desk,
                typed=dict(form.items()),
                error=refused.detail,
                reasons=texts.ELIGIBILITY_REASONS,
                bands=texts.AGE_BANDS,
            )
        desk.beneficiary_id = created.beneficiary.id
        if created.likely_duplicates:
            return await _desk_page(db_session, request, desk, error=texts.likely_duplicates(created.likely_duplicates))
        return Redirect(desk.query(), status_code=303)


# What this domain adds to the application (pages); reemploi.app assembles every domain's.
ROUTES = [ReceptionPages]
