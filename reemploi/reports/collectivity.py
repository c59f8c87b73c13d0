"""A collectivity's report for a period: what it gave, what became of it (REEN), the data erased, what it
bought from the workshop (AGEC art. 58), its residents equipped, the environmental impact.

Every figure is computed by the database (GROUP BY over the period's rows, on SQLite and PostgreSQL
alike); Python only names and orders the few grouped rows. The period is in the workshop's time zone:
a day starts at midnight in Paris, not in UTC."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import and_, case, distinct, exists, extract, func, or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from reemploi import rules, texts
from reemploi.certificates.models import Certificate
from reemploi.collections.models import Collection
from reemploi.db import utcnow
from reemploi.devices.lifecycle import OUTCOME_OF, State
from reemploi.devices.models import Device, counted
from reemploi.partners import service as partners
from reemploi.partners.models import Partner, PartnerCommune
from reemploi.recycling.models import RecyclingLot, RecyclingLotDevice
from reemploi.sales.models import Beneficiary, ReturnedLine, Sale, SaleLine
from reemploi.scope import EVERYTHING, Scope
from reemploi.workshop.models import Erasure

REUSED_STATES = [State.SOLD.value, State.DONATED.value, State.SOLD_TO_ORGANISATION.value]


@dataclass(frozen=True, slots=True)
class Period:
    start: date
    end: date  # included
    timezone: str

    @property
    def start_at(self) -> datetime:
        return datetime.combine(self.start, time.min, ZoneInfo(self.timezone))

    @property
    def end_before(self) -> datetime:  # the first moment after the period
        return datetime.combine(self.end + timedelta(days=1), time.min, ZoneInfo(self.timezone))


def _by_category(column: Any, values: dict[str, Any], default: Any) -> Any:
    return case(values, value=column, else_=default)


def _estimated_g() -> Any:
    weights = rules.unit_weights_g()
    return _by_category(Device.category, weights, weights["other"])


def _weight_g() -> Any:
    """Each device's grams: weighed, else its category's median unit weight."""
    return func.coalesce(Device.weight_g, _estimated_g())


def _over_ten_years() -> Any:
    return and_(
        Device.year.is_not(None), extract("year", Collection.collected_on) - Device.year > rules.max_reuse_age_years()
    )


async def report(session: AsyncSession, partner_id: int, period: Period, scope: Scope = EVERYTHING) -> dict[str, Any]:
    partner = await partners.get(session, partner_id, scope)
    given = and_(
        Collection.donor_id == partner.id,
        Collection.collected_on >= period.start,
        Collection.collected_on <= period.end,
    )
    in_period = and_(Sale.at >= period.start_at, Sale.at < period.end_before)
    return {
        "partner": {"id": partner.id, "name": partner.name, "siren": partner.siren, "siret": partner.siret},
        **await _sections(session, given, in_period, period, _territory(partner)),
        "purchases": await _purchases(session, partner, in_period, period),
    }


async def workshop_report(session: AsyncSession, period: Period, site_id: int | None = None) -> dict[str, Any]:
    """The same figures for the whole workshop (every donor, every buyer, every resident), or one site."""
    given = and_(
        Collection.collected_on >= period.start,
        Collection.collected_on <= period.end,
        *([Collection.site_id == site_id] if site_id else []),
    )
    in_period = and_(
        Sale.at >= period.start_at, Sale.at < period.end_before, *([Sale.site_id == site_id] if site_id else [])
    )
    sections = await _sections(session, given, in_period, period, true())
    sections["purchases"] = {
        "by_product_type": await _purchase_lines(session, Sale.buyer_partner_id.is_not(None), in_period),
        "datagouv": [],
    }
    return {"partner": None, "site_id": site_id, **sections}


async def _sections(
    session: AsyncSession, given: Any, in_period: Any, period: Period, territory: Any
) -> dict[str, Any]:
    return {
        "period": {"from": period.start.isoformat(), "to": period.end.isoformat(), "timezone": period.timezone},
        "as_of": utcnow().isoformat(timespec="seconds"),
        "given": await _given(session, given),
        "outcomes": await _outcomes(session, given),
        "erasure": await _erasure(session, given),
        "residents": await _residents(session, territory, in_period),
        "environment": await _environment(session, given),
    }


async def _given(session: AsyncSession, given: Any) -> dict[str, Any]:
    collections = (await session.execute(select(func.count()).select_from(Collection).where(given))).scalar_one()
    rows = (
        await session.execute(
            select(
                Device.category,
                func.count(),
                func.coalesce(func.sum(Device.weight_g), 0),
                func.count(Device.weight_g),
                func.coalesce(func.sum(case((Device.weight_g.is_(None), _estimated_g()), else_=0)), 0),
            )
            .join(Collection, Collection.id == Device.collection_id)
            .where(given, counted())
            .group_by(Device.category)
            .order_by(Device.category)
        )
    ).all()
    by_category = [
        {
            "category": c,
            "deee": rules.deee_category(c),
            "devices": n,
            "weighed_devices": wn,
            "weighed_kg": wg / 1000,
            "estimated_devices": n - wn,
            "estimated_kg": eg / 1000,
        }
        for c, n, wg, wn, eg in rows
    ]
    by_deee: dict[int, dict[str, Any]] = {}
    for row in by_category:
        slot = by_deee.setdefault(row["deee"], {"deee": row["deee"], "devices": 0, "kg": 0.0})
        slot["devices"] += row["devices"]
        slot["kg"] = round(slot["kg"] + row["weighed_kg"] + row["estimated_kg"], 3)
    return {
        "collections": collections,
        "devices": sum(r["devices"] for r in by_category),
        "weighed_kg": round(sum(r["weighed_kg"] for r in by_category), 3),
        "estimated_kg": round(sum(r["estimated_kg"] for r in by_category), 3),
        "by_category": by_category,
        "by_deee": sorted(by_deee.values(), key=lambda r: r["deee"]),
        "unit_weights_source": rules.unit_weights_source(),
    }


async def _outcomes(session: AsyncSession, given: Any) -> dict[str, Any]:
    old = _over_ten_years()
    rows = (
        await session.execute(
            select(Device.state, func.count(), func.count().filter(old))
            .join(Collection, Collection.id == Device.collection_id)
            .where(given, counted())
            .group_by(Device.state)
        )
    ).all()
    by_state = {state: (n, n_old) for state, n, n_old in rows}
    by_outcome: dict[str, int] = {}
    for state, (n, _) in by_state.items():
        outcome = OUTCOME_OF[State(state)]
        by_outcome[outcome] = by_outcome.get(outcome, 0) + n
    recyclers = (
        await session.execute(
            select(RecyclingLot.eco_organism, func.count())
            .join(RecyclingLotDevice, RecyclingLotDevice.lot_id == RecyclingLot.id)
            .join(Device, Device.id == RecyclingLotDevice.device_id)
            .join(Collection, Collection.id == Device.collection_id)
            .where(given)
            .group_by(RecyclingLot.eco_organism)
            .order_by(RecyclingLot.eco_organism)
        )
    ).all()
    units = sum(n for n, _ in by_state.values())
    old_units = sum(o for _, o in by_state.values())
    reused = sum(by_state.get(s, (0, 0))[0] - by_state.get(s, (0, 0))[1] for s in REUSED_STATES)
    reen_units = units - old_units
    return {
        "by_outcome": [{"outcome": o, "devices": by_outcome[o]} for o in sorted(by_outcome)],
        "reused_by_state": [{"state": s, "devices": by_state[s][0]} for s in REUSED_STATES if s in by_state],
        "recycled_by_eco_organism": [{"eco_organism": e, "devices": n} for e, n in recyclers],
        "reen": {
            "units": reen_units,
            "reused": reused,
            "share": round(reused / reen_units, 4) if reen_units else None,
            "over_10_years": old_units,
            "source": rules.reuse_age_source(),
        },
    }


async def _erasure(session: AsyncSession, given: Any) -> dict[str, Any]:
    devices_given = select(Device.id).join(Collection, Collection.id == Device.collection_id).where(given, counted())
    collections_given = select(Collection.id).where(given)
    done = (
        await session.execute(
            select(
                func.count(distinct(Erasure.medium_id)).filter(Erasure.level != "destroy"),
                func.count(distinct(Erasure.medium_id)).filter(Erasure.level == "destroy"),
            ).where(Erasure.result == "success", Erasure.device_id.in_(devices_given))
        )
    ).one()
    certificates = (
        await session.execute(
            select(func.count())
            .select_from(Certificate)
            .where(
                Certificate.kind != "attestation",
                or_(Certificate.device_id.in_(devices_given), Certificate.collection_id.in_(collections_given)),
            )
        )
    ).scalar_one()
    return {"media_erased": done[0], "media_destroyed": done[1], "certificates": certificates}


def _kept() -> Any:
    return ~exists().where(ReturnedLine.sale_line_id == SaleLine.id)


async def _purchase_lines(session: AsyncSession, buyer: Any, in_period: Any) -> list[dict[str, Any]]:
    rows = (
        await session.execute(
            select(SaleLine.category, func.count(), func.sum(SaleLine.ht_cents))
            .join(Sale, Sale.id == SaleLine.sale_id)
            .where(Sale.kind == "organisation", buyer, in_period, _kept())
            .group_by(SaleLine.category)
        )
    ).all()
    by_type: dict[str, dict[str, Any]] = {}
    for category, n, ht in rows:
        label = rules.agec_product_type(category)
        slot = by_type.setdefault(label, {"type_produit_acquis": label, "devices": 0, "ht_cents": 0})
        slot["devices"] += n
        slot["ht_cents"] += int(ht or 0)
    return sorted(by_type.values(), key=lambda r: r["type_produit_acquis"])


async def _purchases(session: AsyncSession, partner: Partner, in_period: Any, period: Period) -> dict[str, Any]:
    lines = await _purchase_lines(session, Sale.buyer_partner_id == partner.id, in_period)
    return {"by_product_type": lines, "datagouv": datagouv_rows(partner, period, lines)}


def datagouv_rows(partner: Partner, period: Period, lines: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows the collectivity files on data.gouv.fr for what it bought here (one per product type). The
    workshop knows only its own sales: `montant_total` must be completed with the buyer's other purchases."""
    rows = []
    for line in lines:
        euros = round(line["ht_cents"] / 100, 2)
        rows.append(
            dict(
                zip(
                    rules.datagouv_columns(),
                    [
                        period.end.year,
                        partner.siret or "",
                        partner.name,
                        line["type_produit_acquis"],
                        euros,
                        euros,
                        0,
                        0,
                        texts.datagouv_comment(line["devices"]),
                    ],
                    strict=True,
                )
            )
        )
    return rows


