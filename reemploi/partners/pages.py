"""Partners in the pages, for the people who manage them: the list (searched by name, SIREN or SIRET,
a page at a time with the total), a new partner, a partner changed; a collectivity's communes picked by
name or pasted as INSEE codes, each shown with its name. Thin: the partner service checks everything."""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import partial
from typing import Annotated, Any, ClassVar
from urllib.parse import urlencode

import msgspec
from advanced_alchemy.service import OffsetPagination
from litestar import Controller, Request, get, post
from litestar.params import FromQuery, QueryParameter
from litestar.response import Redirect, Template

from reemploi import texts
from reemploi.accounts.auth import permission
from reemploi.accounts.roles import Permission
from reemploi.partners import service
from reemploi.partners.models import Partner, PartnerKind
from reemploi.rules.communes import commune_name, find_communes
from reemploi.web import DbSession, Offset, PathId, page
from reemploi.web.forms import Form, LongText, Reference, ShortText, TextArea, form_page, read_form, typed_in

PARTNERS_PER_PAGE = 50
Search = Annotated[str, QueryParameter(max_length=200)]


class PartnerForm(Form):
    refusals: ClassVar[Mapping[str, str]] = {"kind": texts.PICK_PARTNER_KIND}

    kind: PartnerKind
    name: ShortText = ""
    siren: Reference = ""
    siret: Reference = ""
    insee_code: Reference = ""
    communes: list[Reference] = []  # the communes ticked
    pasted_communes: TextArea = ""  # INSEE codes pasted, one a line or separated by spaces or commas
    address: LongText = ""
    contact_name: ShortText = ""
    email: ShortText = ""
    phone: Annotated[str, msgspec.Meta(max_length=40)] = ""

    def partner(self) -> service.NewPartner:
        return service.NewPartner(
            kind=self.kind,
            name=self.name,
            siren=self.siren or None,
            siret=self.siret or None,
            insee_code=self.insee_code or None,
            communes=_chosen(self.communes, self.pasted_communes),
            address=self.address,
            contact_name=self.contact_name,
            email=self.email,
            phone=self.phone,
        )


def _pasted(text: str) -> list[str]:
    return [code.upper() for code in re.split(r"[\s,;]+", text) if code]


def _chosen(ticked: list[str], pasted: str) -> list[str]:
    """The communes ticked then those pasted, each once, in that order."""
    return list(dict.fromkeys([*(c.strip().upper() for c in ticked if c.strip()), *_pasted(pasted)]))


def _named(codes: list[str]) -> list[tuple[str, str | None]]:
    return [(code, commune_name(code)) for code in codes]


def _typed_of(partner: Partner) -> dict[str, Any]:
    """A partner as its form shows it."""
    return {
        "kind": partner.kind,
        "name": partner.name,
        "siren": partner.siren or "",
        "siret": partner.siret or "",
        "insee_code": partner.insee_code or "",
        "address": partner.address,
        "contact_name": partner.contact_name,
        "email": partner.email,
        "phone": partner.phone,
    }


def _partner_page(
    request: Request[Any, Any, Any],
    partner_id: int | None,
    typed: Mapping[str, Any],
    ticked: list[str],
    error: str = "",
    notice: str = "",
) -> Template:
    pasted = str(typed.get("pasted_communes") or "")
    insee = str(typed.get("insee_code") or "").strip().upper()
    return page(
        request,
        "partner.html",
        partner_id=partner_id,
        typed=typed,
        kinds=texts.PARTNER_KINDS,
        communes=_named(ticked),
        pasted=_named(_pasted(pasted)),
        insee_name=commune_name(insee) if len(insee) == 5 else None,
        error=error,
        notice=notice,
    )


async def _typed_form(request: Request[Any, Any, Any]) -> tuple[dict[str, Any], list[str]]:
    """What was typed in the partner's form, to show it again, and the communes that were ticked."""
    ticked = (await request.form()).getall("communes", [])
    return await typed_in(request), [c.strip().upper() for c in ticked if c.strip()]


class PartnerPages(Controller):
    include_in_schema = False

    @get("/partners", opt=permission(Permission.PARTNERS_WRITE))
    async def partners(
        self, request: Request[Any, Any, Any], db_session: DbSession, q: Search = "", offset: Offset = 0
    ) -> Template:
        shown = PARTNERS_PER_PAGE
        items, total = await service.list_partners(db_session, None, shown, offset, search=q)
        paging = OffsetPagination(items=items, limit=shown, offset=offset, total=total)
        return page(
            request,
            "partners.html",
            partners=items,
            total=total,
            paging=paging,
            paging_query=urlencode({"q": q}) if q else "",
            q=q,
        )

    @get("/partners/new", opt=permission(Permission.PARTNERS_WRITE))
    async def new_partner(self, request: Request[Any, Any, Any]) -> Template:
        return _partner_page(request, None, {"kind": PartnerKind.COMPANY.value}, [])

    @post("/partners/new", opt=permission(Permission.PARTNERS_WRITE), status_code=303, media_type="text/html")
    async def create_partner(self, request: Request[Any, Any, Any], db_session: DbSession) -> Redirect | Template:
        async def work() -> Redirect:
            form = await read_form(request, PartnerForm)
            created = await service.create(db_session, form.partner())
            return Redirect(f"/partners/{created.id}?saved=true", status_code=303)

        typed, ticked = await _typed_form(request)
        return await form_page(work, partial(_partner_page, request, None, typed, ticked))

    @get("/partners/{partner_id:int}", opt=permission(Permission.PARTNERS_WRITE))
    async def partner(
        self, request: Request[Any, Any, Any], db_session: DbSession, partner_id: PathId, saved: FromQuery[bool] = False
    ) -> Template:
        found = await service.get(db_session, partner_id)
        ticked = [c.insee_code for c in found.communes]
        notice = texts.UI["partner_saved"] if saved else ""
        return _partner_page(request, partner_id, _typed_of(found), ticked, notice=notice)

    @post(
        "/partners/{partner_id:int}",
        opt=permission(Permission.PARTNERS_WRITE),
        status_code=303,
        media_type="text/html",
    )
    async def change_partner(
        self, request: Request[Any, Any, Any], db_session: DbSession, partner_id: PathId
    ) -> Redirect | Template:
        async def work() -> Redirect:
            form = await read_form(request, PartnerForm)
            await service.change(db_session, partner_id, form.partner())
            return Redirect(f"/partners/{partner_id}?saved=true", status_code=303)

        typed, ticked = await _typed_form(request)
        return await form_page(work, partial(_partner_page, request, partner_id, typed, ticked))

    @get("/partners/communes", opt=permission(Permission.PARTNERS_WRITE))
    async def communes(self, q: Search = "") -> Template:
        """The communes matching what is typed, as boxes to tick into the partner's form (htmx)."""
        return Template("_commune_choices.html", context={"found": find_communes(q), "q": q})


# What this domain adds to the application (pages); reemploi.app assembles every domain's.
ROUTES = [PartnerPages]
