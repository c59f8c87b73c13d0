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

from reemploi.accounts import service as accounts
from reemploi.accounts.roles import Role
from reemploi.actors import Actor
from reemploi.collections import service as collections
from reemploi.devices import lifecycle
from reemploi.devices import service as devices
from reemploi.devices.categories import Category
from reemploi.devices.lifecycle import Action, State
from reemploi.devices.models import Device
from reemploi.partners import service as partners
from reemploi.partners.models import PartnerKind
from reemploi.sites import service as sites

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
RHONE_COMMUNES = ("69003", "69029", "69034", "69040", "69044", "69046", "69063", "69081", "69089",
                  "69091", "69123", "69149", "69152", "69199", "69202", "69204", "69244", "69256",
                  "69259", "69266", "69271", "69275", "69282", "69290")

MODELS: dict[Category, list[tuple[str, str, int, int]]] = {
    # manufacturer, model, year, weight in grams
    Category.LAPTOP: [("Lenovo", "ThinkPad T480", 2018, 1580), ("Dell", "Latitude 7490", 2018, 1400),
                      ("HP", "EliteBook 840 G3", 2016, 1540), ("Fujitsu", "LIFEBOOK E752", 2012, 2400),
                      ("Lenovo", "ThinkPad X270", 2017, 1360)],
    Category.DESKTOP: [("Dell", "OptiPlex 7010", 2012, 7900), ("HP", "ProDesk 600 G1 SFF", 2014, 5400),
                       ("Lenovo", "ThinkCentre M720q", 2018, 1320)],
    Category.SCREEN: [("Dell", "P2419H", 2018, 5600), ("HP", "EliteDisplay E243", 2017, 5800),
                      ("iiyama", "ProLite XU2292HS", 2019, 3200)],
    Category.TABLET: [("Samsung", "Galaxy Tab A 10.1", 2019, 470), ("Apple", "iPad (6e génération)", 2018, 469)],
    Category.SMARTPHONE: [("Samsung", "Galaxy A52", 2021, 189), ("Apple", "iPhone 8", 2017, 148),
                          ("Fairphone", "Fairphone 3", 2019, 187)],
    Category.PRINTER: [("Brother", "HL-L2350DW", 2019, 7200)],
}
CATEGORY_WEIGHTS = {Category.LAPTOP: 45, Category.DESKTOP: 20, Category.SCREEN: 18, Category.TABLET: 6,
                    Category.SMARTPHONE: 9, Category.PRINTER: 2}


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


async def load(
    session: AsyncSession, device_count: int = 300, progress: Callable[[int], None] | None = None, seed: int = 2026
) -> dict[str, int]:
    """Load the demo world; `progress` is told of each device finished. Returns counts by state."""
    rng = random.Random(seed)
    lyon = await sites.create(session, "LYO", "Atelier Lyon 7e", "12 rue de Gerland, 69007 Lyon")
    vil = await sites.create(session, "VIL", "Atelier Villeurbanne", "40 cours Émile-Zola, 69100 Villeurbanne")
    commune = await partners.create(session, partners.NewPartner(
        kind=PartnerKind.COLLECTIVITY, name="Ville de Villeurbanne", siren=_siren(rng), insee_code="69266",
        address="Place Lazare-Goujon, 69100 Villeurbanne", contact_name="Service du numérique",
    ))
    departement = await partners.create(session, partners.NewPartner(
        kind=PartnerKind.COLLECTIVITY, name="Département du Rhône", siren=_siren(rng), insee_code="69",
        communes=RHONE_COMMUNES, address="29-31 cours de la Liberté, 69003 Lyon", contact_name="DSI",
    ))
    company_siren = _siren(rng)
    company = await partners.create(session, partners.NewPartner(
        kind=PartnerKind.COMPANY, name="Transports Rhodaniens SA", siren=company_siren,
        siret=_siret(company_siren, rng), address="5 quai Perrache, 69002 Lyon", contact_name="Responsable IT",
    ))
    association = await partners.create(session, partners.NewPartner(
        kind=PartnerKind.ASSOCIATION, name="Lien Numérique (association)", address="Lyon 8e",
    ))
    donors = [commune, departement, company, association]
    for login, name, role, password in DEMO_USERS:
        await accounts.create_user(session, accounts.NewUser(
            login=login, name=name, role=role, password=password,
            partner_id={"mairie": commune.id, "rhone": departement.id}.get(login),
            site_ids=() if role is Role.COLLECTIVITY else (lyon.id, vil.id),
        ))
    start = date(2026, 1, 12)
    collection_ids: list[int] = []
    for index in range(8):
        donor = donors[index % len(donors)]
        site = lyon if index % 3 else vil
        created = await collections.create(session, collections.NewCollection(
            donor_id=donor.id, site_id=site.id, collected_on=start + timedelta(days=37 * index),
            pickup_address=donor.address, declared_weight_g=rng.randrange(150, 900) * 1000,
            weighed_weight_g=rng.randrange(150, 900) * 1000 if index % 2 == 0 else None,
        ))
        collection_ids.append(created.collection.id)

    paths = shortest_paths()
    states = list(State)
    categories = list(CATEGORY_WEIGHTS)
    weights = [CATEGORY_WEIGHTS[c] for c in categories]
    for n in range(device_count):
        # Every state at least once, then a mix leaning towards the workshop's usual stock.
        target = states[n] if n < len(states) else rng.choice(states + [State.READY] * 4 + [State.SOLD] * 6)
        category = rng.choices(categories, weights)[0]
        manufacturer, model, year, weight = rng.choice(MODELS[category])
        registered = await devices.register(session, rng.choice(collection_ids), devices.NewDevice(
            category=category.value, manufacturer=manufacturer, model=model,
            serial=f"{manufacturer[:2].upper()}{rng.randrange(16**8):08X}",
            asset_tag=f"INV-{rng.randrange(10**5):05d}" if rng.random() < 0.6 else None,
            year=year, weight_g=weight,
        ), ACTOR)
        for action in paths[target]:
            await devices.transition(session, registered.device.code, action, ACTOR)
        if progress:
            progress(n + 1)
    rows = await session.execute(select(Device.state, func.count()).group_by(Device.state))
    return {state: count for state, count in rows}
