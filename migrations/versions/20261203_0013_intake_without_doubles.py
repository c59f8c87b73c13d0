"""intake that cannot double (issue 16, item 3): manifests remembered by their content, registrations cancelled

`manifest_imports` keeps each manifest imported (not a dry run): its collection, when, who, the
file's SHA-256 and name, how many devices; `manifest_import_devices` the devices it registered. The
same file, or one bringing serials an earlier import brought, is then refused naming that import.
Manifests imported before this migration are not known: their devices were registered with no
trace of the file.

`devices.state` may be `cancelled`: a registration made by mistake and cancelled before any other
event (the event stays in the history; the device counts nowhere).

Downgrade drops both tables, and refuses while a device is cancelled (the old schema has no such
state, and making it another one would put it back in the counts).

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03 12:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from advanced_alchemy.types import DateTimeUTC
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

STATES_0012 = (
    "collected", "received", "diagnosis", "repair", "erasure", "graded", "ready", "reserved", "sold",
    "donated", "sold_to_organisation", "returned", "dismantled", "recycled", "returned_to_donor", "lost",
)  # fmt: skip


def _states_check(states: tuple[str, ...]) -> str:
    return f"state IN ({', '.join(repr(s) for s in states)})"


def upgrade() -> None:
    op.create_table(
        "manifest_imports",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("collection_id", sa.Integer(), nullable=False),
        sa.Column("at", DateTimeUTC(timezone=True), nullable=False),
        sa.Column("content_sha256", sa.String(length=64), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("device_count", sa.Integer(), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("actor_user_id", sa.Integer(), nullable=True),
        sa.Column("actor_token_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["actor_token_id"], ["api_tokens.id"], name=op.f("fk_manifest_imports_actor_token_id_api_tokens")
        ),
        sa.ForeignKeyConstraint(["actor_user_id"], ["users.id"], name=op.f("fk_manifest_imports_actor_user_id_users")),
        sa.ForeignKeyConstraint(
            ["collection_id"], ["collections.id"], name=op.f("fk_manifest_imports_collection_id_collections")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_manifest_imports")),
    )
    with op.batch_alter_table("manifest_imports", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_manifest_imports_collection_id"), ["collection_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_manifest_imports_content_sha256"), ["content_sha256"], unique=False)

    op.create_table(
        "manifest_import_devices",
        sa.Column("import_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("device_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["device_id"], ["devices.id"], name=op.f("fk_manifest_import_devices_device_id_devices")
        ),
        sa.ForeignKeyConstraint(
            ["import_id"],
            ["manifest_imports.id"],
            name=op.f("fk_manifest_import_devices_import_id_manifest_imports"),
        ),
        sa.PrimaryKeyConstraint("import_id", "device_id", name=op.f("pk_manifest_import_devices")),
        sa.UniqueConstraint("device_id", name=op.f("uq_manifest_import_devices_device_id")),
    )

    # Autogenerate does not see CHECK constraints: the state's is replaced by hand (SQLite: batch mode
    # rebuilds the table, which no trigger is on).
    with op.batch_alter_table("devices", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_devices_state"), type_="check")
        batch_op.create_check_constraint(op.f("ck_devices_state"), _states_check((*STATES_0012, "cancelled")))


def downgrade() -> None:
    cancelled = op.get_bind().execute(sa.text("SELECT count(*) FROM devices WHERE state = 'cancelled'")).scalar_one()
    if cancelled:
        raise RuntimeError(f"{cancelled} device(s) are cancelled: revision 0012 has no such state")
    with op.batch_alter_table("devices", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_devices_state"), type_="check")
        batch_op.create_check_constraint(op.f("ck_devices_state"), _states_check(STATES_0012))
    op.drop_table("manifest_import_devices")
    with op.batch_alter_table("manifest_imports", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_manifest_imports_content_sha256"))
        batch_op.drop_index(batch_op.f("ix_manifest_imports_collection_id"))
    op.drop_table("manifest_imports")
