"""a storage medium says which harvested part it was fitted from (issue 17, item 7)

A storage part harvested by dismantling carries its first owner's data: fitted into another device
by a repair, it becomes a medium of that device that needs its own erasure before the gate lets the
device on sale. `part_id` links the medium to the part (and so to the device it was harvested from).
Media recorded before this migration have none.

Downgrade drops the column: the repair's parts (repair_parts) still say which part went where.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-03 17:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("storage_media", schema=None) as batch_op:
        batch_op.add_column(sa.Column("part_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True))
        batch_op.create_foreign_key("fk_storage_media_part_id_parts", "parts", ["part_id"], ["id"])


def downgrade() -> None:
    with op.batch_alter_table("storage_media", schema=None) as batch_op:
        batch_op.drop_constraint("fk_storage_media_part_id_parts", type_="foreignkey")
        batch_op.drop_column("part_id")
