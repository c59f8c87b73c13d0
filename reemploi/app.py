"""The application factory: assembles settings, database plugin, routes and error handling."""

from __future__ import annotations

import gc
import logging
from pathlib import Path
from zoneinfo import ZoneInfo

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

from reemploi import __version__, texts
from reemploi.accounts.auth import PUBLIC_ROUTE, access_guard, authentication_middleware, permission
from reemploi.accounts.roles import Permission
from reemploi.accounts.routes import AccountController, PageController
from reemploi.collections.pages import CollectionPages
from reemploi.collections.routes import CollectionController
from reemploi.db import create_engine
from reemploi.devices.pages import DevicePages
from reemploi.devices.routes import DeviceController
from reemploi.errors import EXCEPTION_HANDLERS, problem_responses
from reemploi.housekeeping import Scheduler
from reemploi.labels.pages import LabelPages
from reemploi.labels.render import labels_dir
from reemploi.labels.routes import LabelController
from reemploi.openapi import RequestStructSchemaPlugin
from reemploi.partners.routes import PartnerController
from reemploi.reports.pages import ReportPages
from reemploi.reports.routes import ReportController, WorkshopReportController
from reemploi.sales.pages import ReceptionPages
from reemploi.sales.routes import ReceptionController
from reemploi.settings import Settings
from reemploi.sites.routes import SiteController
from reemploi.stock.pages import StockPages
from reemploi.stock.routes import StockController
from reemploi.web import ENGINE_STATE_KEY, SETTINGS_STATE_KEY, DbSession
from reemploi.workshop.documents import CertificateController, VerifyPage
from reemploi.workshop.exit_routes import RecyclingLotController, RepairController
from reemploi.workshop.pages import ExitPages, WorkshopPages
from reemploi.workshop.routes import PriceGridController, WorkbenchController, WorkshopController

PACKAGE = Path(__file__).parent
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
    return Health("ok", db_session.bind.dialect.name, __version__)


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
    zone = ZoneInfo(timezone)
    # A moment as the workshop reads it: in its time zone (REEMPLOI_TIMEZONE), not in UTC.
    environment.filters["local"] = lambda moment: moment.astimezone(zone).strftime("%d/%m/%Y %H:%M")
    environment.filters["local_day"] = lambda moment: moment.astimezone(zone).strftime("%d/%m/%Y")
    return environment


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
            PageController,
            DevicePages,
            CollectionPages,
            AccountController,
            SiteController,
            PartnerController,
            CollectionController,
            DeviceController,
            LabelController,
            LabelPages,
            WorkshopController,
            WorkbenchController,
            PriceGridController,
            WorkshopPages,
            CertificateController,
            VerifyPage,
            RepairController,
            RecyclingLotController,
            StockController,
            StockPages,
            ExitPages,
            ReceptionController,
            ReceptionPages,
            ReportController,
            ReportPages,
            WorkshopReportController,
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
