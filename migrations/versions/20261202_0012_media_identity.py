"""storage media know their world-wide name, and say when no report could identify them (issue 17)

A drive is one medium by its serial, then by its world-wide name (ATA "LU WWN Device Id", SAS
"Logical Unit id", NVMe EUI-64 or NGUID): `wwn` keeps that name. A drive a report names with neither
is never merged with another, and `needs_identification` says the technician must tell it apart
from its look-alikes (two identical SAS disks of a server are two media, two erasures). Media read
from a report before this migration and without a serial are marked so; media typed by hand are not
(the technician identified them).

The migration touches storage_media only, so it applies after 0010 as well as after 0011.
Downgrade drops both columns: what they said was learnt from the reports, which are kept.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02 16:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("storage_media", schema=None) as batch_op:
        batch_op.add_column(sa.Column("wwn", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("needs_identification", sa.Boolean(), nullable=True))
    op.execute(
        "UPDATE storage_media SET needs_identification = "
        "CASE WHEN serial IS NULL AND report_id IS NOT NULL THEN TRUE ELSE FALSE END"
    )
    with op.batch_alter_table("storage_media", schema=None) as batch_op:
        batch_op.alter_column("needs_identification", existing_type=sa.Boolean(), nullable=False)


def downgrade() -> None:
    with op.batch_alter_table("storage_media", schema=None) as batch_op:
        batch_op.drop_column("needs_identification")
        batch_op.drop_column("wwn")
