"""The labels page: print a scanned list of codes, a collection or a filter, on a chosen template,
with a start offset for partly used A4 sheets; and each person's usual template.

`GET /labels/print` answers the PDF, or this page again with what is wrong (never JSON): the scan
station's and intake's print links lead here too."""

from __future__ import annotations

from functools import partial
from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromQuery, QueryParameter
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from reemploi import texts
from reemploi.accounts.auth import permission
from reemploi.accounts.models import User
from reemploi.accounts.roles import Permission
from reemploi.devices.categories import Category
from reemploi.devices.lifecycle import State
from reemploi.devices.service import DeviceFilter
from reemploi.errors import Invalid
from reemploi.labels import service
from reemploi.labels.render import template_names
from reemploi.labels.routes import labels_pdf
from reemploi.sites import service as sites
from reemploi.web import MAX_ID, DbSession, actor_of, page
from reemploi.web.forms import form_page

Text = Annotated[str, QueryParameter(max_length=40)]
CodesText = Annotated[str, QueryParameter(max_length=3_000)]


class TemplateForm(msgspec.Struct):
    template: str = ""


def _choice(value: str, allowed: list[str]) -> str | None:
    return value if value in allowed else None


def _number(value: str, field: str) -> int | None:
    """An id typed in the form: empty is no filter; anything else must be a whole number."""
    value = value.strip()
    if not value:
        return None
    if not (value.isascii() and value.isdecimal()) or len(value) > 10 or not 1 <= int(value) <= MAX_ID:
        raise Invalid(texts.not_an_id(field, value))
    return int(value)


class LabelPages(Controller):
    include_in_schema = False

    async def _form(self, request: Request[Any, Any, Any], db_session: AsyncSession, **context: Any) -> Template:
        user_id = actor_of(request).user_id
        user = await db_session.get(User, user_id) if user_id is not None else None
        mine = user.label_template if user is not None else None  # None: a token's, or an account just removed
        return page(
            request,
            "labels.html",
            templates=template_names(),
            mine=mine,
            sites=await sites.list_all(db_session),
            categories=list(Category),
            states=list(State),
            **{"form": {}, "message": "", "saved": False, **context},
        )

    @get("/labels", opt=permission(Permission.LABELS_PRINT))
    async def labels_page(
        self, request: Request[Any, Any, Any], db_session: DbSession, saved: FromQuery[bool] = False
    ) -> Template:
        return await self._form(request, db_session, form=dict(request.query_params), saved=saved)

    @get("/labels/print", opt=permission(Permission.LABELS_PRINT))
    async def print_labels(
        self,
        request: Request[Any, Any, Any],
        db_session: DbSession,
        codes: CodesText = "",
        collection_id: Text = "",
        device_state: Annotated[str, QueryParameter(name="state", max_length=40)] = "",
        category: Text = "",
        site_id: Text = "",
        template: Text = "",
        skip: Annotated[int, QueryParameter(ge=0, le=99)] = 0,
        qr: FromQuery[bool] = False,
    ) -> Response[bytes] | Template:
        async def work() -> Response[bytes]:
            state = _choice(device_state, [s.value for s in State])
            kind = _choice(category, [c.value for c in Category])
            collection = _number(collection_id, texts.UI["labels_collection"])
            site = _number(site_id, texts.UI["site"])
            filtered = any(value is not None for value in (collection, state, kind, site))
            where = (
                DeviceFilter(state=state, category=kind, site_id=site, collection_id=collection) if filtered else None
            )
            selection = service.Selection(service.split_codes(codes), where)
            pdf, chosen = await labels_pdf(request, db_session, selection, template or None, skip, qr)
            return Response(
                pdf,
                media_type="application/pdf",
                headers={"Content-Disposition": f'inline; filename="etiquettes-{chosen}.pdf"'},
            )

        again = partial(self._form, request, db_session, form=dict(request.query_params))
        return await form_page(work, again, say="message")

    @post("/labels/template", opt=permission(Permission.LABELS_PRINT), status_code=303)
    async def choose_template(
        self,
        request: Request[Any, Any, Any],
        db_session: DbSession,
        data: Annotated[TemplateForm, Body(media_type=RequestEncodingType.URL_ENCODED)],
    ) -> Redirect | Template:
        async def work() -> Redirect:
            user_id = actor_of(request).user_id
            if user_id is None:
                raise Invalid(texts.NO_PREFERENCE_FOR_TOKEN)
            await service.set_user_template(db_session, user_id, data.template or None)
            return Redirect("/labels?saved=true", status_code=303)

        return await form_page(work, partial(self._form, request, db_session), say="message")


# What this domain adds to the application (pages); reemploi.app assembles every domain's.
ROUTES = [LabelPages]
