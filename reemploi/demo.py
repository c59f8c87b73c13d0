"""A realistic demo world: a commune, a département, a company, an association, two sites,
several collections and a few hundred devices spread over every lifecycle state.

Every device reaches its state through real transitions, so its history replays.
"""

from __future__ import annotations

import random
from collections import deque
from collections.abc import Callable
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from stdnum import luhn

from reemploi import rules
from reemploi.accounts import service as accounts
from reemploi.accounts.roles import Role
from reemploi.actors import Actor
from reemploi.collections import service as collections
from reemploi.db import utcnow
from reemploi.devices import lifecycle, steps
from reemploi.devices import service as devices
from reemploi.devices.categories import Category
from reemploi.devices.codes import MAX_CODES
from reemploi.devices.lifecycle import Action, State
from reemploi.devices.models import Device
from reemploi.partners import service as partners
from reemploi.partners.models import PartnerKind
from reemploi.parts import service as parts
from reemploi.recycling import service as recycling
from reemploi.sales import beneficiaries, organisations, returns, till
from reemploi.sales import rules as sale_rules
from reemploi.sales import service as sales
from reemploi.sites import service as sites
from reemploi.stock import service as stock
from reemploi.workshop import bench, grading

ACTOR = Actor.command("demo")

# One account per role, for trying the product. Only `reemploi demo` creates them, on an empty
# database: a real workshop creates its own with `reemploi user create`.
DEMO_USERS = (
    ("admin", "Alex Admin", Role.ADMIN, "demo-admin-gerland"),
    ("responsable", "Rania Responsable", Role.MANAGER, "demo-respo-palette"),
    ("technicien", "Tom Technicien", Role.TECHNICIAN, "demo-tech-tournevis"),
    ("accueil", "Amina Accueil", Role.RECEPTION, "demo-accueil-sourire"),
    ("mairie", "Mairie de Villeurbanne", Role.COLLECTIVITY, "demo-mairie-lazaregoujon"),
    ("rhone", "Département du Rhône", Role.COLLECTIVITY, "demo-rhone-departement"),
)

# Communes of the Métropole de Lyon area (INSEE codes), for the département's territory.
RHONE_COMMUNES = (
    "69003",
    "69029",
    "69034",
    "69040",
    "69044",
    "69046",
    "69063",
    "69081",
    "69089",
    "69091",
    "69123",
    "69149",
    "69286",
    "69199",
    "69202",
    "69204",
    "69244",
    "69256",
    "69259",
    "69266",
    "69271",
    "69275",
    "69282",
    "69290",
)

MODELS: dict[Category, list[tuple[str, str, int, int]]] = {
    # manufacturer, model, year, weight in grams
    Category.LAPTOP: [
        ("Lenovo", "ThinkPad T480", 2018, 1580),
        ("Dell", "Latitude 7490", 2018, 1400),
        ("HP", "EliteBook 840 G3", 2016, 1540),
        ("Fujitsu", "LIFEBOOK E752", 2012, 2400),
        ("Lenovo", "ThinkPad X270", 2017, 1360),
    ],
    Category.DESKTOP: [
        ("Dell", "OptiPlex 7010", 2012, 7900),
        ("HP", "ProDesk 600 G1 SFF", 2014, 5400),
        ("Lenovo", "ThinkCentre M720q", 2018, 1320),
    ],
    Category.SCREEN: [
        ("Dell", "P2419H", 2018, 5600),
        ("HP", "EliteDisplay E243", 2017, 5800),
        ("iiyama", "ProLite XU2292HS", 2019, 3200),
    ],
    Category.TABLET: [("Samsung", "Galaxy Tab A 10.1", 2019, 470), ("Apple", "iPad (6e génération)", 2018, 469)],
    Category.SMARTPHONE: [
        ("Samsung", "Galaxy A52", 2021, 189),
        ("Apple", "iPhone 8", 2017, 148),
        ("Fairphone", "Fairphone 3", 2019, 187),
    ],
    Category.PRINTER: [("Brother", "HL-L2350DW", 2019, 7200)],
}
CATEGORY_WEIGHTS = {
    Category.LAPTOP: 45,
    Category.DESKTOP: 20,
    Category.SCREEN: 18,
    Category.TABLET: 6,
    Category.SMARTPHONE: 9,
    Category.PRINTER: 2,
}


