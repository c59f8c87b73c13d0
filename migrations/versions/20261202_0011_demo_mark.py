"""the demo's mark: a database made by `reemploi demo` says so (issue 16)

`reemploi demo` loaded its world into any database without devices, so a real workshop's database
made by `db upgrade` and `user create` got the demo's accounts and their published passwords. The
demo now writes one row here when it creates a database, and refuses any database without it.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 14:05:00
"""

from __future__ import annotations

import sqlalchemy as sa
from advanced_alchemy.types import DateTimeUTC
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "demo_mark",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", DateTimeUTC(timezone=True), nullable=False),
        sa.CheckConstraint("id = 1", name=op.f("ck_demo_mark_one_row")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_demo_mark")),
    )


def downgrade() -> None:
    op.drop_table("demo_mark")
