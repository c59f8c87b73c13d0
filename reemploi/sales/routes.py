"""Reception API: beneficiaries, till sessions, sales and donations, receipts."""

from __future__ import annotations

from datetime import date, datetime
from functools import partial
from typing import Annotated, Any

import msgspec
from advanced_alchemy.filters import LimitOffset
from advanced_alchemy.service import OffsetPagination
from litestar import Controller, Request, Response, get, post, put
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import JSONBody, QueryParameter

from reemploi.accounts.auth import permission
from reemploi.accounts.roles import Permission
from reemploi.errors import problem_responses
from reemploi.labels.render import off_the_loop
from reemploi.sales import beneficiaries, documents, organisations, receipts, returns, service, till
from reemploi.sales import rules as sale_rules
from reemploi.sales.models import Beneficiary, Sale, SaleReturn, TillSession
from reemploi.sites import service as sites_service
from reemploi.web import DbSession, Limit, Offset, PathId, RowId, actor_of, out_of, page_of, settings_of

Cents = Annotated[int, msgspec.Meta(ge=0, le=till.MAX_CENTS)]
Short = Annotated[str, msgspec.Meta(max_length=200)]


class BeneficiaryIn(msgspec.Struct, forbid_unknown_fields=True):
    name: Short
    eligibility_reason: Annotated[
        str, msgspec.Meta(max_length=20, description="rsa, aah, ass, css, student_grant, jobseeker, low_income, other")
    ]
    eligibility_verified_by: Short
    eligible_until: date | None = None
    contact: Short = ""
    commune_insee: Annotated[str, msgspec.Meta(max_length=5)] = ""
    age_band: Annotated[str, msgspec.Meta(max_length=10, description="under_18, 18_25, 26_44, 45_64, 65_plus")] = ""
    referrer: Short = ""
    referred_on: date | None = None


class BeneficiaryOut(msgspec.Struct):
    id: int
    number: str
    name: str | None
    contact: str | None
    commune_insee: str | None
    age_band: str | None
    eligibility_reason: str
    eligibility_verified_by: str
    eligible_until: date | None
    referrer: str
    referred_on: date | None
    likely_duplicates: list[str] = []

    @classmethod
    def of(cls, b: Beneficiary, duplicates: list[str] | None = None) -> BeneficiaryOut:
        return out_of(cls, b, likely_duplicates=duplicates or [])


class TillIn(msgspec.Struct, forbid_unknown_fields=True):
    site_id: RowId
    opening_float_cents: Cents


class MovementIn(msgspec.Struct, forbid_unknown_fields=True):
    direction: Annotated[str, msgspec.Meta(description="in ou out", max_length=3)]
    amount_cents: Annotated[int, msgspec.Meta(ge=1, le=till.MAX_CENTS)]
    reason: Annotated[str, msgspec.Meta(max_length=500)]


class CountedIn(msgspec.Struct, forbid_unknown_fields=True):
    """What was counted in the till at closing, per payment method (cents)."""

    cash: Cents = 0
    card: Cents = 0
    cheque: Cents = 0
    transfer: Cents = 0
    voucher: Cents = 0


class CloseIn(msgspec.Struct, forbid_unknown_fields=True):
    counted: CountedIn
    note: Annotated[str, msgspec.Meta(max_length=2000)] = ""


class TillOut(msgspec.Struct):
    id: int
    site_id: int
    opened_at: datetime
    opened_by: str
    opening_float_cents: int
    status: str  # open or closed
    expected: dict[str, int] | None
    counted: dict[str, int] | None
    differences: dict[str, int] | None = None  # counted − expected

    @classmethod
    def of(cls, t: TillSession, expected: dict[str, int] | None = None) -> TillOut:
        should = t.expected or expected
        differences = {m: t.counted.get(m, 0) - v for m, v in should.items()} if t.counted and should else None
        return out_of(cls, t, status="closed" if t.closed_at else "open", expected=should, differences=differences)


class PaymentIn(msgspec.Struct, forbid_unknown_fields=True):
    method: Annotated[str, msgspec.Meta(max_length=12, description="cash, card, cheque, transfer, voucher")]
    amount_cents: Annotated[int, msgspec.Meta(ge=1, le=till.MAX_CENTS)]
    reference: Annotated[str, msgspec.Meta(max_length=100)] = ""


