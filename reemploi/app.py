"""The application factory: assembles settings, database plugin, routes and error handling."""

from __future__ import annotations

import gc
import logging
from pathlib import Path

import msgspec
from advanced_alchemy.extensions.litestar import AsyncSessionConfig, SQLAlchemyAsyncConfig, SQLAlchemyPlugin
from jinja2 import Environment, FileSystemLoader
from litestar import Litestar, Router, get
from litestar.datastructures import State
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import ScalarRenderPlugin
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.static_files import create_static_files_router
from litestar.template.config import TemplateConfig
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from reemploi import __version__, formats, texts
from reemploi.accounts import pages as accounts_pages
from reemploi.accounts import routes as accounts_routes
from reemploi.accounts.auth import PUBLIC_ROUTE, access_guard, authentication_middleware, permission
from reemploi.accounts.roles import Permission
from reemploi.certificates import routes as certificates_routes
from reemploi.collections import pages as collections_pages
from reemploi.collections import routes as collections_routes
from reemploi.db import create_engine, dialect_name
from reemploi.devices import pages as devices_pages
from reemploi.devices import routes as devices_routes
from reemploi.devices.lifecycle import is_for_sale
from reemploi.errors import EXCEPTION_HANDLERS, problem_responses
from reemploi.housekeeping import Scheduler
from reemploi.labels import pages as labels_pages
from reemploi.labels import routes as labels_routes
from reemploi.labels.render import labels_dir
from reemploi.openapi import RequestStructSchemaPlugin
from reemploi.partners import pages as partners_pages
from reemploi.partners import routes as partners_routes
from reemploi.parts import pages as parts_pages
from reemploi.parts import routes as parts_routes
from reemploi.recycling import pages as recycling_pages
from reemploi.recycling import routes as recycling_routes
from reemploi.reports import pages as reports_pages
from reemploi.reports import routes as reports_routes
from reemploi.sales import pages as sales_pages
from reemploi.sales import routes as sales_routes
from reemploi.settings import Settings
from reemploi.sites import pages as sites_pages
from reemploi.sites import routes as sites_routes
from reemploi.stock import pages as stock_pages
from reemploi.stock import routes as stock_routes
from reemploi.web import ENGINE_STATE_KEY, SETTINGS_STATE_KEY, DbSession
from reemploi.workshop import pages as workshop_pages
from reemploi.workshop import routes as workshop_routes

PACKAGE = Path(__file__).parent
# Each domain exports its API and its pages; the application only assembles them.
DOMAIN_ROUTES = [
    *accounts_routes.ROUTES,
    *accounts_pages.ROUTES,
    *sites_routes.ROUTES,
    *sites_pages.ROUTES,
    *partners_routes.ROUTES,
    *partners_pages.ROUTES,
    *collections_routes.ROUTES,
    *collections_pages.ROUTES,
    *devices_routes.ROUTES,
    *devices_pages.ROUTES,
    *labels_routes.ROUTES,
    *labels_pages.ROUTES,
    *workshop_routes.ROUTES,
    *workshop_pages.ROUTES,
    *certificates_routes.ROUTES,
    *parts_routes.ROUTES,
    *parts_pages.ROUTES,
    *recycling_routes.ROUTES,
    *recycling_pages.ROUTES,
    *stock_routes.ROUTES,
    *stock_pages.ROUTES,
    *sales_routes.ROUTES,
    *sales_pages.ROUTES,
    *reports_routes.ROUTES,
    *reports_pages.ROUTES,
]
TEMPLATES = PACKAGE / "templates"


class Health(msgspec.Struct):
    status: str
    database: str
    version: str


@get(
    "/health",
    tags=["health"],
    summary="Le service et sa base répondent",
    opt=PUBLIC_ROUTE,
    responses=problem_responses(public=True),
)
async def health(db_session: DbSession) -> Health:
    await db_session.execute(text("SELECT 1"))
    return Health("ok", dialect_name(db_session), __version__)


def _freeze_startup_objects() -> None:
    """Everything built at startup (routes, schemas, SQLAlchemy's compiled statements) lives as long
    as the process: moved out of the garbage collector's sight, full collections stay short and the
    slowest requests are not the ones that happen to trigger one."""
    gc.collect()
    gc.freeze()


def _templates(timezone: str) -> Environment:
    # labels/ last: the parts a page shares with its printed document (e.g. a report's figures).
    environment = Environment(
        loader=FileSystemLoader([TEMPLATES, *sorted(PACKAGE.glob("*/templates")), labels_dir()]), autoescape=True
    )
    environment.globals["t"] = texts  # every text a page shows (reemploi/texts/)
    # `device.state is for_sale`: on the shelf or set aside for a buyer (reemploi.devices.lifecycle.FOR_SALE).
    environment.tests["for_sale"] = is_for_sale
    # Money, weights, dates as people read them (reemploi.formats); moments in the workshop's time
    # zone (REEMPLOI_TIMEZONE), not in UTC. Ordinary spaces on the pages for now: their tests pin them
    # (see reemploi.formats.plain); the PDF documents keep CLDR's no-break spaces.
    return formats.register(environment, timezone, plain_spaces=True)


def create_app(settings: Settings | None = None, engine: AsyncEngine | None = None) -> Litestar:
    settings = settings or Settings.from_env()
    logging.basicConfig(level=settings.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s %(message)s")
    engine = engine or create_engine(settings)
    db_config = SQLAlchemyAsyncConfig(
        engine_instance=engine,
        # Services commit their own write transaction (reemploi.db.write_transaction); the plugin
        # only provides the request's session and closes it, rolling back anything left open.
        session_config=AsyncSessionConfig(expire_on_commit=False, autoflush=False),
        create_all=False,  # the schema exists only through Alembic migrations
    )
    housekeeping = Scheduler(engine, settings)
    return Litestar(
        route_handlers=[
            health,
            create_static_files_router("/static", [PACKAGE / "static"], opt=PUBLIC_ROUTE),
            *DOMAIN_ROUTES,
        ],
        plugins=[SQLAlchemyPlugin(config=db_config), RequestStructSchemaPlugin()],
        middleware=[authentication_middleware()],
        guards=[access_guard],
        state=State({ENGINE_STATE_KEY: engine, SETTINGS_STATE_KEY: settings}),
        template_config=TemplateConfig(
            engine=JinjaTemplateEngine.from_environment(_templates(settings.timezone)),
        ),
        exception_handlers=EXCEPTION_HANDLERS,
        openapi_config=OpenAPIConfig(
            title="reemploi",
            version=__version__,
            description="Suivi des appareils d'un atelier de reconditionnement, de la collecte à la vente solidaire.",
            path="/schema",
            render_plugins=[ScalarRenderPlugin()],
            # The API's documentation is for people who are logged in (or hold a token).
            openapi_router=Router("/schema", route_handlers=[], opt=permission(Permission.ME), include_in_schema=False),
        ),
        debug=settings.debug,
        on_startup=[_freeze_startup_objects, housekeeping.start],
        on_shutdown=[housekeeping.stop],
    )
