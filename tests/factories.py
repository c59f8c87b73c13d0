"""Small builders of a realistic world (a site, a commune, a collection, devices), through the services."""

from __future__ import annotations

from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession
from stdnum import luhn

from reemploi.actors import Actor
from reemploi.collections import service as collections
from reemploi.devices import service as devices
from reemploi.devices import steps
from reemploi.partners import service as partners
from reemploi.partners.models import Partner, PartnerKind
from reemploi.sites import service as sites
from reemploi.sites.models import Site


def siren(seed: int) -> str:
    body = f"{21_000_000 + seed:08d}"
    return body + luhn.calc_check_digit(body)


async def make_site(session: AsyncSession, code: str = "TST", name: str = "Atelier de test") -> Site:
    return await sites.create(session, code, name, "1 rue du Test, 69100 Villeurbanne")


async def make_commune(
    session: AsyncSession, name: str = "Ville de Villeurbanne", insee: str = "69266", seed: int = 1
) -> Partner:
    return await partners.create(
        session, partners.NewPartner(kind=PartnerKind.COLLECTIVITY, name=name, siren=siren(seed), insee_code=insee)
    )


async def make_collection(session: AsyncSession, site: Site, donor: Partner) -> collections.CollectionView:
    return await collections.create(
        session, collections.NewCollection(donor_id=donor.id, site_id=site.id, collected_on=date(2026, 11, 2))
    )


async def make_world(session: AsyncSession) -> tuple[Site, Partner, int]:
    """A site, a commune that gives, and one collection; returns (site, commune, collection id)."""
    site = await make_site(session)
    commune = await make_commune(session)
    collection = await make_collection(session, site, commune)
    return site, commune, collection.collection.id


async def make_device(
    session: AsyncSession, collection_id: int, serial: str | None = None, category: str = "laptop", **kw: object
) -> str:
    registered = await devices.register(
        session,
        collection_id,
        devices.NewDevice(category=category, manufacturer="Lenovo", model="ThinkPad T480", serial=serial, **kw),  # type: ignore[arg-type]
        Actor("test"),
    )
    return registered.device.code


async def prepare_for_sale(session: AsyncSession, code: str) -> None:
    """What a technician records before grading: every check passed, the SSD, its erasure."""
    from datetime import timedelta

    from reemploi import rules
    from reemploi.db import utcnow
    from reemploi.devices.service import get_by_code
    from reemploi.workshop import bench

    device = await get_by_code(session, code)
    results = {check: bench.CheckResult("pass") for check in rules.checklist(device.category)}
    await bench.record_test(session, code, results, Actor("test"))
    medium = await bench.add_medium(session, code, bench.NewMedium("ssd", "Samsung SSD 850 EVO 250GB", "S2R5"))
    ended = utcnow() - timedelta(minutes=5)
    await bench.record_erasure(
        session,
        code,
        bench.NewErasure(
            medium_id=medium.id,
            level="purge",
            technique="ata_secure_erase",
            tool="hdparm",
            tool_version="9.65",
            started_at=ended - timedelta(minutes=30),
            ended_at=ended,
            verification="full",
            result="success",
        ),
        Actor("test"),
    )


READY_PATH = ("receive", "start_diagnosis", "start_erasure", "grade", "put_on_sale")


async def make_ready(
    session: AsyncSession, collection_id: int, serial: str, price: str = "95", category: str = "laptop", **kw: object
) -> str:
    """A device ready for sale: tested, erased, graded B at `price` euros."""
    from reemploi.devices.lifecycle import Action

    code = await make_device(session, collection_id, serial=serial, category=category, **kw)
    for step in READY_PATH:
        data = {}
        if step == "grade":
            await prepare_for_sale(session, code)
            data = {"grade": "B", "price": price}
        await steps.take_step(session, code, Action(step), Actor("test"), data=data)
    return code


async def make_beneficiary(
    session: AsyncSession, name: str = "Zoé Martin", until: date | None = date(2099, 1, 1), **kw: object
) -> int:
    from reemploi.sales import beneficiaries

    created = await beneficiaries.create(
        session,
        beneficiaries.NewBeneficiary(
            name=name,
            eligibility_reason="rsa",
            eligibility_verified_by="CCAS de Villeurbanne",
            eligible_until=until,
            **kw,
        ),
    )  # type: ignore[arg-type]
    return created.beneficiary.id
