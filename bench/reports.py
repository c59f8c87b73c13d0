"""Benchmark: one collectivity's yearly report on a large PostgreSQL database.

    .venv/bin/python bench/reports.py                    # 1,000,000 devices (about 15 minutes with the seeding)
    .venv/bin/python bench/reports.py --devices 100000   # a quicker look

Builds a throwaway PostgreSQL database (the machine's binaries, as the tests do), migrates it, fills it
with `reemploi bench seed --devices N` (devices, their events, media and erasures, lots, beneficiaries,
sales), then, in this one process, times for the biggest donor and its busiest year:
- the report as the API serves it (reemploi.reports.collectivity.report, encoded to JSON);
- the same report as a PDF (the report and its WeasyPrint rendering);
- the baseline: hand-written SQL for the same figures, sent by the raw driver (asyncpg), no ORM;
and checks that the baseline finds the same figures before comparing. Best of 3 after a warm-up;
prints the times and the ratio. Targets (issue 8): JSON ≤ 2 s, PDF ≤ 5 s, ≤ 3× the baseline.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import Skip, _clean_env, _pg_dsn, postgres_database  # noqa: E402

BASELINE = {
    "collections": "SELECT count(*) FROM collections c WHERE c.donor_id = $1 AND c.collected_on BETWEEN $2 AND $3",
    "given": """
        SELECT d.category, count(*), coalesce(sum(d.weight_g), 0), count(d.weight_g)
        FROM devices d JOIN collections c ON c.id = d.collection_id
        WHERE c.donor_id = $1 AND c.collected_on BETWEEN $2 AND $3 GROUP BY d.category""",
    "states": """
        SELECT d.state, count(*), count(*) FILTER (WHERE d.year IS NOT NULL
                                                    AND extract(year FROM c.collected_on) - d.year > 10)
        FROM devices d JOIN collections c ON c.id = d.collection_id
        WHERE c.donor_id = $1 AND c.collected_on BETWEEN $2 AND $3 GROUP BY d.state""",
    "recyclers": """
        SELECT l.eco_organism, count(*) FROM recycling_lot_devices ld
        JOIN recycling_lots l ON l.id = ld.lot_id JOIN devices d ON d.id = ld.device_id
        JOIN collections c ON c.id = d.collection_id
        WHERE c.donor_id = $1 AND c.collected_on BETWEEN $2 AND $3 GROUP BY l.eco_organism""",
    "erasure": """
        SELECT count(DISTINCT e.medium_id) FILTER (WHERE e.level <> 'destroy'),
               count(DISTINCT e.medium_id) FILTER (WHERE e.level = 'destroy')
        FROM erasures e JOIN devices d ON d.id = e.device_id JOIN collections c ON c.id = d.collection_id
        WHERE e.result = 'success' AND c.donor_id = $1 AND c.collected_on BETWEEN $2 AND $3""",
    "certificates": """
        SELECT count(*) FROM certificates x WHERE x.kind <> 'attestation' AND (
          x.device_id IN (SELECT d.id FROM devices d JOIN collections c ON c.id = d.collection_id
                          WHERE c.donor_id = $1 AND c.collected_on BETWEEN $2 AND $3)
          OR x.collection_id IN (SELECT id FROM collections c WHERE c.donor_id = $1 AND c.collected_on BETWEEN $2 AND $3))""",
    "purchases": """
        SELECT l.category, count(*), sum(l.ht_cents) FROM sale_lines l JOIN sales s ON s.id = l.sale_id
        WHERE s.kind = 'organisation' AND s.buyer_partner_id = $1 AND s.at >= $4 AND s.at < $5
          AND $2::date <= $3::date
          AND NOT EXISTS (SELECT 1 FROM returned_lines r WHERE r.sale_line_id = l.id)
        GROUP BY l.category""",
    "residents": """
        SELECT l.category, b.age_band, b.eligibility_reason, s.kind, count(*), sum(l.price_cents)
        FROM sale_lines l JOIN sales s ON s.id = l.sale_id JOIN beneficiaries b ON b.id = s.beneficiary_id
        WHERE s.kind IN ('sale', 'donation') AND s.at >= $4 AND s.at < $5 AND $2::date <= $3::date
          AND (b.commune_insee IN (SELECT insee_code FROM partner_communes WHERE partner_id = $1)
               OR b.commune_insee = (SELECT insee_code FROM partners WHERE id = $1))
          AND NOT EXISTS (SELECT 1 FROM returned_lines r WHERE r.sale_line_id = l.id)
        GROUP BY 1, 2, 3, 4""",
    "environment": """
        SELECT d.category, count(*), sum(d.weight_g) FROM devices d JOIN collections c ON c.id = d.collection_id
        WHERE c.donor_id = $1 AND c.collected_on BETWEEN $2 AND $3
          AND d.state IN ('sold', 'donated', 'sold_to_organisation') GROUP BY d.category""",
}


def seed(url: str, devices: int) -> float:
    env = _clean_env(REEMPLOI_DATABASE_URL=url, REEMPLOI_LOG_LEVEL="warning", COLUMNS="100")
    for args in (["db", "upgrade"], ["bench", "seed", "--devices", str(devices)]):
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "reemploi.cli", *args],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"reemploi {' '.join(args)} failed:\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}")
    return time.perf_counter() - started


async def measure(url: str, rounds: int) -> dict[str, Any]:
    import asyncpg
    import msgspec
    from sqlalchemy.ext.asyncio import async_sessionmaker

    import reemploi.models  # noqa: F401
    from reemploi.db import create_engine
    from reemploi.documents import render_document
    from reemploi.reports import collectivity, views
    from reemploi.settings import Settings

    raw = await asyncpg.connect(_pg_dsn(url))
    await raw.execute("ANALYZE")
    donor, year, count = await raw.fetchrow("""
        SELECT c.donor_id, extract(year FROM c.collected_on)::int, count(*) FROM devices d
        JOIN collections c ON c.id = d.collection_id JOIN partners p ON p.id = c.donor_id
        WHERE p.kind = 'collectivity' GROUP BY 1, 2 ORDER BY 3 DESC LIMIT 1""")
    settings = Settings.from_env({"REEMPLOI_DATABASE_URL": url})
    engine = create_engine(settings)
    sessions = async_sessionmaker(engine, expire_on_commit=False)
    period = collectivity.Period(date(year, 1, 1), date(year, 12, 31), settings.timezone)

    async def ours() -> dict[str, Any]:
        async with sessions() as session:
            report = await collectivity.report(session, donor, period)
        msgspec.json.encode(report)
        return report

    async def pdf() -> bytes:
        report = await ours()
        return render_document(
            "bilan.html",
            report=report,
            charts=views.charts(report),
            workshop="Atelier banc",
            day=lambda iso: date.fromisoformat(iso).strftime("%d/%m/%Y"),
        )

    async def baseline() -> dict[str, list[Any]]:
        args = (donor, period.start, period.end, period.start_at, period.end_before)
        found = {}
        for name, sql in BASELINE.items():
            wanted = args[: 5 if "$5" in sql else 3]
            found[name] = [tuple(r) for r in await raw.fetch(sql, *wanted)]
        return found

    async def best(fn: Any) -> tuple[float, Any]:
        result = await fn()  # warm-up
        times = []
        for _ in range(rounds):
            started = time.perf_counter()
            result = await fn()
            times.append(time.perf_counter() - started)
        return min(times), result

    json_s, report = await best(ours)
    base_s, base = await best(baseline)
    pdf_s, document = await best(pdf)
    # The baseline must find the same figures, or it is no baseline.
    assert report["given"]["devices"] == sum(r[1] for r in base["given"]), "given differs"
    assert report["given"]["collections"] == base["collections"][0][0], "collections differ"
    assert sum(r["devices"] for r in report["outcomes"]["by_outcome"]) == sum(r[1] for r in base["states"])
    assert report["outcomes"]["reen"]["over_10_years"] == sum(r[2] for r in base["states"])
    assert report["residents"]["devices"] == sum(r[4] for r in base["residents"]), "residents differ"
    assert sum(r["ht_cents"] for r in report["purchases"]["by_product_type"]) == sum(
        r[2] or 0 for r in base["purchases"]
    )
    assert report["erasure"]["media_erased"] == base["erasure"][0][0], "erasures differ"
    total = await raw.fetchval("SELECT count(*) FROM devices")
    events = await raw.fetchval("SELECT count(*) FROM device_events")
    server = await raw.fetchval("SHOW server_version")
    await raw.close()
    await engine.dispose()
    return {
        "devices": total,
        "events": events,
        "donor_devices": count,
        "year": year,
        "json_s": json_s,
        "pdf_s": pdf_s,
        "baseline_s": base_s,
        "pdf_bytes": len(document),
        "server": server,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--devices", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=3)
    options = parser.parse_args()
    try:
        with postgres_database() as db:
            print(f"seeding {options.devices:,} devices…", flush=True)
            seeded = seed(db.url, options.devices)
            os.environ.pop("REEMPLOI_DATABASE_URL", None)
            got = asyncio.run(measure(db.url, options.rounds))
    except Skip as why:
        print(f"skipped: {why}")
        return 0
    ratio = got["json_s"] / got["baseline_s"]
    print(
        f"PostgreSQL {got['server']}: {got['devices']:,} devices, {got['events']:,} events (seeded in {seeded:.0f} s)"
    )
    print(f"report of the biggest collectivity for {got['year']} ({got['donor_devices']:,} devices given that year):")
    print(f"  JSON  {got['json_s'] * 1000:8.0f} ms   (target ≤ 2000 ms)  {'OK' if got['json_s'] <= 2 else 'MISSED'}")
    print(
        f"  PDF   {got['pdf_s'] * 1000:8.0f} ms   (target ≤ 5000 ms)  {'OK' if got['pdf_s'] <= 5 else 'MISSED'}"
        f"   {got['pdf_bytes'] / 1024:.0f} kB"
    )
    print(
        f"  hand-written SQL, raw driver: {got['baseline_s'] * 1000:.0f} ms;  ratio {ratio:.2f}  "
        f"(target ≤ 3)  {'OK' if ratio <= 3 else 'MISSED'}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
