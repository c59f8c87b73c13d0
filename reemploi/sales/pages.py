"""The reception desk: scan the devices, find the person, take the payment, print the receipt — in a
few keystrokes, without JavaScript. The page's state (site, basket, person) travels in its address,
so every step is a plain GET and the sale one POST."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import Annotated, Any
from urllib.parse import urlencode

from litestar import Controller, Request, get, post
from litestar.datastructures import FormMultiDict
from litestar.params import FromQuery, QueryParameter
from litestar.response import Redirect, Response, Template
from sqlalchemy.ext.asyncio import AsyncSession

from reemploi import rules, texts
from reemploi.accounts.auth import permission
from reemploi.accounts.roles import Permission
from reemploi.db import folded
from reemploi.devices import service as devices
from reemploi.devices.lifecycle import FOR_SALE, State
from reemploi.devices.models import Device
from reemploi.errors import DomainError, Invalid
from reemploi.sales import beneficiaries, returns, service, till
from reemploi.sales import rules as sale_rules
from reemploi.sales.models import Beneficiary, Sale
from reemploi.sites import service as sites
from reemploi.web import DbSession, PathId, actor_of, lists, page, settings_of
from reemploi.web.forms import (
    Cents,
    Checkbox,
    Day,
    Form,
    LongText,
    OptionalNumber,
    Reference,
    ShortText,
    WholeNumber,
    form_page,
    read_form,
    typed_in,
)
from reemploi.web.lists import AskedList

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


class SaleForm(Form):
    """The payment (one or two means), or a donation; the basket and the person are the desk's."""

    donation: Checkbox = False
    method: ShortText = ""
    amount: Cents | None = None
    reference: Reference = ""
    method2: ShortText = ""
    amount2: Cents | None = None
    reference2: Reference = ""
    quota_override: LongText = ""

    def payments(self) -> list[sale_rules.Payment]:
        if self.donation:
            return []
        typed = ((self.method, self.amount, self.reference), (self.method2, self.amount2, self.reference2))
        return [
            sale_rules.Payment(method, amount, reference) for method, amount, reference in typed if amount is not None
        ]


class OpenTillForm(Form):
    float: Cents


class CashMoveForm(Form):
    amount: Cents
    till_id: OptionalNumber = None
    direction: ShortText = ""
    reason: LongText = ""


class CloseTillForm(Form):
    """What was counted in the till, by means of payment (texts.PAYMENT_METHODS); empty is nothing."""

    till_id: OptionalNumber = None
    counted_cash: Cents = Cents(0)
    counted_card: Cents = Cents(0)
    counted_cheque: Cents = Cents(0)
    counted_transfer: Cents = Cents(0)
    counted_voucher: Cents = Cents(0)

    def counted(self) -> dict[str, int]:
        return {method: getattr(self, f"counted_{method}") for method in texts.PAYMENT_METHODS}


class ReturnForm(Form):
    codes: list[str] = []
    outcome: ShortText = ""
    method: ShortText = ""
    amount: Cents | None = None
    reason: LongText = ""


class BeneficiaryForm(Form):
    name: LongText = ""
    eligibility_reason: ShortText = ""
    eligibility_verified_by: LongText = ""
    eligible_until: Day | None = None
    contact: LongText = ""
    commune_insee: ShortText = ""
    age_band: ShortText = ""
    referrer: LongText = ""
    referred_on: Day | None = None