def _territory(partner: Partner) -> Any:
    """Its residents: beneficiaries whose commune is one of its territory's, or its own."""
    communes = select(PartnerCommune.insee_code).where(PartnerCommune.partner_id == partner.id)
    return or_(Beneficiary.commune_insee.in_(communes), Beneficiary.commune_insee == partner.insee_code)


async def _residents(session: AsyncSession, territory: Any, in_period: Any) -> dict[str, Any]:
    rows = (
        await session.execute(
            select(
                SaleLine.category,
                Beneficiary.age_band,
                Beneficiary.eligibility_reason,
                Sale.kind,
                func.count(),
                func.sum(SaleLine.price_cents),
            )
            .join(Sale, Sale.id == SaleLine.sale_id)
            .join(Beneficiary, Beneficiary.id == Sale.beneficiary_id)
            .where(Sale.kind.in_(["sale", "donation"]), territory, in_period, _kept())
            .group_by(SaleLine.category, Beneficiary.age_band, Beneficiary.eligibility_reason, Sale.kind)
        )
    ).all()
    people = (
        await session.execute(
            select(func.count(distinct(Sale.beneficiary_id)))
            .join(Beneficiary, Beneficiary.id == Sale.beneficiary_id)
            .where(Sale.kind.in_(["sale", "donation"]), territory, in_period)
        )
    ).scalar_one()

    def tally(index: int) -> list[dict[str, Any]]:
        counts: dict[str, int] = {}
        for row in rows:
            key = str(row[index] or "unknown")
            counts[key] = counts.get(key, 0) + row[4]
        return [{"key": k, "devices": counts[k]} for k in sorted(counts)]

    sold = [(n, cents) for _, _, _, kind, n, cents in rows if kind == "sale"]
    sold_units, sold_cents = sum(n for n, _ in sold), sum(int(c or 0) for _, c in sold)
    return {
        "people": people,
        "devices": sum(r[4] for r in rows),
        "donated": sum(r[4] for r in rows if r[3] == "donation"),
        "by_category": tally(0),
        "by_age_band": tally(1),
        "by_eligibility": tally(2),
        "average_price_cents": round(sold_cents / sold_units) if sold_units else None,
    }


async def _environment(session: AsyncSession, given: Any) -> dict[str, Any]:
    rows = (
        await session.execute(
            select(Device.category, func.count(), func.sum(_weight_g()))
            .join(Collection, Collection.id == Device.collection_id)
            .where(given, Device.state.in_(REUSED_STATES))
            .group_by(Device.category)
        )
    ).all()
    factors = rules.co2_factors()
    avoided = sum(factors.get(c, 0) * n for c, n, _ in rows)
    return {
        "kg_kept_from_waste": round(sum(int(g or 0) for _, _, g in rows) / 1000, 3),
        "kg_co2e_avoided": round(avoided, 1),
        "not_counted": sorted(c for c, _, _ in rows if c not in factors),
        "factors": factors,
        "source": rules.co2_source(),
        "weights_source": rules.unit_weights_source(),
    }
