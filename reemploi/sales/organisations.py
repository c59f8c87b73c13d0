"""Selling refurbished equipment to an organisation (a collectivity buying for its services): a quote,
then an invoice numbered in its own gapless series (FA-2026-000001), with HT, VAT and TTC and, for each
line, the data.gouv `type_produit_acquis` label the buyer declares it under (AGEC art. 58)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from reemploi import rules, texts
from reemploi.actors import Actor
from reemploi.db import utcnow, write_transaction
from reemploi.devices import service as devices
from reemploi.devices.codes import scanned_codes
from reemploi.devices.lifecycle import Action
from reemploi.devices.models import Device
from reemploi.documents import render_document
from reemploi.errors import Invalid
from reemploi.partners.models import Partner
from reemploi.sales import service
from reemploi.sales.models import Sale, SaleLine
from reemploi.sales.numbering import next_number
from reemploi.sites.models import Site


def invoice_code(year: int, number: int) -> str:
    return f"FA-{year}-{number:06d}"


def _amounts(price_ttc: int, vat_subject: bool) -> dict[str, int]:
    if not vat_subject:
        return {"ht_cents": price_ttc, "vat_cents": 0, "ttc_cents": price_ttc}
    split = service.vat_breakdown(price_ttc, int(rules.sales()["vat_rate_percent"]))
    return {"ht_cents": split["ht_cents"], "vat_cents": split["vat_cents"], "ttc_cents": price_ttc}


async def _document_facts(
    session: Any, site: Site, buyer: Partner, found: Sequence[Device], at: datetime
) -> dict[str, Any]:
    _, settings = await service.site_rules(session, site.id)
    vat_subject = bool(settings and settings.vat_subject)
    lines: list[dict[str, Any]] = []
    for d in found:
        lines.append(
            {
                "code": d.code,
                "category": d.category,
                "manufacturer": d.manufacturer,
                "model": d.model,
                "serial": d.serial,
                "grade": d.grade,
                "type_produit_acquis": rules.agec_product_type(d.category),
                **_amounts(d.price_cents or 0, vat_subject),
            }
        )
    totals = {key: sum(line[key] for line in lines) for key in ("ht_cents", "vat_cents", "ttc_cents")}
    return {
        "at": at.isoformat(timespec="seconds"),
        "workshop": {
            "name": settings.legal_name if settings and settings.legal_name else site.name,
            "site": site.name,
            "address": site.address,
            "siret": settings.siret if settings else "",
        },
        "buyer": {
            "id": buyer.id,
            "name": buyer.name,
            "siret": buyer.siret,
            "siren": buyer.siren,
            "address": buyer.address,
        },
        "lines": lines,
        **totals,
        "vat_rate_percent": int(rules.sales()["vat_rate_percent"]) if vat_subject else 0,
        "vat": None if vat_subject else rules.sales()["vat_exempt_mention"],
        "agec_source": rules.agec()["source"],
    }


async def _site_and_buyer(session: Any, site_id: int, buyer_id: int) -> tuple[Site, Partner]:
    site = await session.get(Site, site_id)
    if site is None:
        raise Invalid(texts.unknown_reference("site_id", texts.NAMES_IN_A_SENTENCE["site"], site_id))
    buyer = await session.get(Partner, buyer_id)
    if buyer is None:
        raise Invalid(texts.unknown_reference("buyer_partner_id", texts.NAMES_IN_A_SENTENCE["organisation"], buyer_id))
    if buyer.kind == "individual":
        raise Invalid(texts.BUYER_NOT_ORGANISATION)
    return site, buyer


async def quote(session: Any, site_id: int, buyer_id: int, codes: Sequence[str], timezone: str) -> dict[str, Any]:
    """A quote's facts (nothing is recorded nor reserved): the devices, their HT/VAT/TTC, valid 30 days."""
    site, buyer = await _site_and_buyer(session, site_id, buyer_id)
    found = await service.devices_for_sale(session, site, scanned_codes(codes))
    now = utcnow()
    facts = await _document_facts(session, site, buyer, found, now)
    valid = now.astimezone(ZoneInfo(timezone)).date() + timedelta(days=int(rules.agec()["quote_valid_days"]))
    return {**facts, "kind": "quote", "valid_until": valid.isoformat()}


async def invoice(
    session: Any,
    site_id: int,
    buyer_id: int,
    codes: Sequence[str],
    actor: Actor,
    timezone: str = "Europe/Paris",
    order_reference: str = "",
) -> Sale:
    """Sell to an organisation: every device or none, the next invoice number taken last."""
    async with write_transaction(session):
        site, buyer = await _site_and_buyer(session, site_id, buyer_id)
        found = await service.devices_for_sale(session, site, scanned_codes(codes))
        now = utcnow()
        facts = await _document_facts(session, site, buyer, found, now)
        for device in found:
            await devices.move(session, device, Action.SELL_TO_ORGANISATION, actor, data={"buyer": buyer.name})
        today = now.astimezone(ZoneInfo(timezone)).date()
        number = await next_number(session, "invoice", today.year)
        due = today + timedelta(days=int(rules.agec()["payment_terms_days"]))
        sale = Sale(
            year=today.year,
            number=number,
            series="invoice",
            kind="organisation",
            site_id=site.id,
            till_session_id=None,
            beneficiary_id=None,
            buyer_partner_id=buyer.id,
            at=now,
            **actor.columns(),
            total_cents=facts["ttc_cents"],
            quota_override="",
            facts={
                **facts,
                "kind": "invoice",
                "receipt": invoice_code(today.year, number),
                "actor": actor.label,
                "due": due.isoformat(),
                "order_reference": order_reference.strip()[:100],
                "payment_terms_days": int(rules.agec()["payment_terms_days"]),
            },
        )
        session.add(sale)
        await session.flush()
        session.add_all(
            SaleLine(
                sale_id=sale.id,
                device_id=d.id,
                category=d.category,
                price_cents=line["ttc_cents"],
                ht_cents=line["ht_cents"],
            )
            for d, line in zip(found, facts["lines"], strict=True)
        )
        await session.flush()
        return sale


def render_pdf(facts: dict[str, Any], timezone: str) -> bytes:
    """A quote or an invoice (labels/facture.html), from its facts."""
    return render_document("facture.html", facts=facts, timezone=timezone)
