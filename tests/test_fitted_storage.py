"""A storage part harvested by dismantling still holds its first owner's data (issue 17, item 7): a
repair that fits it into another device makes it a medium of that device, linked to the part, and
the sale gate asks for its own erasure. A storage part bought new adds no medium."""

from __future__ import annotations

from tests.test_exits_stock import _step, _workshop
from tests.test_sale_gate import _erasure
from tests.through_api import API, Client, ok


async def test_a_harvested_disk_fitted_elsewhere_must_be_erased_before_the_gate(client: Client) -> None:
    site, _, (donor_code, receiver) = await _workshop(client, 2)
    await _step(client, donor_code, "receive", "start_diagnosis")
    harvested = ok(
        await client.post(
            f"{API}/devices/{donor_code}/dismantle",
            json={"parts": [{"kind": "storage", "description": "SSD SATA Crucial MX500 250 Go"}]},
        ),
        200,
    )["parts"][0]
    new_disk = ok(
        await client.post(
            f"{API}/parts", json={"site_id": site["id"], "kind": "storage", "description": "SSD neuf 500 Go"}
        ),
        201,
    )
    await _step(client, receiver, "receive", "start_diagnosis", "send_to_repair")
    repair = {
        "actions": "Disque remplacé",
        "minutes": 15,
        "parts": [{"part_id": harvested["id"], "quantity": 1}, {"part_id": new_disk["id"], "quantity": 1}],
    }
    ok(await client.post(f"{API}/devices/{receiver}/repairs", json={**repair, "finished": True}), 201)

    bench = ok(await client.get(f"{API}/devices/{receiver}/workbench"), 200)
    (fitted,) = bench["media"]  # the new part brought no one's data: no medium
    assert (fitted["model"], fitted["origin"], fitted["part_id"]) == (
        "SSD SATA Crucial MX500 250 Go",
        "original",
        harvested["id"],
    )
    assert any("SSD SATA Crucial MX500 250 Go" in m and "ni effacé" in m for m in bench["missing_for_sale"])

    ok(
        await client.post(
            f"{API}/devices/{receiver}/erasures",
            json=_erasure(fitted["id"], technique="ata_secure_erase", tool="hdparm"),
        ),
        201,
    )
    bench = ok(await client.get(f"{API}/devices/{receiver}/workbench"), 200)
    assert not any("Crucial" in m for m in bench["missing_for_sale"]), bench["missing_for_sale"]
