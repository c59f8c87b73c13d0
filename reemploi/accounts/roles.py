"""Who may do what: the roles, the permissions, and the one matrix that joins them.

Pure data and functions, no I/O. Every route names the permission it needs (`opt={"permission": …}`)
or says it is public; the access guard reads it here. Scoping inside a permission (a collectivity
sees only what it gave) is the services' work, from the Principal they are given.
"""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"  # the workshop's IT person: sites, users, tokens; everything
    MANAGER = "manager"  # partners, collections, stock, prices, reports, users (not admins)
    TECHNICIAN = "technician"  # the bench: intake, scan, diagnosis, repair, erasure, grading
    RECEPTION = "reception"  # the desk: beneficiaries and sales; scans devices, never admin settings
    COLLECTIVITY = "collectivity"  # a commune, EPCI or département: reads its own data only


class Permission(StrEnum):
    ME = "me"  # read one's own account
    SITES_READ = "sites:read"
    SITES_WRITE = "sites:write"
    PARTNERS_READ = "partners:read"
    PARTNERS_WRITE = "partners:write"
    COLLECTIONS_READ = "collections:read"
    COLLECTIONS_WRITE = "collections:write"  # record a collection, import its manifest
    DEVICES_READ = "devices:read"  # list, scan, record, history
    DEVICES_REGISTER = "devices:register"  # intake
    DEVICES_MOVE = "devices:move"  # lifecycle transitions
    LABELS_PRINT = "labels:print"  # print labels (recorded), choose one's label template
    WORKSHOP_WRITE = "workshop:write"  # hardware reports, tests, repairs, erasure, grading
    PRICES_WRITE = "prices:write"  # a site's price grid and sale rules
    STOCK_WRITE = "stock:write"  # locations, putting devices away, stock audits
    BENEFICIARIES = "beneficiaries"  # read and record beneficiaries (personal data: reception and managers)
    SALES = "sales"  # the till, sales and donations, receipts
    WORKSHOP_REPORTS = "reports:workshop"  # the workshop-wide report (every donor, buyer and resident)
    USERS_MANAGE = "users:manage"
    TOKENS_MANAGE = "tokens:manage"


_STAFF_READS = {
    Permission.ME,
    Permission.SITES_READ,
    Permission.PARTNERS_READ,
    Permission.COLLECTIONS_READ,
    Permission.DEVICES_READ,
    Permission.LABELS_PRINT,
}

MATRIX: dict[Role, frozenset[Permission]] = {
    Role.ADMIN: frozenset(Permission),
    Role.MANAGER: frozenset(Permission) - {Permission.SITES_WRITE},
    Role.TECHNICIAN: frozenset(
        _STAFF_READS
        | {
            Permission.COLLECTIONS_WRITE,
            Permission.DEVICES_REGISTER,
            Permission.DEVICES_MOVE,
            Permission.WORKSHOP_WRITE,
            Permission.STOCK_WRITE,
        }
    ),
    Role.RECEPTION: frozenset(
        _STAFF_READS
        | {
            Permission.DEVICES_MOVE,
            Permission.STOCK_WRITE,
            Permission.BENEFICIARIES,
            Permission.SALES,
        }
    ),
    # Reads only, each scoped by the services to what this collectivity gave.
    Role.COLLECTIVITY: frozenset(
        {
            Permission.ME,
            Permission.SITES_READ,
            Permission.PARTNERS_READ,
            Permission.COLLECTIONS_READ,
            Permission.DEVICES_READ,
        }
    ),
}


def allows(role: Role, permission: Permission) -> bool:
    return permission in MATRIX[role]


def may_grant(granter: Role, role: Role) -> bool:
    """Who may create a user or a token of a role: an admin any, a manager any but admin."""
    if granter is Role.ADMIN:
        return True
    return granter is Role.MANAGER and role is not Role.ADMIN
