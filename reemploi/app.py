"""The application factory: assembles settings, database plugin, routes and error handling."""

from __future__ import annotations

import logging

import msgspec
from advanced_alchemy.extensions.litestar import AsyncSessionConfig, SQLAlchemyAsyncConfig, SQLAlchemyPlugin
from litestar import Litestar, get
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import ScalarRenderPlugin
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from reemploi import __version__
from reemploi.collections.routes import CollectionController
from reemploi.db import create_engine
from reemploi.devices.routes import DeviceController
from reemploi.errors import EXCEPTION_HANDLERS, problem_responses
from reemploi.openapi import RequestStructSchemaPlugin
from reemploi.partners.routes import PartnerController
from reemploi.settings import Settings
from reemploi.sites.routes import SiteController
from reemploi.web import DbSession


class Health(msgspec.Struct):
    status: str
    database: str
    version: str


@get("/health", tags=["health"], summary="Le service et sa base répondent", responses=problem_responses())
async def health(db_session: DbSession) -> Health:
    await db_session.execute(text("SELECT 1"))
    return Health("ok", db_session.bind.dialect.name, __version__)


def create_app(settings: Settings | None = None, engine: AsyncEngine | None = None) -> Litestar:
    settings = settings or Settings.from_env()
    logging.basicConfig(level=settings.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s %(message)s")
    db_config = SQLAlchemyAsyncConfig(
        engine_instance=engine or create_engine(settings),
        # Services commit their own write transaction (reemploi.db.write_transaction); the plugin
        # only provides the request's session and closes it, rolling back anything left open.
        session_config=AsyncSessionConfig(expire_on_commit=False, autoflush=False),
        create_all=False,  # the schema exists only through Alembic migrations
    )
    return Litestar(
        route_handlers=[health, SiteController, PartnerController, CollectionController, DeviceController],
        plugins=[SQLAlchemyPlugin(config=db_config), RequestStructSchemaPlugin()],
        exception_handlers=EXCEPTION_HANDLERS,
        openapi_config=OpenAPIConfig(
            title="reemploi",
            version=__version__,
            description="Suivi des appareils d'un atelier de reconditionnement, de la collecte à la vente solidaire.",
            path="/schema",
            render_plugins=[ScalarRenderPlugin()],
        ),
        debug=settings.debug,
    )
