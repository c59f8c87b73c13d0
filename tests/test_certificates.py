"""Erasure certificates: the PDF says what NIST SP 800-88 Appendix G asks, its code and QR code lead
to a check that confirms it; a mistyped, invented or altered one is not confirmed."""

from __future__ import annotations

import html
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pypdfium2
import zxingcpp
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from reemploi.certificates.service import new_code, parse_code
from tests.through_api import API, Client, make_collection, make_donor, make_site, ok, problem, register


def _pdf_text_and_qr(pdf: bytes) -> tuple[str, list[str]]:
    document = pypdfium2.PdfDocument(pdf)
    try:
        words = " ".join(" ".join(page.get_textpage().get_text_range().split()) for page in document)
        first = document[0].render(scale=200 / 72).to_pil()
    finally:
        document.close()
    qr = [r.text for r in zxingcpp.read_barcodes(first, formats=zxingcpp.BarcodeFormat.QRCode)]
    return words, qr


async def _erased_devices(client: Client) -> tuple[int, list[str], list[dict[str, Any]]]:
    site = await make_site(client)
    donor = await make_donor(client, name="Ville de Bron")
    collection = await make_collection(client, site["id"], donor["id"])
    codes = [
        (await register(client, collection["id"], serial=f"PF1CERT{n}", manufacturer="Lenovo", model="ThinkPad T480"))[
            "code"
        ]
        for n in range(3)
    ]
    media = []
    ended = datetime(2026, 11, 20, 14, 30, tzinfo=UTC)
    for n, (code, (kind, technique, level)) in enumerate(
        zip(codes[:2], [("nvme", "nvme_sanitize", "purge"), ("hdd", "overwrite", "clear")], strict=True)
    ):
        medium = ok(
            await client.post(
                f"{API}/devices/{code}/media", json={"kind": kind, "model": "SAMSUNG MZVLB256", "serial": f"S4X{n}"}
            ),
            201,
        )
        media.append(
            ok(
                await client.post(
                    f"{API}/devices/{code}/erasures",
                    json={
                        "medium_id": medium["id"],
                        "level": level,
                        "technique": technique,
                        "tool": "nwipe",
                        "tool_version": "0.35",
                        "verification": "full",
                        "result": "success",
                        "passes": 1 if technique == "overwrite" else None,
                        "started_at": (ended - timedelta(minutes=40)).isoformat(),
                        "ended_at": ended.isoformat(),
                    },
                ),
                201,
            )
        )
    return collection["id"], codes, media


async def test_a_device_certificate_names_everything_and_checks_out(client: Client, anonymous: Client) -> None:
    _, codes, _ = await _erased_devices(client)
    response = await client.get(f"{API}/devices/{codes[0]}/erasure-certificate")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    words, qr = _pdf_text_and_qr(response.content)
    for expected in (
        "Certificat d'effacement des données",
        codes[0],
        "PF1CERT0",
        "SAMSUNG MZVLB256",
        "S4X0",
        "Purge",
        "NVMe Sanitize",
        "nwipe 0.35",
        "complète",
        "réussi",
        "Ville de Bron",
        "Atelier TST",
        "20/11/2026 15:30",
        "NIST SP 800-88",
        "Signature",
    ):
        assert expected in words, (expected, words)
    (url,) = qr
    code = url.split("code=", 1)[1]
    assert code in words and url.startswith("http://")

    again = await client.get(f"{API}/devices/{codes[0]}/erasure-certificate")
    assert _pdf_text_and_qr(again.content)[1] == [url], "unchanged facts: the same certificate, the same code"

    checked = ok(await anonymous.get(f"{API}/certificates/{code}"), 200)  # public: a donor has no account
    assert checked["intact"] is True and checked["content"]["devices"][0]["serial"] == "PF1CERT0"
    page = await anonymous.get("/verifier", params={"code": code.lower().replace("-", " - ")})
    assert page.status_code == 200 and "authentique" in html.unescape(page.text)


