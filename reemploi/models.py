"""Every table, imported in one place so Alembic and the tests see the whole schema."""

from reemploi.accounts.models import ApiToken, AuthEvent, LoginThrottle, User, UserSite, WebSession
from reemploi.certificates.models import Certificate
from reemploi.collections.models import Collection, ManifestImport, ManifestImportDevice
from reemploi.db import Base
from reemploi.devices.models import Device, DeviceEvent
from reemploi.installation import DemoMark
from reemploi.labels.models import LabelPrint, LabelPrintDevice
from reemploi.partners.models import Partner, PartnerCommune
from reemploi.parts.models import Part
from reemploi.recycling.models import RecyclingLot, RecyclingLotDevice
from reemploi.sales.models import (
    Beneficiary,
    DocumentSequence,
    RefundPayment,
    ReturnedLine,
    Sale,
    SaleLine,
    SalePayment,
    SaleReturn,
    SaleSettings,
    TillMovement,
    TillSession,
)
from reemploi.sites.models import Site
from reemploi.stock.models import StockAudit, StockLocation
from reemploi.workshop.models import (
    Erasure,
    FunctionalTest,
    HardwareReport,
    PriceGridEntry,
    Repair,
    RepairPart,
    StorageMedium,
)

__all__ = [
    "ApiToken",
    "AuthEvent",
    "Base",
    "Beneficiary",
    "Certificate",
    "Collection",
    "DemoMark",
    "Device",
    "DeviceEvent",
    "DocumentSequence",
    "Erasure",
    "FunctionalTest",
    "HardwareReport",
    "LabelPrint",
    "LabelPrintDevice",
    "LoginThrottle",
    "ManifestImport",
    "ManifestImportDevice",
    "Part",
    "Partner",
    "PartnerCommune",
    "PriceGridEntry",
    "RecyclingLot",
    "RecyclingLotDevice",
    "RefundPayment",
    "Repair",
    "RepairPart",
    "ReturnedLine",
    "Sale",
    "SaleLine",
    "SalePayment",
    "SaleReturn",
    "SaleSettings",
    "Site",
    "StockAudit",
    "StockLocation",
    "StorageMedium",
    "TillMovement",
    "TillSession",
    "User",
    "UserSite",
    "WebSession",
]
