"""The scan reads devices as `DeviceRow` tuples straight from the driver: the tuple must stay the
table's columns, in the table's order, with the model's types, or the scan would show one field's
value under another's name."""

import typing

from reemploi.devices.models import Device
from reemploi.devices.service import DeviceRow


def test_device_row_is_the_devices_table_in_its_order() -> None:
    assert DeviceRow._fields == tuple(column.name for column in Device.__table__.c)


def test_device_row_fields_have_the_models_types() -> None:
    row_types = typing.get_type_hints(DeviceRow)
    model_types = typing.get_type_hints(Device)
    for name in DeviceRow._fields:
        (mapped,) = typing.get_args(model_types[name])  # Mapped[X] -> X
        assert row_types[name] == mapped, name