class SaleIn(msgspec.Struct, forbid_unknown_fields=True):
    site_id: RowId
    beneficiary_id: RowId
    codes: Annotated[list[Annotated[str, msgspec.Meta(max_length=40)]], msgspec.Meta(min_length=1, max_length=50)]
    payments: Annotated[list[PaymentIn], msgspec.Meta(max_length=10)] = []
    donation: bool = False  # given free: no price, no payment
    quota_override: Annotated[
        str, msgspec.Meta(max_length=2000, description="La raison écrite, pour passer outre le quota")
    ] = ""


class SaleOut(msgspec.Struct):
    id: int
    receipt: str  # 2026-000042
    kind: str
    at: datetime
    beneficiary: str  # the person's number, or the organisation's name for an invoice
    total_cents: int
    devices: list[str]
    quota_override: str

    @classmethod
    def of(cls, s: Sale) -> SaleOut:
        buyer = s.facts["buyer"]["name"] if s.kind == "organisation" else s.facts["beneficiary"]
        return out_of(
            cls, s, receipt=s.facts["receipt"], beneficiary=buyer, devices=[line["code"] for line in s.facts["lines"]]
        )


class ReturnIn(msgspec.Struct, forbid_unknown_fields=True):
    codes: Annotated[list[Annotated[str, msgspec.Meta(max_length=40)]], msgspec.Meta(min_length=1, max_length=50)]
    outcome: Annotated[str, msgspec.Meta(max_length=10, description="refund (remboursement) ou exchange (échange)")]
    reason: Annotated[str, msgspec.Meta(max_length=2000, description="La panne constatée")]
    refunds: Annotated[list[PaymentIn], msgspec.Meta(max_length=10)] = []


class ReturnOut(msgspec.Struct):
    id: int
    credit_note: str  # AV-2026-000001
    receipt: str
    outcome: str
    refund_cents: int
    devices: list[str]

    @classmethod
    def of(cls, r: SaleReturn) -> ReturnOut:
        return out_of(
            cls, r, credit_note=r.facts["credit_note"], receipt=r.facts["receipt"], devices=r.facts["devices"]
        )


class SaleSettingsIn(msgspec.Struct, forbid_unknown_fields=True):
    quota_devices: Annotated[int, msgspec.Meta(ge=0, le=100, description="Appareils d'une catégorie par personne")]
    quota_months: Annotated[int, msgspec.Meta(ge=1, le=120, description="… sur cette durée")]
    eligibility_required: bool = True
    vat_subject: bool = False  # False: « TVA non applicable, art. 293 B du CGI » on receipts
    legal_name: Short = ""  # the organisation's name on receipts (the site's name by default)
    siret: Annotated[str, msgspec.Meta(max_length=20)] = ""


class SaleSettingsOut(msgspec.Struct):
    site_id: int
    quota_devices: int
    quota_months: int
    eligibility_required: bool
    vat_subject: bool
    legal_name: str
    siret: str


class InvoiceIn(msgspec.Struct, forbid_unknown_fields=True):
    site_id: RowId
    buyer_partner_id: RowId
    codes: Annotated[list[Annotated[str, msgspec.Meta(max_length=40)]], msgspec.Meta(min_length=1, max_length=500)]
    order_reference: Annotated[str, msgspec.Meta(max_length=100, description="Le bon de commande de l'acheteur")] = ""