async def _desk_page(session: AsyncSession, request: Request[Any, Any, Any], desk: Desk, **context: Any) -> Template:
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
    async def sell(self, request: Request[Any, Any, Any], db_session: DbSession) -> Redirect | Template:
        typed = await request.form()
        desk = _desk_of(typed)

        async def work() -> Redirect:
            form = await read_form(request, SaleForm)
            sale = await service.sell(
                db_session,
                service.NewSale(
                    site_id=desk.site_id or 0,
                    beneficiary_id=desk.beneficiary_id or 0,
                    codes=desk.codes,
                    payments=form.payments(),
                    donation=form.donation,
                    quota_override=form.quota_override,
                ),
                actor_of(request),
                settings_of(request).timezone,
            )
            return Redirect(f"/reception/sales/{sale.id}", status_code=303)

        return await form_page(work, partial(_desk_page, db_session, request, desk), typed=await typed_in(request))

    @get("/reception/sales/{sale_id:int}", opt=permission(Permission.SALES))
    async def sale_done(self, request: Request[Any, Any, Any], db_session: DbSession, sale_id: PathId) -> Template:
        sale = await service.get(db_session, sale_id)
        return page(request, "sale_done.html", sale=sale, next=Desk(sale.site_id).query())

    @post("/reception/till", opt=permission(Permission.SALES), status_code=200)
    async def till_action(self, request: Request[Any, Any, Any], db_session: DbSession) -> Redirect | Template:
        """Open the till, put cash in or out, or close it: `do` says which."""
        raw = await request.form()
        desk = _desk_of(raw)
        action = str(raw.get("do", ""))

        async def work() -> Redirect | Template:
            actor = actor_of(request)
            if action == "open":
                opening = await read_form(request, OpenTillForm)
                await till.open_till(db_session, desk.site_id or 0, opening.float, actor)
            elif action == "move":
                move = await read_form(request, CashMoveForm)
                await till.move_cash(db_session, move.till_id or 0, move.direction, move.amount, move.reason, actor)
            elif action == "close":
                closing = await read_form(request, CloseTillForm)
                closed = await till.close_till(db_session, closing.till_id or 0, closing.counted(), actor)
                return await _desk_page(db_session, request, desk, closed=closed)
            else:
                raise Invalid(texts.unknown_step(action))
            return Redirect(desk.query(), status_code=303)

        return await form_page(work, partial(_desk_page, db_session, request, desk), till_typed=dict(raw.items()))

    @get("/reception/returns", opt=permission(Permission.SALES))
    async def returns_page(
        self, request: Request[Any, Any, Any], db_session: DbSession, receipt: Text = ""
    ) -> Template:
        async def work() -> Template:
            sale = await service.by_receipt(db_session, receipt) if receipt.strip() else None
            return _returns_page(request, sale=sale, receipt=receipt)

        return await form_page(work, partial(_returns_page, request, sale=None, receipt=receipt))

    @post("/reception/returns", opt=permission(Permission.SALES), status_code=200)
    async def record_return(self, request: Request[Any, Any, Any], db_session: DbSession) -> Template:
        receipt = str((await request.form()).get("receipt", ""))
        sale: Sale | None = None  # once found, the page shows it again with the refusal

        async def work() -> Template:
            nonlocal sale
            sale = await service.by_receipt(db_session, receipt)
            form = await read_form(request, ReturnForm)
            refunds = (
                [sale_rules.Payment(form.method, form.amount)]
                if form.outcome == "refund" and form.amount is not None
                else []
            )
            record = await returns.return_under_warranty(
                db_session,
                sale.id,
                form.codes,
                form.outcome,
                refunds,
                form.reason,
                actor_of(request),
                settings_of(request).timezone,
            )
            return _returns_page(request, sale=None, receipt="", done=record)

        return await form_page(work, lambda **refusal: _returns_page(request, sale=sale, receipt=receipt, **refusal))

    @get("/reception/beneficiaries/new", opt=permission(Permission.BENEFICIARIES))
    async def new_beneficiary(self, request: Request[Any, Any, Any], site_id: Text = "", codes: Text = "") -> Template:
        return _beneficiary_page(request, Desk(_ids(site_id), [c for c in codes.split(",") if c]), typed={})

    @post("/reception/beneficiaries/new", opt=permission(Permission.BENEFICIARIES), status_code=200)
    async def create_beneficiary(self, request: Request[Any, Any, Any], db_session: DbSession) -> Redirect | Template:
        typed = await request.form()
        desk = _desk_of(typed)

        async def work() -> Redirect | Template:
            form = await read_form(request, BeneficiaryForm)
            created = await beneficiaries.create(
                db_session,
                beneficiaries.NewBeneficiary(
                    name=form.name,
                    eligibility_reason=form.eligibility_reason,
                    eligibility_verified_by=form.eligibility_verified_by,
                    eligible_until=form.eligible_until,
                    contact=form.contact,
                    commune_insee=form.commune_insee,
                    age_band=form.age_band,
                    referrer=form.referrer,
                    referred_on=form.referred_on,
                ),
            )
            desk.beneficiary_id = created.beneficiary.id
            if created.likely_duplicates:
                duplicates = texts.likely_duplicates(created.likely_duplicates)
                return await _desk_page(db_session, request, desk, error=duplicates)
            return Redirect(desk.query(), status_code=303)

        return await form_page(work, partial(_beneficiary_page, request, desk), typed=await typed_in(request))


def _returns_page(request: Request[Any, Any, Any], **context: Any) -> Template:
    return page(request, "returns.html", methods=texts.PAYMENT_METHODS, **context)


def _beneficiary_page(request: Request[Any, Any, Any], desk: Desk, **context: Any) -> Template:
    return page(
        request, "beneficiary_new.html", desk=desk, reasons=texts.ELIGIBILITY_REASONS, bands=texts.AGE_BANDS, **context
    )


def _named(names: dict[str, str], value: str | None) -> str:
    return names.get(value, value) if value else ""


