"""Which labels to print: devices by code (a scanned list) or a whole collection, as LabelData."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from reemploi import texts
from reemploi.collections import service as collections
from reemploi.devices import service as devices
from reemploi.devices.models import Device
from reemploi.errors import Invalid
from reemploi.labels.render import MAX_LABELS, LabelData
from reemploi.scope import EVERYTHING, Scope
from reemploi.sites import service as sites


def _label(device: Device, site_names: dict[int, str]) -> LabelData:
    identity = " ".join(part for part in (device.manufacturer, device.model) if part)
    first = " · ".join(part for part in (texts.CATEGORIES.get(device.category, device.category), identity) if part)
    lines = [first]
    if device.grade or device.price_cents is not None:
        grade = f"{texts.UI['grade']} {device.grade}" if device.grade else ""
        price = f"{device.price_cents / 100:.2f} €".replace(".", ",") if device.price_cents is not None else ""
        lines.append(" · ".join(part for part in (grade, price) if part))
    lines.append(site_names.get(device.site_id, ""))
    return LabelData(device.code, lines)


async def select(
    session: AsyncSession, codes: list[str], collection_id: int | None, scope: Scope = EVERYTHING
) -> list[LabelData]:
    """The labels of `codes` (in that order) and of the collection's devices (in registration order)."""
    if len(codes) > MAX_LABELS:
        raise Invalid(texts.too_many_labels(len(codes), MAX_LABELS))
    chosen = [await devices.get_by_code(session, code, scope) for code in codes]
    if collection_id is not None:
        await collections.get(session, collection_id, scope)  # 404 if unknown or not visible
        where = devices.DeviceFilter(collection_id=collection_id)
        in_collection, total = await devices.list_devices(session, where, MAX_LABELS, 0)
        if total + len(chosen) > MAX_LABELS:
            raise Invalid(texts.too_many_labels(total + len(chosen), MAX_LABELS))
        chosen += in_collection
    site_names = {site.id: site.name for site in await sites.list_all(session)}
    return [_label(device, site_names) for device in chosen]