def shortest_paths() -> dict[State, list[Action]]:
    """For every state, the shortest sequence of actions that reaches it from registration."""
    paths: dict[State, list[Action]] = {lifecycle.INITIAL_STATE: []}
    queue = deque([lifecycle.INITIAL_STATE])
    while queue:
        state = queue.popleft()
        for action in lifecycle.allowed_actions(state):
            target = lifecycle.next_state(state, action)
            if target not in paths:
                paths[target] = [*paths[state], action]
                queue.append(target)
    return paths


def _siren(rng: random.Random) -> str:
    body = f"{rng.randrange(10**7, 10**8):08d}"
    return body + luhn.calc_check_digit(body)


def _siret(siren: str, rng: random.Random) -> str:
    body = f"{siren}{rng.randrange(1, 999):04d}"
    return body + luhn.calc_check_digit(body)


async def is_empty(session: AsyncSession) -> bool:
    return (await session.execute(select(func.count()).select_from(Device))).scalar_one() == 0


# Each site's price grid (euros TTC by grade A, B, C), within the legal caps where they apply.
DEMO_LOCATIONS = (
    ("A-01", "Vente, étagère A niveau 1"),
    ("A-02", "Vente, étagère A niveau 2"),
    ("B-01", "Atelier, diagnostic"),
    ("B-02", "Atelier, à effacer"),
)
DEMO_PRICES = {
    (category.value, grade): euros * 100
    for category, by_grade in {
        Category.LAPTOP: (150, 120, 90),
        Category.DESKTOP: (120, 90, 60),
        Category.ALL_IN_ONE: (140, 110, 80),
        Category.SCREEN: (30, 25, 15),
        Category.TABLET: (90, 70, 50),
        Category.SMARTPHONE: (90, 70, 50),
        Category.PRINTER: (30, 20, 10),
        Category.MULTIFUNCTION_PRINTER: (120, 90, 60),
        Category.PERIPHERAL: (10, 5, 2),
        Category.NETWORK: (20, 10, 5),
        Category.OTHER: (10, 5, 2),
    }.items()
    for grade, euros in zip("ABC", by_grade, strict=True)
}
STORAGE = {Category.SMARTPHONE: ("emmc", "crypto_erase", "purge"), Category.TABLET: ("emmc", "crypto_erase", "purge")}


async def _bench_work(session: AsyncSession, code: str, category: Category, rng: random.Random) -> None:
    """What a technician records before grading: the checklist passed, the disk and its erasure."""
    results = {check: bench.CheckResult("pass") for check in rules.checklist(category.value)}
    battery = rng.randrange(65, 98) if "battery" in results else None
    await bench.record_test(session, code, results, ACTOR, battery_percent=battery)
    if not rules.storage_required(category.value):
        return
    kind, technique, level = STORAGE.get(category) or rng.choice(
        [("hdd", "overwrite", "clear"), ("ssd", "ata_secure_erase", "purge"), ("nvme", "nvme_sanitize", "purge")]
    )
    medium = await bench.add_medium(
        session,
        code,
        bench.NewMedium(
            kind=kind,
            model={
                "hdd": "HGST HTS725050A7E630",
                "ssd": "Samsung SSD 850 EVO 250GB",
                "nvme": "SAMSUNG MZVLB256HAHQ-000L7",
            }.get(kind, "Mémoire interne"),
            serial=f"S{rng.randrange(16**10):010X}",
            capacity_bytes=256_060_514_304,
        ),
    )
    ended = utcnow() - timedelta(minutes=rng.randrange(5, 600))
    await bench.record_erasure(
        session,
        code,
        bench.NewErasure(
            medium_id=medium.id,
            level=level,
            technique=technique,
            tool={"overwrite": "nwipe", "ata_secure_erase": "hdparm", "nvme_sanitize": "nvme-cli"}.get(
                technique, "Android"
            ),
            tool_version={"overwrite": "0.35", "ata_secure_erase": "9.65", "nvme_sanitize": "2.4"}.get(technique, "13"),
            passes=1 if technique == "overwrite" else None,
            verification="sampled" if technique == "overwrite" else "full",
            result="success",
            started_at=ended - timedelta(minutes=45),
            ended_at=ended,
        ),
        ACTOR,
    )


FIRST_NAMES = ("Awa", "Karim", "Zoé", "Lucas", "Inès", "Mohamed", "Léa", "Jean", "Fatou", "Hugo", "Nadia", "Paul")
LAST_NAMES = ("Diallo", "Benali", "Martin", "Bernard", "Nguyen", "Robert", "Petit", "Moreau", "Traoré", "Garcia")


