"""Returns under the legal guarantee of conformity: the device goes back to the workshop (diagnosis),
the money is refunded or the device exchanged, linked to the original sale. The receipt is never
changed: a refund is a credit note (AV-2026-000001) in its own gapless sequence."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from reemploi import formats, rules, texts
from reemploi.actors import Actor
from reemploi.db import utcnow, write_transaction
from reemploi.devices import service as devices
from reemploi.devices.codes import scanned_codes
from reemploi.devices.lifecycle import Action
from reemploi.devices.models import Device
from reemploi.errors import AlreadyReturned, GuaranteeOver, Invalid, NoTillOpen
from reemploi.sales import rules as sale_rules
from reemploi.sales import service, till
from reemploi.sales.models import RefundPayment, ReturnedLine, SaleLine, SaleReturn
from reemploi.sales.numbering import next_number


def credit_note_code(year: int, number: int) -> str:
    return f"AV-{year}-{number:06d}"


async def return_under_warranty(
    session: AsyncSession,
    sale_id: int,
    codes: Sequence[str],
    outcome: str,
    refunds: Sequence[sale_rules.Payment],
    reason: str,
    actor: Actor,
    timezone: str = "Europe/Paris",
) -> SaleReturn:
    wanted = scanned_codes(codes)
    if outcome not in ("refund", "exchange"):
        raise Invalid(texts.unknown_choice(texts.RETURNS["outcome"], outcome, ["refund", "exchange"]))
    if not reason.strip():
        raise Invalid(texts.RETURN_NEEDS_REASON)
    if outcome == "exchange" and refunds:
        raise Invalid(texts.EXCHANGE_HAS_NO_REFUND)
    zone = ZoneInfo(timezone)
    async with write_transaction(session):
        sale = await service.get(session, sale_id)
        now = utcnow()
        years = int(rules.guarantee()["legal_conformity_years"])
        today = now.astimezone(zone).date()
        if now > guarantee_ends(sale.at, years):
            raise GuaranteeOver(texts.guarantee_over(sale.facts["receipt"], years))
        rows = (
            await session.execute(
                select(SaleLine, Device)
                .join(Device, Device.id == SaleLine.device_id)
                .where(SaleLine.sale_id == sale.id)
            )
        ).all()
        by_code = {device.code: (line, device) for line, device in rows}
        returned = set(
            (
                await session.execute(
                    select(ReturnedLine.sale_line_id).where(
                        ReturnedLine.sale_line_id.in_([line.id for line, _ in rows])
                    )
                )
            ).scalars()
        )
        taken: list[tuple[SaleLine, Device]] = []
        for code in wanted:
            device = await devices.get_by_code(session, code)
            if device.code not in by_code:
                raise Invalid(texts.not_in_sale(device.code, sale.facts["receipt"]))
            line, _ = by_code[device.code]
            if line.id in returned:
                raise AlreadyReturned(texts.already_returned(device.code))
            taken.append((line, device))
        worth = sum(line.price_cents for line, _ in taken)
        refund = sum(p.amount_cents for p in refunds)
        if outcome == "refund":
            paid = sale_rules.payment_refusal(refund, refunds) if refunds else texts.REFUND_NEEDS_PAYMENT
            if paid:
                raise Invalid(paid)
            if refund > worth:
                raise Invalid(texts.refund_too_high(formats.euros_plain(refund), formats.euros_plain(worth)))
        open_till = await till.open_till_of(session, sale.site_id) if refunds else None
        if refunds and open_till is None:
            raise NoTillOpen(texts.NO_TILL_OPEN)
        if open_till is not None:
            await till.lock_open(session, open_till.id)
        for _, device in taken:
            await devices.move(
                session,
                device,
                Action.RETURN_UNDER_WARRANTY,
                actor,
                data={"receipt": sale.facts["receipt"], "outcome": outcome},
                note=reason.strip()[:500],
            )
        year = today.year
        number = await next_number(session, "credit_note", year)
        record = SaleReturn(
            sale_id=sale.id,
            year=year,
            number=number,
            outcome=outcome,
            refund_cents=refund,
            till_session_id=open_till.id if open_till else None,
            at=now,
            **actor.columns(),
            reason=reason.strip()[:2000],
            facts={
                "credit_note": credit_note_code(year, number),
                "receipt": sale.facts["receipt"],
                "at": now.isoformat(timespec="seconds"),
                "devices": [d.code for _, d in taken],
                "refunds": [{"method": p.method, "amount_cents": p.amount_cents} for p in refunds],
            },
        )
        session.add(record)
        await session.flush()
        session.add_all(ReturnedLine(sale_line_id=line.id, return_id=record.id) for line, _ in taken)
        session.add_all(
            RefundPayment(return_id=record.id, method=p.method, amount_cents=p.amount_cents) for p in refunds
        )
        await session.flush()
        return record


def guarantee_ends(sold: datetime, years: int) -> datetime:
    try:
        return sold.replace(year=sold.year + years)
    except ValueError:  # 29 February
        return sold.replace(year=sold.year + years, day=28)
