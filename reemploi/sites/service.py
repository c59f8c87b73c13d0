"""Creating and listing sites."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from reemploi import texts
from reemploi.db import utcnow, write_transaction
from reemploi.errors import Duplicate, NotFound
from reemploi.sites.models import Site


async def create(session: AsyncSession, code: str, name: str, address: str = "") -> Site:
    async with write_transaction(session):
        code = code.strip().upper()
        if (await session.execute(select(Site.id).where(Site.code == code))).first():
            raise Duplicate(texts.site_code_taken(code))
        site = Site(code=code, name=name.strip(), address=address.strip(), last_device_number=0, created_at=utcnow())
        session.add(site)
        await session.flush()
        return site


async def get(session: AsyncSession, site_id: int) -> Site:
    site = await session.get(Site, site_id)
    if site is None:
        raise NotFound(texts.not_found("Site", site_id))
    return site


async def list_all(session: AsyncSession) -> list[Site]:
    return list((await session.execute(select(Site).order_by(Site.code))).scalars())


async def get_by_code(session: AsyncSession, code: str) -> Site:
    site = (await session.execute(select(Site).where(Site.code == code.strip().upper()))).scalar_one_or_none()
    if site is None:
        raise NotFound(texts.not_found("Site", code))
    return site
