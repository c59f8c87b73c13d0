"""Till sessions: opened with a counted float, cash put in or taken out with a reason, closed with
what was expected and what was counted per payment method. A closed session is never changed."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from reemploi import texts
from reemploi.actors import Actor
from reemploi.db import utcnow, write_transaction
from reemploi.errors import Invalid, NotFound, TillAlreadyOpen, TillClosed
from reemploi.sales import rules as sale_rules
from reemploi.sales.models import RefundPayment, Sale, SalePayment, SaleReturn, TillMovement, TillSession
from reemploi.sites import service as sites

MAX_CENTS = 10_000_000  # 100,000 € in a till is a typing error


async def open_till(session: AsyncSession, site_id: int, float_cents: int, actor: Actor) -> TillSession:
    if not 0 <= float_cents <= MAX_CENTS:
        raise Invalid(texts.BAD_PRICE)
    try:
        async with write_transaction(session):
            await sites.get(session, site_id)
            till = TillSession(
                site_id=site_id, opened_at=utcnow(), opened_by=actor.label, opening_float_cents=float_cents
            )
            session.add(till)
            await session.flush()
            return till
    except IntegrityError:  # the partial unique index: one open till per site
        already = (
            await session.execute(
                select(TillSession.id).where(TillSession.site_id == site_id, TillSession.closed_at.is_(None))
            )
        ).scalar()
        await session.rollback()
        raise TillAlreadyOpen(texts.TILL_ALREADY_OPEN, till_id=already) from None


async def get(session: AsyncSession, session_id: int) -> TillSession:
    till = await session.get(TillSession, session_id)
    if till is None:
        raise NotFound(texts.till_unknown(session_id))
    return till


async def recent(session: AsyncSession, site_id: int, limit: int = 10) -> list[TillSession]:
    """A site's last till sessions, newest first (their Z reports)."""
    return list(
        (
            await session.execute(
                select(TillSession).where(TillSession.site_id == site_id).order_by(TillSession.id.desc()).limit(limit)
            )
        ).scalars()
    )


async def open_till_of(session: AsyncSession, site_id: int) -> TillSession | None:
    return (
        await session.execute(
            select(TillSession).where(TillSession.site_id == site_id, TillSession.closed_at.is_(None))
        )
    ).scalar_one_or_none()


async def lock_open(session: AsyncSession, session_id: int) -> TillSession:
    """The till, locked until the end of the caller's transaction, and still open."""
    locked = (
        await session.execute(
            update(TillSession).where(TillSession.id == session_id).values(id=TillSession.id).returning(TillSession.id)
        )
    ).scalar_one_or_none()
    if locked is None:
        raise NotFound(texts.till_unknown(session_id))
    till = await session.get(TillSession, session_id, populate_existing=True)
    assert till is not None
    if till.closed_at is not None:
        raise TillClosed(texts.till_closed(session_id))
    return till


async def move_cash(
    session: AsyncSession, session_id: int, direction: str, cents: int, reason: str, actor: Actor
) -> TillMovement:
    if direction not in ("in", "out"):
        raise Invalid(texts.unknown_choice(texts.RECEPTION["direction"], direction, ["in", "out"]))
    if not 0 < cents <= MAX_CENTS:
        raise Invalid(texts.PAYMENT_NOT_POSITIVE)
    if not reason.strip():
        raise Invalid(texts.MOVEMENT_NEEDS_REASON)
    async with write_transaction(session):
        await lock_open(session, session_id)
        movement = TillMovement(
            session_id=session_id,
            at=utcnow(),
            **actor.columns(),
            direction=direction,
            amount_cents=cents,
            reason=reason.strip()[:500],
        )
        session.add(movement)
        await session.flush()
        return movement


async def expected(session: AsyncSession, till: TillSession) -> dict[str, int]:
    payments = (
        await session.execute(
            select(SalePayment.method, SalePayment.amount_cents)
            .join(Sale, Sale.id == SalePayment.sale_id)
            .where(Sale.till_session_id == till.id)
        )
    ).all()
    refunds = (
        await session.execute(
            select(RefundPayment.method, RefundPayment.amount_cents)
            .join(SaleReturn, SaleReturn.id == RefundPayment.return_id)
            .where(SaleReturn.till_session_id == till.id)
        )
    ).all()
    movements = (
        await session.execute(
            select(TillMovement.direction, TillMovement.amount_cents).where(TillMovement.session_id == till.id)
        )
    ).all()
    return sale_rules.till_expected(
        till.opening_float_cents,
        [
            *(sale_rules.Payment(method, cents) for method, cents in payments),
            *(sale_rules.Payment(method, -cents) for method, cents in refunds),
        ],
        [(d, c) for d, c in movements],
    )


@dataclass(frozen=True, slots=True)
class Closed:
    till: TillSession
    differences: dict[str, int]  # counted − expected, per method


async def close_till(
    session: AsyncSession, session_id: int, counted: dict[str, int], actor: Actor, note: str = ""
) -> Closed:
    for method, cents in counted.items():
        if method not in texts.PAYMENT_METHODS:
            raise Invalid(texts.unknown_choice(texts.RECEPTION["method"], method, texts.PAYMENT_METHODS))
        if not 0 <= cents <= MAX_CENTS:
            raise Invalid(texts.BAD_PRICE)
    async with write_transaction(session):
        till = await lock_open(session, session_id)
        should = await expected(session, till)
        full = {method: counted.get(method, 0) for method in should}
        till.expected, till.counted, till.note = should, full, note.strip()[:2000]
        till.closed_at, till.closed_by = utcnow(), actor.label
        await session.flush()
        return Closed(till, {m: full[m] - should[m] for m in should})


@dataclass(frozen=True, slots=True)
class Report:
    """A till's day: what the Z report (closed) or X report (still open) prints."""

    till: TillSession
    site_name: str
    sales: list[Sale]
    refunds: list[tuple[SaleReturn, list[RefundPayment]]]
    movements: list[TillMovement]
    taken: dict[str, int]  # payments by method
    expected: dict[str, int]


async def report(session: AsyncSession, session_id: int) -> Report:
    from reemploi.sites.models import Site

    till = await get(session, session_id)
    site = await session.get(Site, till.site_id)
    sales = list(
        (
            await session.execute(select(Sale).where(Sale.till_session_id == till.id).order_by(Sale.year, Sale.number))
        ).scalars()
    )
    taken: dict[str, int] = {}
    for sale in sales:
        for payment in sale.facts["payments"]:
            taken[payment["method"]] = taken.get(payment["method"], 0) + payment["amount_cents"]
    returns = list(
        (
            await session.execute(
                select(SaleReturn).where(SaleReturn.till_session_id == till.id).order_by(SaleReturn.id)
            )
        ).scalars()
    )
    refund_rows = (
        (
            await session.execute(
                select(RefundPayment)
                .where(RefundPayment.return_id.in_([r.id for r in returns]))
                .order_by(RefundPayment.id)
            )
        )
        .scalars()
        .all()
        if returns
        else []
    )
    movements = list(
        (
            await session.execute(
                select(TillMovement).where(TillMovement.session_id == till.id).order_by(TillMovement.id)
            )
        ).scalars()
    )
    return Report(
        till,
        site.name if site else "",
        sales,
        [(r, [p for p in refund_rows if p.return_id == r.id]) for r in returns],
        movements,
        taken,
        till.expected or await expected(session, till),
    )
