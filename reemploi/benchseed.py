"""`reemploi bench seed --devices N`: a large, realistic workshop for the benchmarks, written in bulk.

Partners (collectivities with their communes, companies), collections over three years, devices in a
realistic mix of states with the events of their path, storage media and erasures, recycling lots,
beneficiaries, sales to people and invoices to organisations. Every row is one the application could
have written (the same tables, states reached by allowed steps); they are inserted in batches of
10,000, not through the services, so that a million devices take minutes, not hours. Deterministic
for a given seed."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import func, insert, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from reemploi import rules
from reemploi.collections.models import Collection
from reemploi.db import dialect_name
from reemploi.devices.codes import make_code, next_numbers
from reemploi.devices.lifecycle import State, next_state
from reemploi.devices.models import Device, DeviceEvent
from reemploi.partners.models import Partner, PartnerCommune
from reemploi.recycling.models import RecyclingLot, RecyclingLotDevice
from reemploi.sales.models import Beneficiary, DocumentSequence, Sale, SaleLine, SalePayment
from reemploi.sites.models import Site
from reemploi.workshop.models import Erasure, StorageMedium

BATCH = 10_000
# The share of devices in each state once a workshop has run for three years.
STATE_MIX = {
    State.SOLD: 30,
    State.DONATED: 5,
    State.SOLD_TO_ORGANISATION: 4,
    State.READY: 8,
    State.RESERVED: 1,
    State.GRADED: 3,
    State.ERASURE: 3,
    State.DIAGNOSIS: 6,
    State.REPAIR: 2,
    State.RECEIVED: 5,
    State.COLLECTED: 3,
    State.RECYCLED: 14,
    State.DISMANTLED: 6,
    State.RETURNED_TO_DONOR: 3,
    State.LOST: 1,
    State.RETURNED: 1,
}
CATEGORY_MIX = {
    "laptop": 40,
    "desktop": 18,
    "screen": 20,
    "smartphone": 8,
    "tablet": 5,
    "printer": 3,
    "all_in_one": 2,
    "peripheral": 2,
    "network": 1,
    "multifunction_printer": 1,
}
AFTER_ERASURE = {
    State.GRADED,
    State.READY,
    State.RESERVED,
    State.SOLD,
    State.DONATED,
    State.SOLD_TO_ORGANISATION,
    State.RETURNED,
}
COMMUNES = [f"69{n:03d}" for n in range(1, 300)]


async def _bulk(session: AsyncSession, table: Any, rows: Iterator[dict[str, Any]], done: Callable[[int], None]) -> int:
    count, batch = 0, []
    for row in rows:
        batch.append(row)
        if len(batch) == BATCH:
            await session.execute(insert(table), batch)
            count += len(batch)
            done(count)
            batch = []
    if batch:
        await session.execute(insert(table), batch)
        count += len(batch)
        done(count)
    return count


async def seed(
    session: AsyncSession, devices: int, seed: int = 2026, progress: Callable[[str, int], None] | None = None
) -> dict[str, int]:
    """Add `devices` devices (and all that goes with them) to the database, in one transaction."""
    from reemploi.demo import shortest_paths

    rng = random.Random(seed)
    tell = progress or (lambda _what, _n: None)
    paths = shortest_paths()
    now = datetime.now(UTC)
    actor = "bench"
    states, state_weights = list(STATE_MIX), list(STATE_MIX.values())
    categories, category_weights = list(CATEGORY_MIX), list(CATEGORY_MIX.values())
    unit = rules.unit_weights_g()

    first_site = (await session.execute(select(func.max(Site.id)))).scalar() or 0
    site_rows: list[dict[str, Any]] = [
        {
            "id": first_site + 1 + n,
            "code": code,
            "name": f"Atelier banc {code}",
            "address": "",
            "last_device_number": 0,
            "label_template": "brother-ql-62x29",
            "created_at": now,
        }
        for n, code in enumerate(("BNA", "BNB"))
    ]
    await session.execute(insert(Site.__table__), site_rows)
    site_ids = [r["id"] for r in site_rows]

    first_partner = (await session.execute(select(func.max(Partner.id)))).scalar() or 0
    partners, communes = [], []
    for n in range(60):
        pid = first_partner + 1 + n
        kind = "collectivity" if n < 40 else "company"
        insee = COMMUNES[n] if kind == "collectivity" else None
        partners.append(
            {
                "id": pid,
                "kind": kind,
                "name": f"{'Commune' if kind == 'collectivity' else 'Société'} banc {n:02d}",
                "siren": None,
                "siret": None,
                "insee_code": insee,
                "address": "",
                "contact_name": "",
                "email": "",
                "phone": "",
                "created_at": now,
            }
        )
        if kind == "collectivity":
            communes += [{"partner_id": pid, "insee_code": c} for c in {insee, *rng.sample(COMMUNES, 3)}]
    await session.execute(insert(Partner.__table__), partners)
    await session.execute(insert(PartnerCommune.__table__), communes)
    # A few large donors: the first collectivity gives a tenth of everything.
    donor_weights = [60 if n == 0 else (8 if n < 10 else 2) for n in range(len(partners))]

    first_collection = (await session.execute(select(func.max(Collection.id)))).scalar() or 0
    collection_count = max(1, devices // 100)
    start = date(2024, 1, 2)
    collections: list[dict[str, Any]] = []
    for n in range(collection_count):
        donor = rng.choices(partners, donor_weights)[0]
        collections.append(
            {
                "id": first_collection + 1 + n,
                "donor_id": donor["id"],
                "site_id": rng.choice(site_ids),
                "collected_on": start + timedelta(days=rng.randrange(0, 1060)),
                "pickup_address": "",
                "declared_weight_g": None,
                "weighed_weight_g": None,
                "notes": "",
                "created_at": now,
            }
        )
    await session.execute(insert(Collection.__table__), collections)
    tell("collections", collection_count)

    first_device = (await session.execute(select(func.max(Device.id)))).scalar() or 0
    first_person = (await session.execute(select(func.max(Beneficiary.id)))).scalar() or 0
    numbers = dict.fromkeys(site_ids, 0)
    codes_of = {r["id"]: r["code"] for r in site_rows}
    plan: list[tuple[int, dict[str, Any], State]] = []
    for n in range(devices):
        collection = collections[rng.randrange(collection_count)]
        state = rng.choices(states, state_weights)[0]
        category = rng.choices(categories, category_weights)[0]
        site_code = codes_of[collection["site_id"]]
        numbers[collection["site_id"]] = next_numbers(site_code, numbers[collection["site_id"]], 1)[0]
        collected = datetime.combine(collection["collected_on"], datetime.min.time(), UTC) + timedelta(hours=9)
        year = collection["collected_on"].year - rng.choice([2, 3, 4, 5, 6, 7, 8, 9, 11, 12])
        plan.append(
            (
                first_device + 1 + n,
                {
                    "id": first_device + 1 + n,
                    "code": make_code(site_code, numbers[collection["site_id"]]),
                    "site_id": collection["site_id"],
                    "collection_id": collection["id"],
                    "category": category,
                    "manufacturer": rng.choice(["Lenovo", "HP", "Dell", "Apple", "Samsung", "Acer"]),
                    "model": "Modèle banc",
                    "serial": f"BN{n:09d}",
                    "asset_tag": None,
                    "year": year,
                    "weight_g": round(unit.get(category, 1000) * rng.uniform(0.8, 1.2)) if rng.random() < 0.7 else None,
                    "specs": {},
                    "grade": rng.choice("AAABBC") if state in AFTER_ERASURE else None,
                    "price_cents": rng.choice([3000, 6000, 9500, 12000, 15000]) if state in AFTER_ERASURE else None,
                    "location": "",
                    "state": state.value,
                    "version": 1 + len(paths[state]),
                    "created_at": collected,
                    "updated_at": collected + timedelta(days=len(paths[state]) * 3),
                },
                state,
            )
        )
    await _bulk(session, Device.__table__, (row for _, row, _ in plan), lambda c: tell("devices", c))
    for sid in site_ids:
        await session.execute(Site.__table__.update().where(Site.id == sid).values(last_device_number=numbers[sid]))

    def events() -> Iterator[dict[str, Any]]:
        for device_id, row, state in plan:
            at = row["created_at"]
            yield {
                "device_id": device_id,
                "version": 1,
                "at": at,
                "actor": actor,
                "actor_user_id": None,
                "actor_token_id": None,
                "action": "register",
                "from_state": None,
                "to_state": "collected",
                "data": {"collection_id": row["collection_id"]},
                "note": "",
            }
            current = State.COLLECTED
            for version, action in enumerate(paths[state], start=2):
                at = at + timedelta(days=3)
                target = next_state(current, action)
                yield {
                    "device_id": device_id,
                    "version": version,
                    "at": at,
                    "actor": actor,
                    "actor_user_id": None,
                    "actor_token_id": None,
                    "action": action.value,
                    "from_state": current.value,
                    "to_state": target.value,
                    "data": {},
                    "note": "",
                }
                current = target

    await _bulk(session, DeviceEvent.__table__, events(), lambda c: tell("events", c))

    storage = set(rules.figures()["erasure"]["storage_required"])
    first_medium = (await session.execute(select(func.max(StorageMedium.id)))).scalar() or 0
    erased = [
        (device_id, row) for device_id, row, state in plan if state in AFTER_ERASURE and row["category"] in storage
    ]
    await _bulk(
        session,
        StorageMedium.__table__,
        (
            {
                "id": first_medium + 1 + n,
                "device_id": device_id,
                "kind": "ssd",
                "model": "SSD banc",
                "serial": None,
                "capacity_bytes": 256_000_000_000,
                "origin": "original",
                "report_id": None,
                "created_at": row["created_at"],
            }
            for n, (device_id, row) in enumerate(erased)
        ),
        lambda c: tell("media", c),
    )
    await _bulk(
        session,
        Erasure.__table__,
        (
            {
                "medium_id": first_medium + 1 + n,
                "device_id": device_id,
                "level": "purge",
                "technique": "ata_secure_erase",
                "tool": "hdparm",
                "tool_version": "9.65",
                "passes": None,
                "verification": "full",
                "result": "success",
                "started_at": row["created_at"] + timedelta(days=6),
                "ended_at": row["created_at"] + timedelta(days=6, hours=1),
                "warning": "",
                "note": "",
                "actor": actor,
                "actor_user_id": None,
                "actor_token_id": None,
                "recorded_at": row["created_at"] + timedelta(days=6, hours=1),
            }
            for n, (device_id, row) in enumerate(erased)
        ),
        lambda c: tell("erasures", c),
    )

    first_lot = (await session.execute(select(func.max(RecyclingLot.id)))).scalar() or 0
    recycled = [(device_id, row) for device_id, row, state in plan if state is State.RECYCLED]
    lots = [
        {
            "id": first_lot + 1 + n,
            "site_id": site_ids[n % 2],
            "eco_organism": rng.choice(["ecosystem", "Ecologic"]),
            "deee_category": None,
            "slip_number": f"BSD-{n:05d}",
            "weight_g": 500_000,
            "shipped_on": start + timedelta(days=30 * (n // 2)),
            "note": "",
            "created_at": now,
            "actor": actor,
            "closed_at": now,
        }
        for n in range(max(2, len(recycled) // 2000 * 2))
    ]
    await session.execute(insert(RecyclingLot.__table__), lots)
    by_site = {sid: [lot["id"] for lot in lots if lot["site_id"] == sid] for sid in site_ids}
    await _bulk(
        session,
        RecyclingLotDevice.__table__,
        ({"lot_id": rng.choice(by_site[row["site_id"]]), "device_id": d} for d, row in recycled),
        lambda c: tell("recycled", c),
    )

    sold = [
        (device_id, row, state)
        for device_id, row, state in plan
        if state in (State.SOLD, State.DONATED, State.SOLD_TO_ORGANISATION)
    ]
    people = max(1, len(sold) * 3 // 4)
    await _bulk(
        session,
        Beneficiary.__table__,
        (
            {
                "id": first_person + 1 + n,
                "number": f"BB{n:09d}"[:12],
                "name": f"Personne banc {n}",
                "name_key": f"personne banc {n}",
                "contact": None,
                "commune_insee": rng.choice(COMMUNES),
                "age_band": rng.choice(rules.sales()["age_bands"]),
                "eligibility_reason": rng.choice(rules.sales()["eligibility_reasons"]),
                "eligibility_verified_by": "CCAS",
                "eligible_until": date(2027, 12, 31),
                "referrer": "CCAS",
                "referred_on": None,
                "created_at": now,
                "last_activity_at": now,
                "anonymised_at": None,
            }
            for n in range(people)
        ),
        lambda c: tell("beneficiaries", c),
    )
    first_sale = (await session.execute(select(func.max(Sale.id)))).scalar() or 0
    counters: dict[tuple[str, int], int] = {}
    sales, lines, payments = [], [], []
    buyers = [p["id"] for p in partners]
    for n, (device_id, row, state) in enumerate(sold):
        sale_id = first_sale + 1 + n
        at = row["updated_at"]
        organisation = state is State.SOLD_TO_ORGANISATION
        series = "invoice" if organisation else "receipt"
        counters[(series, at.year)] = counters.get((series, at.year), 0) + 1
        number = counters[(series, at.year)]
        price = 0 if state is State.DONATED else row["price_cents"] or 0
        sales.append(
            {
                "id": sale_id,
                "year": at.year,
                "number": number,
                "series": series,
                "kind": "organisation" if organisation else ("donation" if state is State.DONATED else "sale"),
                "site_id": row["site_id"],
                "till_session_id": None,
                "beneficiary_id": None if organisation else first_person + 1 + rng.randrange(people),
                "buyer_partner_id": rng.choice(buyers) if organisation else None,
                "at": at,
                "actor": actor,
                "actor_user_id": None,
                "total_cents": price,
                "quota_override": "",
                "facts": {"receipt": f"{at.year}-{number:06d}"},
            }
        )
        lines.append(
            {
                "sale_id": sale_id,
                "device_id": device_id,
                "category": row["category"],
                "price_cents": price,
                "ht_cents": price,
            }
        )
        if price:
            payments.append(
                {"sale_id": sale_id, "method": rng.choice(["cash", "card"]), "amount_cents": price, "reference": ""}
            )
    await _bulk(session, Sale.__table__, iter(sales), lambda c: tell("sales", c))
    await _bulk(session, SaleLine.__table__, iter(lines), lambda c: tell("sale lines", c))
    await _bulk(session, SalePayment.__table__, iter(payments), lambda c: tell("payments", c))
    for (series, year), last in counters.items():
        await session.execute(insert(DocumentSequence.__table__).values(kind=series, year=year, last_number=last))
    if dialect_name(session) == "postgresql":  # the ids were given: move the sequences past them
        for table in (
            "sites",
            "partners",
            "collections",
            "devices",
            "device_events",
            "storage_media",
            "erasures",
            "recycling_lots",
            "beneficiaries",
            "sales",
            "sale_lines",
            "sale_payments",
        ):
            await session.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT COALESCE(max(id), 1) FROM {table}))"
                )
            )
    await session.commit()
    return {
        "devices": devices,
        "events": sum(1 + len(paths[s]) for _, _, s in plan),
        "collections": collection_count,
        "media": len(erased),
        "sales": len(sales),
        "beneficiaries": people,
        "recycled": len(recycled),
    }
