"""Each API answer is built from its model by field name: every model here holds a different value in each
column, so a value landing in another field (a reordered field, a converter by position) or a field left
to its default fails, and so does a new field nobody decided where to take from."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import msgspec
import pytest
from sqlalchemy import inspect

from reemploi.accounts.models import ApiToken, User
from reemploi.accounts.routes import TokenOut, UserOut
from reemploi.collections.models import Collection
from reemploi.collections.routes import CollectionOut
from reemploi.collections.service import CollectionView
from reemploi.devices.lifecycle import State, plain_actions
from reemploi.devices.models import Device, DeviceEvent
from reemploi.devices.schemas import DeviceOut, EventOut
from reemploi.partners.models import Partner, PartnerCommune
from reemploi.partners.routes import PartnerOut
from reemploi.parts.models import Part
from reemploi.parts.routes import PartOut
from reemploi.recycling.models import RecyclingLot
from reemploi.recycling.routes import LotOut
from reemploi.sales.models import Beneficiary, Sale, SaleReturn, TillSession
from reemploi.sales.routes import BeneficiaryOut, ReturnOut, SaleOut, TillOut
from reemploi.sites.models import Site
from reemploi.sites.routes import SiteOut
from reemploi.stock.models import StockAudit, StockLocation
from reemploi.stock.routes import AuditOut, LocationOut
from reemploi.web import out_of
from reemploi.workshop.models import Erasure, FunctionalTest, HardwareReport, Repair, StorageMedium
from reemploi.workshop.repairs import RepairView
from reemploi.workshop.routes import ErasureOut, MediumOut, RepairOut, ReportOut, UsedPartOut
from reemploi.workshop.routes import TestOut as FunctionalTestOut  # a name pytest would collect


def distinct(model: type[Any], **given: Any) -> Any:
    """A transient `model` whose every column holds a value no other column holds (`given` aside)."""
    values: dict[str, Any] = {}
    for n, attribute in enumerate(inspect(model).column_attrs, start=1):
        try:
            kind = attribute.columns[0].type.python_type
        except NotImplementedError:  # JSON
            kind = dict
        key = attribute.key
        values[key] = {
            bool: n % 2 == 0,
            int: 1000 + n,
            float: n + 0.25,
            str: f"{key}-{n}",
            datetime: datetime(2026, 1, 1, tzinfo=UTC) + timedelta(hours=n),
            date: date(2026, 1, 1) + timedelta(days=n),
            list: [f"{key}-{n}"],
        }.get(kind, {key: n})
    return model(**{**values, **given})


def check(out: msgspec.Struct, source: Any, **derived: Any) -> None:
    """Every field of `out` holds the attribute of its name on `source`, or the value `derived` names."""
    for name in out.__struct_fields__:
        got = getattr(out, name)
        if name in derived:
            assert got == derived[name], f"{type(out).__name__}.{name}: {got!r}, not {derived[name]!r}"
        else:
            assert hasattr(source, name), f"{type(out).__name__}.{name} is neither on the model nor derived"
            assert got == getattr(source, name), f"{type(out).__name__}.{name}: {got!r} is not the model's"


def test_answers_without_derived_fields_take_each_attribute_by_name() -> None:
    for out, model in (
        (SiteOut, Site),
        (EventOut, DeviceEvent),
        (ReportOut, HardwareReport),
        (FunctionalTestOut, FunctionalTest),
        (MediumOut, StorageMedium),
        (ErasureOut, Erasure),
        (UserOut, User),
    ):
        source = distinct(model)
        check(out.of(source), source)  # type: ignore[attr-defined]


def test_a_device_answer_converts_the_weight_and_computes_the_next_steps() -> None:
    device = distinct(Device, state=State.DIAGNOSIS.value, weight_g=1650)
    actions = [a.value for a in plain_actions(State.DIAGNOSIS)]
    check(DeviceOut.of(device), device, weight_kg=1.65, allowed_actions=actions, warnings=[])
    check(DeviceOut.of(device, ["n° de série déjà vu"]), device, weight_kg=1.65, allowed_actions=actions,
          warnings=["n° de série déjà vu"])  # fmt: skip


def test_answers_with_derived_fields_take_them_by_name() -> None:
    partner = distinct(Partner, communes=[distinct(PartnerCommune, insee_code="69266")])
    check(PartnerOut.of(partner), partner, communes=["69266"])

    collection = distinct(Collection, declared_weight_g=7200, weighed_weight_g=6900)
    view = CollectionView(collection, "Ville de Bron", {"received": 2, "ready": 1})
    check(
        CollectionOut.of(view),
        collection,
        donor_name="Ville de Bron",
        declared_weight_kg=7.2,
        weighed_weight_kg=6.9,
        device_count=3,
        devices_by_state={"received": 2, "ready": 1},
    )

    lot = distinct(RecyclingLot, weight_g=125_000)
    check(
        LotOut.of(lot, 4),
        lot,
        status="closed",
        weight_kg=125.0,
        devices=4,
        device_codes=None,
        devices_weight_kg=None,
        devices_weight_estimated=None,
    )

    part = distinct(Part)
    check(PartOut.of(part, "TST-000001-N"), part, from_device="TST-000001-N")

    token = distinct(ApiToken)
    check(TokenOut.of(token), token, secret=None)
    check(TokenOut.of(token, "rmp_secret"), token, secret="rmp_secret")

    location = distinct(StockLocation)
    check(LocationOut.of(location, 5), location, devices=5)
    audit = distinct(
        StockAudit,
        expected=["TST-000001-N", "TST-000002-L"],
        found=["TST-000001-N"],
        missing=["TST-000002-L"],
        unexpected=[{"code": "TST-000003-J", "location": "B-01", "state": "received"}],
        unknown=["PAS-UN-CODE"],
    )
    check(AuditOut.of(audit, location), audit, location=location.code)

    person = distinct(Beneficiary)
    check(BeneficiaryOut.of(person, ["B-000002"]), person, likely_duplicates=["B-000002"])

    till = distinct(TillSession, expected=None, counted={"cash": 9000}, closed_at=None)
    check(
        TillOut.of(till, {"cash": 9500}),
        till,
        status="open",
        expected={"cash": 9500},
        differences={"cash": -500},
    )

    facts = {"receipt": "2026-000042", "beneficiary": "B-000007", "lines": [{"code": "TST-000001-N"}]}
    sale = distinct(Sale, kind="sale", facts=facts)
    check(SaleOut.of(sale), sale, receipt="2026-000042", beneficiary="B-000007", devices=["TST-000001-N"])

    credit = {"credit_note": "AV-2026-000001", "receipt": "2026-000042", "devices": ["TST-000001-N"]}
    returned = distinct(SaleReturn, facts=credit)
    check(
        ReturnOut.of(returned),
        returned,
        credit_note="AV-2026-000001",
        receipt="2026-000042",
        devices=["TST-000001-N"],
    )

    repair, used = distinct(Repair), distinct(Part)
    check(
        RepairOut.of(RepairView(repair, [(used, 2)])),
        repair,
        parts=[UsedPartOut(part_id=used.id, description=used.description, origin=used.origin, quantity=2)],
    )


def test_a_derived_value_for_a_field_the_answer_lacks_is_refused() -> None:
    with pytest.raises(TypeError, match="weight_g"):
        out_of(SiteOut, distinct(Site), weight_g=1)
