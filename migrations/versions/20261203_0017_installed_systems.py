"""the operating system installed on each device, with its licence (issue 17, item 6)

One row per installation (the latest is the device's system); a refurbisher's Windows key is unique:
it goes on one device only.

Revision ID: 0017
Revises: 0015
Create Date: 2026-12-03 17:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from advanced_alchemy.types import DateTimeUTC
from alembic import op

revision = "0017"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "installed_systems",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("device_id", sa.Integer(), nullable=False),
        sa.Column("installed_at", DateTimeUTC(timezone=True), nullable=False),
        sa.Column("family", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("licence", sa.String(length=20), nullable=False),
        sa.Column("licence_key", sa.String(length=29), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("actor_user_id", sa.Integer(), nullable=True),
        sa.Column("actor_token_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "family IN ('linux', 'windows', 'chromeos', 'android', 'ios', 'other')",
            name=op.f("ck_installed_systems_family"),
        ),
        sa.CheckConstraint(
            "licence IN ('free', 'coa', 'refurbisher', 'none')", name=op.f("ck_installed_systems_licence")
        ),
        sa.CheckConstraint(
            "(licence = 'refurbisher') = (licence_key IS NOT NULL)",
            name=op.f("ck_installed_systems_key_for_refurbisher"),
        ),
        sa.ForeignKeyConstraint(
            ["actor_token_id"], ["api_tokens.id"], name=op.f("fk_installed_systems_actor_token_id_api_tokens")
        ),
        sa.ForeignKeyConstraint(["actor_user_id"], ["users.id"], name=op.f("fk_installed_systems_actor_user_id_users")),
        sa.ForeignKeyConstraint(["device_id"], ["devices.id"], name=op.f("fk_installed_systems_device_id_devices")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_installed_systems")),
        sa.UniqueConstraint("licence_key", name=op.f("uq_installed_systems_licence_key")),
    )
    with op.batch_alter_table("installed_systems", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_installed_systems_device_id"), ["device_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_installed_systems_installed_at"), ["installed_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("installed_systems", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_installed_systems_installed_at"))
        batch_op.drop_index(batch_op.f("ix_installed_systems_device_id"))
    op.drop_table("installed_systems")
