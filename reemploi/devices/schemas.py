"""What the API accepts and returns for devices."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import msgspec
from litestar.params import PathParameter

from reemploi.devices.categories import Category
from reemploi.devices.codes import MAX_CODES
from reemploi.devices.lifecycle import Action, State, plain_actions
from reemploi.devices.models import Device, DeviceEvent
from reemploi.devices.service import DeviceRow, EventView, Registered
from reemploi.web import MAX_ID, RowId, grams_to_kg, out_of

Code = Annotated[str, PathParameter(max_length=40, description="Code de l'appareil, par exemple PAR-000123-W")]
Text100 = Annotated[str, msgspec.Meta(max_length=100)]
# A list scanned in one go (a pallet, a shelf): at most MAX_CODES codes of at most 40 characters.
Codes = Annotated[list[Annotated[str, msgspec.Meta(max_length=40)]], msgspec.Meta(max_length=MAX_CODES)]
Identifier = Annotated[str, msgspec.Meta(min_length=1, max_length=100)]
Year = Annotated[int, msgspec.Meta(ge=1970, le=2100)]
Kilograms = Annotated[
    float, msgspec.Meta(ge=0.001, lt=1000, description="Poids en kg (1 g au moins), par exemple 1.65")
]
Version = Annotated[int, msgspec.Meta(ge=1, le=MAX_ID)]


class DeviceIn(msgspec.Struct, forbid_unknown_fields=True):
    collection_id: RowId
    category: Category
    manufacturer: Text100 = ""
    model: Text100 = ""
    serial: Identifier | None = None
    asset_tag: Identifier | None = None
    year: Year | None = None
    weight_kg: Kilograms | None = None
    specs: dict[str, Any] = msgspec.field(default_factory=dict)
    location: Text100 = ""
    # A serial already known answers 409 (serial-in-collection, serial-known) unless this says the
    # person checked it is another device.
    confirm_known_serial: bool = False


class DeviceOut(msgspec.Struct):
    code: str
    site_id: int
    collection_id: int
    category: str
    manufacturer: str
    model: str
    serial: str | None
    asset_tag: str | None
    year: int | None
    weight_kg: float | None
    specs: dict[str, Any]
    grade: str | None
    price_cents: int | None
    location: str
    state: str
    version: int
    allowed_actions: list[str]
    created_at: datetime
    updated_at: datetime
    warnings: list[str] = msgspec.field(default_factory=list)

    @classmethod
    def of(cls, d: Device | DeviceRow, warnings: list[str] | None = None) -> DeviceOut:
        """From the ORM object or from a row of the devices table (the scan reads plain rows)."""
        # DeviceRow is a namedtuple of the table's columns built at import: mypy cannot see its fields.
        row: Any = d
        return out_of(
            cls,
            d,
            weight_kg=grams_to_kg(row.weight_g),
            allowed_actions=[a.value for a in plain_actions(State(row.state))],
            warnings=warnings or [],
        )

    @classmethod
    def registered(cls, r: Registered) -> DeviceOut:
        return cls.of(r.device, r.warnings)


class TransitionIn(msgspec.Struct, forbid_unknown_fields=True):
    action: Action
    # The version the person saw; if the device changed since, the move is refused (409).
    expected_version: Version | None = None
    data: dict[str, Any] = msgspec.field(default_factory=dict)
    note: Annotated[str, msgspec.Meta(max_length=2000)] = ""


class CancelRegistrationIn(msgspec.Struct, forbid_unknown_fields=True):
    # Cancelling is said on purpose: without `confirm: true`, nothing is done (422).
    confirm: bool = False
    expected_version: Version | None = None
    note: Annotated[str, msgspec.Meta(max_length=2000)] = ""


class EventOut(msgspec.Struct):
    version: int
    at: datetime
    actor: str
    action: str
    from_state: str | None
    to_state: str
    data: dict[str, Any]
    note: str

    @classmethod
    def of(cls, e: DeviceEvent | EventView) -> EventOut:
        return out_of(cls, e)


class LabelPrintOut(msgspec.Struct):
    at: datetime
    actor: str
    template: str
    reprint: bool


class HistoryOut(msgspec.Struct):
    device: DeviceOut
    events: list[EventOut]
    label_prints: list[LabelPrintOut]  # printing a label is not an event: the device is unchanged


class ScanOut(msgspec.Struct):
    matched_by: str
    devices: list[DeviceOut]
