"""Selling (or giving) ready devices to a beneficiary, in one transaction: every rule checked first
(till open, eligibility on the sale day, quota or its written override, legal price caps, payments that
add up), then every device moved (a device sold at the same moment by someone else refuses the whole
sale), then the receipt number taken last. A sale that fails leaves every device as it was and takes no
number: receipt numbers run 1, 2, 3… per year with no gap and no double."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import exists, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from reemploi import rules, texts
from reemploi.actors import Actor
from reemploi.db import utcnow, write_transaction
from reemploi.devices import service as devices
from reemploi.devices.codes import scanned_codes
from reemploi.devices.lifecycle import Action, is_for_sale
from reemploi.devices.models import Device
from reemploi.errors import DeviceNotAvailable, Invalid, NotFound, NoTillOpen
from reemploi.sales import beneficiaries, till
from reemploi.sales import rules as sale_rules
from reemploi.sales.models import ReturnedLine, Sale, SaleLine, SalePayment, SaleSettings
from reemploi.sales.numbering import next_number
from reemploi.sites.models import Site
from reemploi.workshop import bench, gate


@dataclass(frozen=True, slots=True)
class NewSale:
    site_id: int
    beneficiary_id: int
    codes: Sequence[str]
    payments: Sequence[sale_rules.Payment]
    donation: bool = False
    quota_override: str = ""


async def site_rules(session: AsyncSession, site_id: int) -> tuple[sale_rules.SaleRules, SaleSettings | None]:
    settings = await session.get(SaleSettings, site_id)
    if settings is None:
        return sale_rules.default_rules(), None
    return sale_rules.SaleRules(settings.quota_devices, settings.quota_months, settings.eligibility_required), settings


def months_before(day: date, months: int) -> date:
    """The same day `months` calendar months earlier (the 31st falls back to the month's last day)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    for candidate in (day.day, 30, 29, 28):
        try:
            return date(year, month + 1, candidate)
        except ValueError:
            continue
    raise AssertionError("unreachable")


async def bought_since(session: AsyncSession, beneficiary_id: int, since: datetime) -> dict[str, int]:
    """Devices this person bought or received since then and kept (not returned), by category."""
    rows = await session.execute(
        select(SaleLine.category, func.count())
        .join(Sale, Sale.id == SaleLine.sale_id)
        .where(
            Sale.beneficiary_id == beneficiary_id,
            Sale.at >= since,
            ~exists().where(ReturnedLine.sale_line_id == SaleLine.id),
        )
        .group_by(SaleLine.category)
    )
    return dict(rows.all())  # a list of (key, value) rows: dict() on the Result itself would take it for a mapping


async def devices_for_sale(
    session: AsyncSession, site: Site, codes: Sequence[str], priced: bool = True
) -> list[Device]:
    """The scanned devices, each ready for sale (or reserved) on this site, and priced unless given:
    the first that is not refuses them all, saying why."""
    found = []
    for code in codes:
        device = await devices.get_by_code(session, code)
        if not is_for_sale(device.state):
            raise DeviceNotAvailable(texts.not_for_sale(device.code, device.state), current_state=device.state)
        if device.site_id != site.id:
            raise Invalid(texts.location_other_site(device.code, site.name))
        if priced and device.price_cents is None:
            raise Invalid(texts.device_without_price(device.code))
        found.append(device)
    return found


async def sell(session: AsyncSession, new: NewSale, actor: Actor, timezone: str = "Europe/Paris") -> Sale:
    codes = scanned_codes(new.codes) if new.codes else []
    if not codes:
        raise Invalid(texts.SALE_NEEDS_DEVICES)
    if new.donation and new.payments:
        raise Invalid(texts.DONATION_HAS_NO_PAYMENT)
    zone = ZoneInfo(timezone)
    async with write_transaction(session):
        site = await session.get(Site, new.site_id)
        if site is None:
            raise Invalid(texts.unknown_reference("site_id", texts.NAMES_IN_A_SENTENCE["site"], new.site_id))
        rule, settings = await site_rules(session, site.id)
        open_till = await till.open_till_of(session, site.id)
        if open_till is None and not new.donation:
            raise NoTillOpen(texts.NO_TILL_OPEN)
        if open_till is not None:
            await till.lock_open(session, open_till.id)
        person = await beneficiaries.get(session, new.beneficiary_id)
        now = utcnow()
        today = now.astimezone(zone).date()
        refusal = sale_rules.eligibility_refusal(
            person.eligible_until, person.anonymised_at is not None, today, rule.eligibility_required
        )
        if refusal:
            raise Invalid(refusal)

        found = await devices_for_sale(session, site, codes, priced=not new.donation)
        for device in found if not new.donation else []:  # the legal cap, for a person in precarity
            cap = gate.price_refusal(
                device.category, device.price_cents or 0, await bench.donated_by_public_body(session, device)
            )
            if cap:
                raise Invalid(f"{device.code} : {cap}")

        since = datetime.combine(months_before(today, rule.quota_months), datetime.min.time(), zone)
        quota = sale_rules.quota_refusal(
            await bought_since(session, person.id, since), [d.category for d in found], rule, new.quota_override
        )
        if quota:
            raise Invalid(quota)
        total = 0 if new.donation else sum(d.price_cents or 0 for d in found)
        paid = sale_rules.payment_refusal(total, new.payments)
        if paid:
            raise Invalid(paid)

        lines = [
            (d.code, d.category, d.manufacturer, d.model, d.serial, d.grade, 0 if new.donation else d.price_cents or 0)
            for d in found
        ]
        action = Action.DONATE if new.donation else Action.SELL
        for device in found:
            await devices.move(session, device, action, actor, data={"beneficiary": person.number})
        year = today.year
        number = await next_number(session, "receipt", year)  # last: the counter is held the shortest time
        guarantee = rules.guarantee()
        vat_subject = bool(settings and settings.vat_subject)
        sale = Sale(
            year=year,
            number=number,
            series="receipt",
            kind="donation" if new.donation else "sale",
            site_id=site.id,
            till_session_id=open_till.id if open_till else None,
            beneficiary_id=person.id,
            at=now,
            **actor.columns(),
            total_cents=total,
            quota_override=new.quota_override.strip()[:2000],
            facts={
                "receipt": receipt_code(year, number),
                "at": now.isoformat(timespec="seconds"),
                "workshop": {
                    "name": (settings.legal_name if settings and settings.legal_name else site.name),
                    "site": site.name,
                    "address": site.address,
                    "siret": settings.siret if settings else "",
                },
                "beneficiary": person.number,
                "actor": actor.label,
                "lines": [
                    {
                        "code": c,
                        "category": cat,
                        "manufacturer": m,
                        "model": mo,
                        "serial": s,
                        "grade": g,
                        "price_cents": p,
                    }
                    for c, cat, m, mo, s, g, p in lines
                ],
                "payments": [
                    {"method": p.method, "amount_cents": p.amount_cents, "reference": p.reference.strip()}
                    for p in new.payments
                ],
                "total_cents": total,
                "vat": None if vat_subject else rules.sales()["vat_exempt_mention"],
                "vat_breakdown": vat_breakdown(total, int(rules.sales()["vat_rate_percent"])) if vat_subject else None,
                "guarantee": texts.guarantee_mention(
                    guarantee["legal_conformity_years"], guarantee["presumption_months_used_goods"], guarantee["source"]
                ),
            },
        )
        session.add(sale)
        await session.flush()
        by_code = {d.code: d for d in found}
        rate = int(rules.sales()["vat_rate_percent"])
        session.add_all(
            SaleLine(
                sale_id=sale.id,
                device_id=by_code[c].id,
                category=cat,
                price_cents=p,
                ht_cents=vat_breakdown(p, rate)["ht_cents"] if vat_subject else p,
            )
            for c, cat, _, _, _, _, p in lines
        )
        session.add_all(
            SalePayment(
                sale_id=sale.id, method=p.method, amount_cents=p.amount_cents, reference=p.reference.strip()[:100]
            )
            for p in new.payments
        )
        person.last_activity_at = now
        await session.flush()
        return sale


def vat_breakdown(total_cents: int, rate_percent: int) -> dict[str, int]:
    """A TTC total split into HT and VAT at the rate (rounded to the cent, HT + VAT = TTC)."""
    ht = round(total_cents * 100 / (100 + rate_percent))
    return {"rate_percent": rate_percent, "ht_cents": ht, "vat_cents": total_cents - ht}


def receipt_code(year: int, number: int) -> str:
    return f"{year}-{number:06d}"


async def get(session: AsyncSession, sale_id: int) -> Sale:
    sale = await session.get(Sale, sale_id)
    if sale is None:
        raise NotFound(texts.sale_unknown(sale_id))
    return sale


async def set_site_rules(
    session: AsyncSession, site_id: int, rule: sale_rules.SaleRules, vat_subject: bool, legal_name: str, siret: str
) -> SaleSettings:
    """Change a site's reception rules (they apply to the sales made from now on)."""
    from stdnum.fr import siret as siret_number

    digits = "".join(siret.split())
    if digits and not siret_number.is_valid(digits):
        raise Invalid(texts.BAD_SIRET)
    if not 1 <= rule.quota_months <= 120 or not 0 <= rule.quota_devices <= 100:
        raise Invalid(texts.BAD_QUOTA)
    async with write_transaction(session):
        if await session.get(Site, site_id) is None:
            raise NotFound(texts.not_found(texts.NAMES["site"], site_id))
        settings = await session.get(SaleSettings, site_id) or SaleSettings(site_id=site_id)
        settings.quota_devices, settings.quota_months = rule.quota_devices, rule.quota_months
        settings.eligibility_required, settings.vat_subject = rule.eligibility_required, vat_subject
        settings.legal_name, settings.siret = legal_name.strip()[:200], digits
        session.add(settings)
        await session.flush()
        return settings


async def by_receipt(session: AsyncSession, text: str) -> Sale:
    """A sale from the number printed on its receipt (2026-000042) or invoice (FA-2026-000001)."""
    cleaned = "".join(text.split()).upper()
    series = "invoice" if cleaned.startswith("FA-") else "receipt"
    parts = cleaned.removeprefix("FA-").split("-")
    if len(parts) != 2 or not all(p.isascii() and p.isdecimal() and 0 < len(p) < 9 for p in parts):
        raise Invalid(texts.receipt_shape(text))
    sale = (
        await session.execute(
            select(Sale).where(Sale.series == series, Sale.year == int(parts[0]), Sale.number == int(parts[1]))
        )
    ).scalar_one_or_none()
    if sale is None:
        raise NotFound(texts.receipt_unknown(cleaned))
    return sale
