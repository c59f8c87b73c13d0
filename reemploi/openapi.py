"""The served OpenAPI schema says what the server enforces on request bodies.

Litestar's struct schema leaves out three things our request structs do: refusing unknown fields
(`forbid_unknown_fields`, answered 400), the length and pattern of each item of a list of strings
(a partner's commune codes, a user's sites), and an integer's lower bound when it is 0. Clients generated from the schema, and schemathesis, rely on both.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import msgspec
from litestar._openapi.schema_generation.plugins.struct import StructSchemaPlugin

if TYPE_CHECKING:
    from litestar._openapi.schema_generation import SchemaCreator
    from litestar.openapi.spec import Schema
    from litestar.typing import FieldDefinition


def _list_item_constraints(field_type: msgspec.inspect.Type) -> dict[str, object]:
    """The bounds of the items of a `list[str]` or `list[int]` field (an optional one too)."""
    if isinstance(field_type, msgspec.inspect.UnionType):
        lists = [t for t in field_type.types if not isinstance(t, msgspec.inspect.NoneType)]
        if len(lists) != 1:
            return {}
        field_type = lists[0]
    if not isinstance(field_type, msgspec.inspect.ListType):
        return {}
    item = field_type.item_type
    names: tuple[tuple[str, str], ...]
    if isinstance(item, msgspec.inspect.StrType):
        names = (("min_length", "min_length"), ("max_length", "max_length"), ("pattern", "pattern"))
    elif isinstance(item, msgspec.inspect.IntType):
        names = (("ge", "minimum"), ("le", "maximum"), ("gt", "exclusive_minimum"), ("lt", "exclusive_maximum"))
    else:
        return {}
    return {schema_name: getattr(item, name) for name, schema_name in names if getattr(item, name) is not None}


def _int_bounds(field_type: msgspec.inspect.Type) -> dict[str, object]:
    """The bounds of an integer field (an optional one too). Litestar drops a bound of 0 (ge=0):
    restated here, every bound is in the schema."""
    if isinstance(field_type, msgspec.inspect.UnionType):
        ints = [t for t in field_type.types if isinstance(t, msgspec.inspect.IntType)]
        field_type = ints[0] if len(ints) == 1 else field_type
    if not isinstance(field_type, msgspec.inspect.IntType):
        return {}
    names = (("ge", "minimum"), ("le", "maximum"), ("gt", "exclusive_minimum"), ("lt", "exclusive_maximum"))
    return {
        schema_name: getattr(field_type, name) for name, schema_name in names if getattr(field_type, name) is not None
    }


class RequestStructSchemaPlugin(StructSchemaPlugin):
    def to_openapi_schema(self, field_definition: FieldDefinition, schema_creator: SchemaCreator) -> Schema:
        schema = super().to_openapi_schema(field_definition, schema_creator)
        struct: msgspec.inspect.StructType = msgspec.inspect.type_info(field_definition.type_)  # type: ignore[assignment]
        if struct.forbid_unknown_fields:
            schema.additional_properties = False
        for field in struct.fields:
            constraints = _list_item_constraints(field.type)
            prop = (schema.properties or {}).get(field.encode_name)
            items = getattr(prop, "items", None)
            if constraints and items is not None and not isinstance(items, list):
                for name, value in constraints.items():
                    setattr(items, name, value)
            if prop is not None and not isinstance(prop, list):
                for name, value in _int_bounds(field.type).items():
                    if getattr(prop, name, None) is None:  # only the bounds Litestar left out
                        setattr(prop, name, value)
        return schema
