"""What people type in the pages' forms, read once: the shared constrained types, `read_form` that
decodes a form into its struct (msgspec), and `form_page`, the one answer to a refused form.

A refusal names the field and says what to type; a refused form answers its page again, with the
refusal's 4xx status, its message and what was typed."""

from __future__ import annotations

import inspect
import re
from collections.abc import Awaitable, Callable, Mapping
from datetime import date
from functools import cache
from typing import Annotated, Any, ClassVar, Self, TypeVar

import msgspec
from litestar import Request
from litestar.response import Template

from reemploi import texts
from reemploi.amounts import euros_to_cents
from reemploi.errors import DomainError, Invalid

F = TypeVar("F", bound="Form")
R = TypeVar("R")

MAX_DIGITS = 9  # a whole number a person types: beyond, a typing error (and it fits every column)
MAX_KG = 100_000
MAX_SCANNED = 80_000  # a text area of scanned codes: an audit's 5,000 codes fit, a pasted file does not


# --- The shared types: each reads the text typed and says what to type when it cannot ---------------------


class WholeNumber(int):
    """A whole number typed by a person: ASCII digits only ("²" and "١٢" are digits to Python, not to
    the workshop; "1e3", "-5" and "12.0" are not whole numbers), 9 digits at most."""

    refusal: ClassVar[str] = texts.NOT_A_WHOLE_NUMBER

    @classmethod
    def read(cls, text: str) -> Self:
        text = text.strip()
        if not (text.isascii() and text.isdecimal()) or len(text) > MAX_DIGITS:
            raise ValueError(cls.refusal)
        return cls(text)


# Euros as a person types them: digits, spaces between thousands, one comma or point, maybe "€".
_EUROS = re.compile(r"[0-9][0-9 \u202f]*(?:[.,][0-9]*)?|[.,][0-9]+")


class Cents(int):
    """An amount typed in euros ("95", "95,50", "95.50", "1 234,50 €"), in cents, 0 to 100,000 €."""

    refusal: ClassVar[str] = texts.RECEPTION["bad_amount"]

    @classmethod
    def read(cls, text: str) -> Self:
        typed = text.strip().removesuffix("€").strip()
        if not _EUROS.fullmatch(typed):  # no sign, exponent, inf or nan, other scripts' digits
            raise ValueError(cls.refusal)
        try:
            return cls(euros_to_cents(typed))
        except ValueError:
            raise ValueError(cls.refusal) from None


_KILOGRAMS = re.compile(r"[0-9]+(?:[.,][0-9]*)?|[.,][0-9]+")


class Grams(int):
    """A weight typed in kilograms ("7,2", "7.2"), in grams, above 0 and below 100,000 kg."""

    refusal: ClassVar[str] = texts.BAD_WEIGHT

    @classmethod
    def read(cls, text: str) -> Self:
        typed = text.strip()
        if not _KILOGRAMS.fullmatch(typed):
            raise ValueError(cls.refusal)
        kg = float(typed.replace(",", "."))
        if not 0 < kg < MAX_KG:
            raise ValueError(cls.refusal)
        return cls(round(kg * 1000))


class ScannedCodes(str):
    """What a scanner typed into a text area, kept as typed (the page shows it again when refused);
    `codes` are its codes, one a line (or separated by spaces)."""

    refusal: ClassVar[str] = texts.text_too_long(MAX_SCANNED)

    @classmethod
    def read(cls, text: str) -> Self:
        if len(text) > MAX_SCANNED:
            raise ValueError(cls.refusal)
        return cls(text)

    @property
    def codes(self) -> list[str]:
        return self.split()


OptionalNumber = WholeNumber | None  # a whole number, or None when left empty
Day = date  # an ISO day, as a date field sends it (2026-11-27)
Checkbox = bool  # a checkbox sends "true" when ticked, nothing otherwise
# Texts, trimmed, bounded: beyond, a refusal rather than a silent cut or the database's error.
Reference = Annotated[str, msgspec.Meta(max_length=100)]
ShortText = Annotated[str, msgspec.Meta(max_length=200)]
LongText = Annotated[str, msgspec.Meta(max_length=2000)]
TextArea = Annotated[str, msgspec.Meta(max_length=MAX_SCANNED)]  # lines typed by hand (parts harvested)

_READ_AS_TYPED = (WholeNumber, Cents, Grams, ScannedCodes)


# --- One struct per form, decoded once ------------------------------------------------------------------


class Form(msgspec.Struct):
    """A page's form. Fields named as the form's inputs; an input left empty takes the field's default
    (a field without one is required); other inputs (the CSRF token, buttons) are ignored.

    `refused_as` is the refusal raised when a field cannot be read (422 unless a form says otherwise);
    `refusals`, a field's own refusal where a form words it its own way (else its type's)."""

    refused_as: ClassVar[type[DomainError]] = Invalid
    refusals: ClassVar[Mapping[str, str]] = {}