class ReceptionController(Controller):
    path = "/api/v1"
    tags = ["reception"]

    @post(
        "/beneficiaries",
        opt=permission(Permission.BENEFICIARIES),
        responses=problem_responses(422),
        summary="Enregistrer un bénéficiaire",
        description="Données minimales (RGPD). `likely_duplicates` : fiches au même nom, à vérifier.",
    )
    async def create_beneficiary(self, db_session: DbSession, data: JSONBody[BeneficiaryIn]) -> BeneficiaryOut:
        created = await beneficiaries.create(
            db_session,
            beneficiaries.NewBeneficiary(
                name=data.name,
                eligibility_reason=data.eligibility_reason,
                eligibility_verified_by=data.eligibility_verified_by,
                eligible_until=data.eligible_until,
                contact=data.contact,
                commune_insee=data.commune_insee,
                age_band=data.age_band,
                referrer=data.referrer,
                referred_on=data.referred_on,
            ),
        )
        return BeneficiaryOut.of(created.beneficiary, created.likely_duplicates)

    @get(
        "/beneficiaries",
        opt=permission(Permission.BENEFICIARIES),
        responses=problem_responses(),
        summary="Chercher un bénéficiaire (nom ou numéro)",
    )
    async def search_beneficiaries(
        self,
        db_session: DbSession,
        q: Annotated[str, QueryParameter(max_length=100, description="Nom ou numéro")] = "",
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> OffsetPagination[BeneficiaryOut]:
        return page_of(await beneficiaries.search_page(db_session, q, LimitOffset(limit, offset)), BeneficiaryOut.of)

    @get(
        "/beneficiaries/{beneficiary_id:int}",
        opt=permission(Permission.BENEFICIARIES),
        responses=problem_responses(404),
        summary="Un bénéficiaire",
    )
    async def get_beneficiary(self, db_session: DbSession, beneficiary_id: PathId) -> BeneficiaryOut:
        return BeneficiaryOut.of(await beneficiaries.get(db_session, beneficiary_id))

    @get(
        "/beneficiaries/{beneficiary_id:int}/export",
        opt=permission(Permission.BENEFICIARIES),
        responses=problem_responses(404),
        summary="Tout ce qui est conservé sur une personne (droit d'accès, RGPD art. 15)",
    )
    async def export_beneficiary(self, db_session: DbSession, beneficiary_id: PathId) -> dict[str, Any]:
        return await beneficiaries.export(db_session, beneficiary_id)

    @post(
        "/beneficiaries/{beneficiary_id:int}/anonymise",
        opt=permission(Permission.BENEFICIARIES),
        status_code=200,
        responses=problem_responses(404),
        summary="Anonymiser une personne à sa demande (RGPD art. 17) : ses ventes gardent leurs montants",
    )
    async def anonymise_beneficiary(self, db_session: DbSession, beneficiary_id: PathId) -> BeneficiaryOut:
        return BeneficiaryOut.of(await beneficiaries.anonymise(db_session, beneficiary_id))

    @get(
        "/sites/{site_id:int}/sale-settings",
        opt=permission(Permission.SALES),
        responses=problem_responses(404),
        summary="Règles de vente d'un site (quota, éligibilité, TVA, identité sur les tickets)",
    )
    async def get_sale_settings(self, db_session: DbSession, site_id: PathId) -> SaleSettingsOut:
        await sites_service.get(db_session, site_id)
        rule, row = await service.site_rules(db_session, site_id)
        return SaleSettingsOut(
            site_id,
            rule.quota_devices,
            rule.quota_months,
            rule.eligibility_required,
            bool(row and row.vat_subject),
            row.legal_name if row else "",
            row.siret if row else "",
        )

    @put(
        "/sites/{site_id:int}/sale-settings",
        opt=permission(Permission.PRICES_WRITE),
        responses=problem_responses(404, 422),
        summary="Changer les règles de vente d'un site",
    )
    async def put_sale_settings(
        self, db_session: DbSession, site_id: PathId, data: JSONBody[SaleSettingsIn]
    ) -> SaleSettingsOut:
        row = await service.set_site_rules(
            db_session,
            site_id,
            sale_rules.SaleRules(data.quota_devices, data.quota_months, data.eligibility_required),
            data.vat_subject,
            data.legal_name,
            data.siret,
        )
        return SaleSettingsOut(
            site_id,
            row.quota_devices,
            row.quota_months,
            row.eligibility_required,
            row.vat_subject,
            row.legal_name,
            row.siret,
        )

    @post(
        "/till-sessions",
        opt=permission(Permission.SALES),
        responses=problem_responses(404, 409, 422),
        summary="Ouvrir la caisse d'un site (fond de caisse compté)",
    )
    async def open_till(
        self, request: Request[Any, Any, Any], db_session: DbSession, data: JSONBody[TillIn]
    ) -> TillOut:
        return TillOut.of(await till.open_till(db_session, data.site_id, data.opening_float_cents, actor_of(request)))

    @get(
        "/till-sessions/{session_id:int}",
        opt=permission(Permission.SALES),
        responses=problem_responses(404),
        summary="Une caisse (avec ce qu'elle devrait contenir)",
    )
    async def get_till(self, db_session: DbSession, session_id: PathId) -> TillOut:
        session = await till.get(db_session, session_id)
        return TillOut.of(session, None if session.closed_at else await till.expected(db_session, session))

    @post(
        "/till-sessions/{session_id:int}/movements",
        opt=permission(Permission.SALES),
        responses=problem_responses(404, 409, 422),
        summary="Entrée ou sortie d'espèces (avec la raison)",
    )
    async def move_cash(
        self, request: Request[Any, Any, Any], db_session: DbSession, session_id: PathId, data: JSONBody[MovementIn]
    ) -> TillOut:
        await till.move_cash(db_session, session_id, data.direction, data.amount_cents, data.reason, actor_of(request))
        session = await till.get(db_session, session_id)
        return TillOut.of(session, await till.expected(db_session, session))

    @post(
        "/till-sessions/{session_id:int}/close",
        opt=permission(Permission.SALES),
        status_code=200,
        responses=problem_responses(404, 409, 422),
        summary="Fermer la caisse : comptage par moyen de paiement, écarts avec l'attendu",
    )
    async def close_till(
        self, request: Request[Any, Any, Any], db_session: DbSession, session_id: PathId, data: JSONBody[CloseIn]
    ) -> TillOut:
        counted = msgspec.structs.asdict(data.counted)
        closed = await till.close_till(db_session, session_id, counted, actor_of(request), data.note)
        return TillOut.of(closed.till)

    @get(
        "/till-sessions/{session_id:int}/report",
        opt=permission(Permission.SALES),
        media_type="application/pdf",
        responses={
            200: ResponseSpec(data_container=bytes, media_type="application/pdf", description="Le rapport"),
            **problem_responses(404),
        },
        summary="Rapport Z de la caisse (PDF) : ventes, remboursements, mouvements, attendu et compté",
        description="Rapport X tant que la caisse est ouverte.",
    )
    async def till_report(
        self, request: Request[Any, Any, Any], db_session: DbSession, session_id: PathId
    ) -> Response[bytes]:
        report = await till.report(db_session, session_id)
        pdf = await documents.render_report_async(report, settings_of(request).timezone)
        kind = "z" if report.till.closed_at else "x"
        return Response(
            pdf,
            media_type="application/pdf",
            headers={"Content-Disposition": f'inline; filename="rapport-{kind}-{session_id}.pdf"'},
        )

    @get(
        "/quotes",
        opt=permission(Permission.SALES),
        media_type="application/pdf",
        responses={
            200: ResponseSpec(data_container=bytes, media_type="application/pdf", description="Le devis"),
            **problem_responses(404, 409, 422),
        },
        summary="Devis pour une organisation (PDF) : HT, TVA, TTC, type de produit AGEC ; rien n'est réservé",
    )
    async def quote(
        self,
        request: Request[Any, Any, Any],
        db_session: DbSession,
        site_id: Annotated[int, QueryParameter(ge=1, le=2**31 - 1)],
        buyer_partner_id: Annotated[int, QueryParameter(ge=1, le=2**31 - 1)],
        codes: Annotated[
            str,
            QueryParameter(min_length=1, max_length=1000, description="Codes séparés par des virgules (70 au plus)"),
        ],
    ) -> Response[bytes]:
        timezone = settings_of(request).timezone
        facts = await organisations.quote(db_session, site_id, buyer_partner_id, codes.split(","), timezone)
        pdf = await off_the_loop(partial(organisations.render_pdf, facts, timezone))
        return Response(
            pdf, media_type="application/pdf", headers={"Content-Disposition": 'inline; filename="devis.pdf"'}
        )

    @post(
        "/invoices",
        opt=permission(Permission.SALES),
        responses=problem_responses(404, 409, 422),
        summary="Vendre à une organisation, sur facture (FA-année-n°, sans trou) : HT, TVA, TTC, type de produit AGEC",
        description="Le PDF de la facture : GET /api/v1/sales/{id}/receipt.",
    )
    async def invoice(
        self, request: Request[Any, Any, Any], db_session: DbSession, data: JSONBody[InvoiceIn]
    ) -> SaleOut:
        sale = await organisations.invoice(
            db_session,
            data.site_id,
            data.buyer_partner_id,
            data.codes,
            actor_of(request),
            settings_of(request).timezone,
            data.order_reference,
        )
        return SaleOut.of(sale)

    @post(
        "/sales",
        opt=permission(Permission.SALES),
        responses=problem_responses(404, 409, 422),
        summary="Vendre (ou donner) des appareils prêts à un bénéficiaire",
        description="Tout ou rien. Refusé, avec la raison : caisse fermée, éligibilité expirée, quota atteint "
        "sans raison écrite, prix au-dessus du plafond légal, paiements qui ne font pas le total, "
        "appareil pas prêt ou vendu entre-temps (409). Le n° de ticket suit, sans trou.",
    )
    async def sell(self, request: Request[Any, Any, Any], db_session: DbSession, data: JSONBody[SaleIn]) -> SaleOut:
        sale = await service.sell(
            db_session,
            service.NewSale(
                site_id=data.site_id,
                beneficiary_id=data.beneficiary_id,
                codes=data.codes,
                payments=[sale_rules.Payment(p.method, p.amount_cents, p.reference) for p in data.payments],
                donation=data.donation,
                quota_override=data.quota_override,
            ),
            actor_of(request),
            settings_of(request).timezone,
        )
        return SaleOut.of(sale)

    @post(
        "/sales/{sale_id:int}/returns",
        opt=permission(Permission.SALES),
        responses=problem_responses(404, 409, 422),
        summary="Retour sous garantie : l'appareil repart en diagnostic, remboursement (avoir) ou échange",
        description="Dans les 2 ans de la garantie légale de conformité. Le ticket n'est pas modifié : un "
        "remboursement est un avoir, numéroté sans trou (AV-année-n°).",
    )
    async def return_sale(
        self, request: Request[Any, Any, Any], db_session: DbSession, sale_id: PathId, data: JSONBody[ReturnIn]
    ) -> ReturnOut:
        record = await returns.return_under_warranty(
            db_session,
            sale_id,
            data.codes,
            data.outcome,
            [sale_rules.Payment(p.method, p.amount_cents, p.reference) for p in data.refunds],
            data.reason,
            actor_of(request),
            settings_of(request).timezone,
        )
        return ReturnOut.of(record)

    @get(
        "/sales/{sale_id:int}", opt=permission(Permission.SALES), responses=problem_responses(404), summary="Une vente"
    )
    async def get_sale(self, db_session: DbSession, sale_id: PathId) -> SaleOut:
        return SaleOut.of(await service.get(db_session, sale_id))

    @get(
        "/sales/{sale_id:int}/receipt",
        opt=permission(Permission.SALES),
        media_type="application/pdf",
        responses={
            200: ResponseSpec(data_container=bytes, media_type="application/pdf", description="Le ticket"),
            **problem_responses(404),
        },
        summary="Le ticket en PDF (A4, ou rouleau 80 mm)",
    )
    async def receipt(
        self,
        request: Request[Any, Any, Any],
        db_session: DbSession,
        sale_id: PathId,
        paper: Annotated[str, QueryParameter(pattern="^(a4|80mm)$", description="a4 ou 80mm")] = "a4",
    ) -> Response[bytes]:
        sale = await service.get(db_session, sale_id)
        pdf = await receipts.render_pdf_async(sale, paper, settings_of(request).timezone)
        return Response(
            pdf,
            media_type="application/pdf",
            headers={"Content-Disposition": f'inline; filename="ticket-{sale.facts["receipt"]}.pdf"'},
        )


# What this domain adds to the application (API); reemploi.app assembles every domain's.
ROUTES = [ReceptionController]