async def test_a_mistyped_invented_or_altered_certificate_is_not_confirmed(
    client: Client, anonymous: Client, session: AsyncSession
) -> None:
    _, codes, _ = await _erased_devices(client)
    pdf = (await client.get(f"{API}/devices/{codes[1]}/erasure-certificate")).content
    (url,) = _pdf_text_and_qr(pdf)[1]
    code = url.split("code=", 1)[1]
    assert "NIST SP 800-88" in _pdf_text_and_qr(pdf)[0]  # the HDD overwrite: fine, no warning needed

    body, check = code[:-1], code[-1]
    tampered = code[:4] + ("B" if code[4] != "B" else "C") + code[5:]
    problem(await anonymous.get(f"{API}/certificates/{tampered}"), 422, "mistyped-code")
    invented = new_code()
    problem(await anonymous.get(f"{API}/certificates/{invented}"), 404, "not-found")
    problem(await anonymous.get(f"{API}/certificates/pas-un-code"), 422, "invalid-input")
    refused = await anonymous.get("/verifier", params={"code": tampered})
    assert refused.status_code == 422 and "mal recopié" in html.unescape(refused.text)
    assert parse_code(body + check) == code

    # Someone edits the facts kept in the database: the check no longer confirms them.
    await session.execute(
        text("UPDATE certificates SET content = :c WHERE code = :code"),
        {"c": '{"devices": [], "kind": "device"}', "code": code},
    )
    await session.commit()
    altered = ok(await anonymous.get(f"{API}/certificates/{code}"), 200)
    assert altered["intact"] is False
    assert "modifiées" in html.unescape((await anonymous.get("/verifier", params={"code": code})).text)


async def test_a_collection_certificate_lists_the_erased_and_the_pending(client: Client) -> None:
    collection_id, codes, _ = await _erased_devices(client)
    response = await client.get(f"{API}/collections/{collection_id}/erasure-certificate")
    assert response.status_code == 200, response.text
    words, qr = _pdf_text_and_qr(response.content)
    assert codes[0] in words and codes[1] in words and "2 appareil(s)" in words
    assert "sans effacement enregistré" in words and codes[2] in words.split("sans effacement enregistré")[1]
    assert len(qr) == 1

    nothing = problem(await client.get(f"{API}/devices/{codes[2]}/erasure-certificate"), 422, "invalid-input")
    assert codes[2] in nothing["detail"]


async def test_the_public_check_shows_what_is_certified_and_nothing_personal(
    client: Client, anonymous: Client, session: AsyncSession
) -> None:
    """Issue 18: anyone holding a certificate's code may check it — not read the donor's name and
    address or the technician's login."""
    _, codes, _ = await _erased_devices(client)
    pdf = (await client.get(f"{API}/devices/{codes[0]}/erasure-certificate")).content
    code = _pdf_text_and_qr(pdf)[1][0].split("code=", 1)[1]
    stored = (await session.execute(text("SELECT content FROM certificates WHERE code = :c"), {"c": code})).scalar_one()
    await session.commit()
    content = stored if isinstance(stored, dict) else json.loads(stored)
    donor, operator = content["donor"]["name"], content["devices"][0]["media"][0]["operator"]
    assert donor and operator

    checked = ok(await anonymous.get(f"{API}/certificates/{code}"), 200)
    page = html.unescape((await anonymous.get("/verifier", params={"code": code})).text)

    assert set(checked["content"]) <= {"kind", "pending", "standard", "workshop", "devices"}
    assert set(checked["content"]["workshop"]) == {"name", "code"}
    assert "operator" not in checked["content"]["devices"][0]["media"][0]
    for personal in (donor, operator, content["workshop"]["address"] or "\0"):
        assert personal not in json.dumps(checked, ensure_ascii=False), personal
        assert personal not in page, personal
    assert codes[0] in page and "authentique" in page