def _typed(kind: type, value: Any) -> Any:
    """msgspec's hook for the types above: each reads the text as typed."""
    if isinstance(kind, type) and issubclass(kind, _READ_AS_TYPED):
        return kind.read(str(value))
    raise NotImplementedError


@cache
def _fields(form: type[Form]) -> dict[str, msgspec.inspect.Type]:
    info = msgspec.inspect.type_info(form)
    assert isinstance(info, msgspec.inspect.StructType)
    return {f.encode_name: f.type for f in info.fields}


def _values(form: type[Form], data: Any) -> dict[str, Any]:
    """What the form sent for each field: trimmed, every value of a list field, none for an empty one."""
    values: dict[str, Any] = {}
    for name, kind in _fields(form).items():
        if isinstance(kind, msgspec.inspect.ListType):
            many = data.getall(name, []) if hasattr(data, "getall") else data.get(name, [])
            values[name] = [str(v).strip() for v in many]
        elif text := str(data.get(name) or "").strip():
            values[name] = text
    return values


def _refusal(kind: msgspec.inspect.Type) -> str:
    """Why a value of this type is refused, and what to type instead."""
    if isinstance(kind, msgspec.inspect.UnionType):
        kind = next(t for t in kind.types if not isinstance(t, msgspec.inspect.NoneType))
    if isinstance(kind, msgspec.inspect.ListType):
        kind = kind.item_type
    if isinstance(kind, msgspec.inspect.CustomType) and issubclass(kind.cls, _READ_AS_TYPED):
        return str(kind.cls.refusal)
    if isinstance(kind, msgspec.inspect.StrType) and kind.max_length is not None:
        return texts.text_too_long(kind.max_length)
    if isinstance(kind, msgspec.inspect.DateType):
        return texts.BAD_DAY
    if isinstance(kind, msgspec.inspect.BoolType):
        return texts.BAD_CHECKBOX
    if isinstance(kind, msgspec.inspect.IntType):
        return texts.NOT_A_WHOLE_NUMBER
    return texts.UNREADABLE_FIELD


_AT_FIELD = re.compile(r"at `\$\.(\w+)|missing required field `(\w+)`")


def parse_form(form: type[F], data: Mapping[str, Any]) -> F:
    """The form's struct from its data (a FormMultiDict or a dict), or the refusal of its first
    unreadable field, naming it."""
    try:
        return msgspec.convert(_values(form, data), form, strict=False, dec_hook=_typed)
    except msgspec.ValidationError as error:
        found = _AT_FIELD.search(str(error))
        name = (found.group(1) or found.group(2)) if found else ""
        if name in form.refusals:
            raise form.refused_as(form.refusals[name]) from None
        refusal = _refusal(_fields(form)[name]) if name in _fields(form) else texts.UNREADABLE_FIELD
        label = texts.FORM_FIELDS.get(name)
        raise form.refused_as(texts.field_refused(label, refusal) if label else refusal) from None


async def read_form(request: Request[Any, Any, Any], form: type[F]) -> F:
    """The request's form, decoded into its struct once (see `parse_form`)."""
    return parse_form(form, await request.form())


def read_value(kind: Any, text: str) -> Any:
    """One value typed outside a form struct (a line of a list, a query string), read as `kind` reads
    it; the refusal is the type's, without a field's name."""
    return getattr(parse_form(_one(kind), {"value": text}), "value")  # noqa: B009 (a struct made here)


@cache
def _one(kind: Any) -> type[Form]:
    return msgspec.defstruct("One", [("value", kind)], bases=(Form,))  # type: ignore[return-value]


async def typed_in(request: Request[Any, Any, Any]) -> dict[str, str]:
    """What a refused form carried, to fill it again: each field's text (the first, for a repeated
    field; never the CSRF token nor a file), and under `_form` the last part of the path it was posted
    to, so that a page holding several forms fills only the one that was sent."""
    form = await request.form()
    typed = {key: value for key, value in reversed(list(form.multi_items())) if isinstance(value, str)}
    typed.pop("_csrf", None)
    return {**typed, "_form": request.url.path.rstrip("/").rsplit("/", 1)[-1]}


# --- The one answer to a refused form -------------------------------------------------------------------


async def form_page(
    work: Callable[[], Awaitable[R]],
    again: Callable[..., Awaitable[Template] | Template],
    *,
    say: str = "error",
    problems: str | None = None,
    **kept: Any,
) -> R | Template:
    """Do what a form asks (`work`: read the form, call the service, answer); when a domain error
    refuses it, answer the page again: `again(**{say: message}, **kept)`, `kept` being what was typed,
    and `problems` the name under which the refusal's list of errors goes, if the page shows them.

    The answer carries the refusal's status (4xx), htmx fragments too: base.html tells htmx to swap
    refusals in, so the message shows where the answer goes and the status stays true."""
    try:
        return await work()
    except DomainError as refused:
        context = {say: refused.detail, **kept}
        if problems:
            context[problems] = refused.extra.get("errors") or []
        shown = again(**context)
        if inspect.isawaitable(shown):
            shown = await shown
        shown.status_code = refused.status_code
        return shown