async def _sell(session: AsyncSession, code: str, donation: bool, rng: random.Random) -> int:
    """A real sale (or donation) of a ready device to a new beneficiary, through the reception's rules."""
    device = await devices.get_by_code(session, code)
    person = await beneficiaries.create(
        session,
        beneficiaries.NewBeneficiary(
            name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
            eligibility_reason=rng.choice(["rsa", "rsa", "aah", "css", "student_grant", "jobseeker", "low_income"]),
            eligibility_verified_by=rng.choice(["CCAS de Villeurbanne", "France Travail Lyon 7e", "Mission locale"]),
            eligible_until=date(2027, 12, 31),
            commune_insee=rng.choice(RHONE_COMMUNES),
            age_band=rng.choice(["18_25", "26_44", "26_44", "45_64", "65_plus"]),
            referrer="CCAS",
        ),
    )
    price = device.price_cents or 0
    payments = [] if donation else [sale_rules.Payment(rng.choice(["cash", "card", "card"]), price)]
    sale = await sales.sell(
        session, sales.NewSale(device.site_id, person.beneficiary.id, [code], payments, donation=donation), ACTOR
    )
    return sale.id


async def load(
    session: AsyncSession, device_count: int = 300, progress: Callable[[int], None] | None = None, seed: int = 2026
) -> dict[str, int]:
    """Load the demo world; `progress` is told of each device finished. Returns counts by state."""
    rng = random.Random(seed)
    lyon = await sites.create(session, "LYO", "Atelier Lyon 7e", "12 rue de Gerland, 69007 Lyon")
    vil = await sites.create(session, "VIL", "Atelier Villeurbanne", "40 cours Émile-Zola, 69100 Villeurbanne")
    commune = await partners.create(
        session,
        partners.NewPartner(
            kind=PartnerKind.COLLECTIVITY,
            name="Ville de Villeurbanne",
            siren=_siren(rng),
            insee_code="69266",
            address="Place Lazare-Goujon, 69100 Villeurbanne",
            contact_name="Service du numérique",
        ),
    )
    departement = await partners.create(
        session,
        partners.NewPartner(
            kind=PartnerKind.COLLECTIVITY,
            name="Département du Rhône",
            siren=_siren(rng),
            insee_code="69",
            communes=RHONE_COMMUNES,
            address="29-31 cours de la Liberté, 69003 Lyon",
            contact_name="DSI",
        ),
    )
    company_siren = _siren(rng)
    company = await partners.create(
        session,
        partners.NewPartner(
            kind=PartnerKind.COMPANY,
            name="Transports Rhodaniens SA",
            siren=company_siren,
            siret=_siret(company_siren, rng),
            address="5 quai Perrache, 69002 Lyon",
            contact_name="Responsable IT",
        ),
    )
    association = await partners.create(
        session,
        partners.NewPartner(
            kind=PartnerKind.ASSOCIATION,
            name="Lien Numérique (association)",
            address="Lyon 8e",
        ),
    )
    donors = [commune, departement, company, association]
    for login, name, role, password in DEMO_USERS:
        await accounts.create_user(
            session,
            accounts.NewUser(
                login=login,
                name=name,
                role=role,
                password=password,
                partner_id={"mairie": commune.id, "rhone": departement.id}.get(login),
                site_ids=() if role is Role.COLLECTIVITY else (lyon.id, vil.id),
            ),
        )
    lots: dict[int, int] = {}
    for site in (lyon, vil):
        await grading.set_price_grid(session, site.id, DEMO_PRICES)
        for code, label in DEMO_LOCATIONS:
            await stock.add_location(session, site.id, code, label)
        lots[site.id] = (await recycling.open_lot(session, site.id, "ecosystem", ACTOR)).id
        await parts.add_new_parts(session, site.id, parts.NewPart("charger", "Chargeur USB-C 65 W", 12), ACTOR)
        await parts.add_new_parts(session, site.id, parts.NewPart("storage", "SSD SATA 240 Go", 8), ACTOR)
    start = date(2026, 1, 12)
    collection_ids: list[int] = []
    for index in range(8):
        donor = donors[index % len(donors)]
        site = lyon if index % 3 else vil
        created = await collections.create(
            session,
            collections.NewCollection(
                donor_id=donor.id,
                site_id=site.id,
                collected_on=start + timedelta(days=37 * index),
                pickup_address=donor.address,
                declared_weight_g=rng.randrange(150, 900) * 1000,
                weighed_weight_g=rng.randrange(150, 900) * 1000 if index % 2 == 0 else None,
            ),
        )
        collection_ids.append(created.collection.id)

    paths = shortest_paths()
    sale_of: dict[str, int] = {}
    for site in (lyon, vil):
        await till.open_till(session, site.id, 5000, ACTOR)
    states = list(State)
    categories = list(CATEGORY_WEIGHTS)
    weights = [CATEGORY_WEIGHTS[c] for c in categories]
    for n in range(device_count):
        # Every state at least once, then a mix leaning towards the workshop's usual stock.
        target = states[n] if n < len(states) else rng.choice(states + [State.READY] * 4 + [State.SOLD] * 6)
        category = rng.choices(categories, weights)[0]
        models = MODELS[category]
        if Action.PUT_ON_SALE in paths[target]:  # over ten years old, a device goes to parts, not on sale
            models = [m for m in models if m[2] >= utcnow().year - rules.max_reuse_age_years()] or MODELS[
                Category.LAPTOP
            ]
            category = category if models is not MODELS[Category.LAPTOP] else Category.LAPTOP
        manufacturer, model, year, weight = rng.choice(models)
        registered = await devices.register(
            session,
            rng.choice(collection_ids),
            devices.NewDevice(
                category=category.value,
                manufacturer=manufacturer,
                model=model,
                serial=f"{manufacturer[:2].upper()}{rng.randrange(16**8):08X}",
                asset_tag=f"INV-{rng.randrange(10**5):05d}" if rng.random() < 0.6 else None,
                year=year,
                weight_g=weight,
            ),
            ACTOR,
            confirmed=True,  # made-up serials: two alike would be two devices
        )
        code = registered.device.code
        for action in paths[target]:
            data: dict[str, str] = {}
            if action is Action.GRADE:
                await _bench_work(session, code, category, rng)
                data = {"grade": rng.choice("AAABBC")}
            if action is Action.SELL_TO_ORGANISATION:
                await organisations.invoice(
                    session,
                    registered.device.site_id,
                    departement.id,
                    [code],
                    ACTOR,
                    order_reference=f"BC-2026-{rng.randrange(1000, 9999)}",
                )
            elif action in (Action.SELL, Action.DONATE):
                sale_of[code] = await _sell(session, code, action is Action.DONATE, rng)
            elif action is Action.RETURN_UNDER_WARRANTY:
                await returns.return_under_warranty(
                    session, sale_of[code], [code], "exchange", [], "Ne s'allume plus (démonstration)", ACTOR
                )
            elif action is Action.RECYCLE:
                await recycling.add_to_lot(session, lots[registered.device.site_id], [code], ACTOR)
            elif action is Action.CANCEL_REGISTRATION:
                await devices.cancel_registration(session, code, ACTOR, confirmed=True)
            elif action is Action.DISMANTLE:
                harvested = [parts.NewPart("ram", "DDR4 8 Go SO-DIMM"), parts.NewPart("battery", f"Batterie {model}")]
                await parts.dismantle(session, code, harvested if category is Category.LAPTOP else [], ACTOR)
            else:
                await steps.take_step(session, code, action, ACTOR, data=data)
        if progress:
            progress(n + 1)
    for site in (lyon, vil):  # the ready devices on the sale shelves, two per location code
        ready = (
            (
                await session.execute(
                    select(Device.code)
                    .where(Device.site_id == site.id, Device.state == State.READY.value)
                    .order_by(Device.code)
                )
            )
            .scalars()
            .all()
        )
        shelves = [loc.location for loc in await stock.locations(session, site.id)][:2]
        for index, shelf in enumerate(shelves):
            if ready[index::2]:
                await stock.put_away(session, shelf.id, ready[index::2][:MAX_CODES], ACTOR)
    view = await recycling.lot_view(session, lots[vil.id])
    if view.devices:  # Villeurbanne's lot went with the eco-organism; Lyon's is still being filled
        await recycling.close_lot(
            session, view.lot.id, "BSD-2026-00117", view.estimated_g + 400, start + timedelta(days=300), ACTOR
        )
    rows = await session.execute(select(Device.state, func.count()).group_by(Device.state))
    return dict(rows.all())  # a list of (key, value) rows: dict() on the Result itself would take it for a mapping
