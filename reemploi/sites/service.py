"""Creating and listing sites."""

from __future__ import annotations

from advanced_alchemy.filters import LimitOffset
from advanced_alchemy.service import OffsetPagination
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from reemploi import texts
from reemploi.db import paginated_scalars, utcnow, write_transaction
from reemploi.devices.codes import SITE_CODE
from reemploi.errors import Duplicate, Invalid, NotFound
from reemploi.labels.render import FALLBACK_TEMPLATE, check_template
from reemploi.sites.models import Site


async def create(
    session: AsyncSession, code: str, name: str, address: str = "", label_template: str = FALLBACK_TEMPLATE
) -> Site:
    check_template(label_template)
    code = code.strip().upper()
    if not SITE_CODE.fullmatch(code):
        raise Invalid(texts.SITE_CODE_RULE)
    if not name.strip():
        raise Invalid(texts.EMPTY_SITE_NAME)
    async with write_transaction(session):
        if (await session.execute(select(Site.id).where(Site.code == code))).first():
            raise Duplicate(texts.site_code_taken(code))
        site = Site(
            code=code,
            name=name.strip(),
            address=address.strip(),
            last_device_number=0,
            label_template=label_template,
            created_at=utcnow(),
        )
        session.add(site)
        await session.flush()
        return site


async def get(session: AsyncSession, site_id: int) -> Site:
    site = await session.get(Site, site_id)
    if site is None:
        raise NotFound(texts.not_found(texts.NAMES["site"], site_id))
    return site


async def change(
    session: AsyncSession,
    site_id: int,
    name: str | None = None,
    address: str | None = None,
    label_template: str | None = None,
) -> Site:
    """Change what may change of a site (never its code: it prefixes every device code)."""
    if label_template is not None:
        check_template(label_template)
    if name is not None and not name.strip():
        raise Invalid(texts.EMPTY_SITE_NAME)
    async with write_transaction(session):
        site = await get(session, site_id)
        if name is not None:
            site.name = name.strip()
        if address is not None:
            site.address = address.strip()
        if label_template is not None:
            site.label_template = label_template
        return site


async def list_all(session: AsyncSession) -> list[Site]:
    return list((await session.execute(select(Site).order_by(Site.code))).scalars())


async def list_page(session: AsyncSession, window: LimitOffset) -> OffsetPagination[Site]:
    return await paginated_scalars(session, select(Site).order_by(Site.code, Site.id), window)


async def get_by_code(session: AsyncSession, code: str) -> Site:
    site = (await session.execute(select(Site).where(Site.code == code.strip().upper()))).scalar_one_or_none()
    if site is None:
        raise NotFound(texts.code_not_found(texts.NAMES["site"], code))
    return site