# The beneficiaries list: what the desk sees of each person (not the contact), found by name or number.
BENEFICIARIES = lists.Listing(
    columns=(
        lists.Column("number", texts.LISTS["number"], Beneficiary.number, lambda row: row[0].number),
        lists.Column("name", texts.RECEPTION["name"], folded(Beneficiary.name), lambda row: row[0].name),
        lists.Column(
            "commune", texts.RECEPTION["commune"], Beneficiary.commune_insee, lambda row: row[0].commune_insee
        ),
        lists.Column(
            "age_band",
            texts.RECEPTION["age_band"],
            Beneficiary.age_band,
            lambda row: _named(texts.AGE_BANDS, row[0].age_band),
        ),
        lists.Column(
            "reason",
            texts.RECEPTION["reason_label"],
            Beneficiary.eligibility_reason,
            lambda row: _named(texts.ELIGIBILITY_REASONS, row[0].eligibility_reason),
        ),
        lists.Column("until", texts.RECEPTION["until"], Beneficiary.eligible_until, lambda row: row[0].eligible_until),
        lists.Column(
            "referrer", texts.RECEPTION["referrer"], folded(Beneficiary.referrer), lambda row: row[0].referrer
        ),
    ),
    searched=(Beneficiary.name, Beneficiary.number),
    unique=Beneficiary.id,
    default="name",
)


class BeneficiaryPages(Controller):
    """The beneficiaries list, for the desk (reception and managers: personal data)."""

    include_in_schema = False

    @get("/reception/beneficiaries", opt=permission(Permission.BENEFICIARIES), dependencies=lists.LIST_QUERY)
    async def beneficiaries(self, request: Request[Any, Any, Any], db_session: DbSession, asked: AskedList) -> Template:
        listed = await lists.shown(db_session, beneficiaries.listed(), BENEFICIARIES, asked, "/reception/beneficiaries")
        return page(
            request, "beneficiaries.html", listed=listed, reasons=texts.ELIGIBILITY_REASONS, bands=texts.AGE_BANDS
        )

    @get("/reception/beneficiaries.csv", opt=permission(Permission.BENEFICIARIES), dependencies=lists.LIST_QUERY)
    async def beneficiaries_csv(self, db_session: DbSession, asked: AskedList) -> Response[bytes]:
        """The beneficiaries list as shown (search, sort), every page, for a spreadsheet."""
        return await lists.exported(db_session, beneficiaries.listed(), BENEFICIARIES, asked, "beneficiaires.csv")


class SaleSettingsForm(Form):
    quota_devices: WholeNumber
    quota_months: WholeNumber
    eligibility_required: Checkbox = False
    vat_subject: Checkbox = False
    legal_name: ShortText = ""
    siret: Reference = ""


async def _settings_page(
    session: AsyncSession,
    request: Request[Any, Any, Any],
    site_id: int,
    typed: Mapping[str, Any] | None = None,
    **context: Any,
) -> Template:
    """A site's sale rules: as saved (or figures.toml's when never set), or as typed when refused."""
    site = await sites.get(session, site_id)
    if typed is None:
        rule, row = await service.site_rules(session, site_id)
        typed = {
            "quota_devices": rule.quota_devices,
            "quota_months": rule.quota_months,
            "eligibility_required": rule.eligibility_required,
            "vat_subject": bool(row and row.vat_subject),
            "legal_name": row.legal_name if row else "",
            "siret": row.siret if row else "",
        }
    vat_mention = rules.sales()["vat_exempt_mention"]
    return page(request, "sale_settings.html", site=site, typed=typed, vat_mention=vat_mention, **context)


class SaleSettingsPages(Controller):
    """A site's sale rules (quota, eligibility, VAT status, name and SIRET on receipts), as
    `PUT /api/v1/sites/{id}/sale-settings` changes them."""

    include_in_schema = False

    @get("/sites/{site_id:int}/sale-settings", opt=permission(Permission.PRICES_WRITE))
    async def sale_settings(
        self, request: Request[Any, Any, Any], db_session: DbSession, site_id: PathId, saved: FromQuery[bool] = False
    ) -> Template:
        notice = texts.SALE_SETTINGS["saved"] if saved else ""
        return await _settings_page(db_session, request, site_id, notice=notice)

    @post(
        "/sites/{site_id:int}/sale-settings",
        opt=permission(Permission.PRICES_WRITE),
        status_code=303,
        media_type="text/html",
    )
    async def save_sale_settings(
        self, request: Request[Any, Any, Any], db_session: DbSession, site_id: PathId
    ) -> Redirect | Template:
        async def work() -> Redirect:
            form = await read_form(request, SaleSettingsForm)
            await service.set_site_rules(
                db_session,
                site_id,
                sale_rules.SaleRules(form.quota_devices, form.quota_months, form.eligibility_required),
                form.vat_subject,
                form.legal_name,
                form.siret,
            )
            return Redirect(f"/sites/{site_id}/sale-settings?saved=true", status_code=303)

        typed = dict((await request.form()).items())
        return await form_page(work, partial(_settings_page, db_session, request, site_id, typed))


# What this domain adds to the application (pages); reemploi.app assembles every domain's.
ROUTES = [ReceptionPages, BeneficiaryPages, SaleSettingsPages]
