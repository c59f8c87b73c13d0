"""initial schema: sites, partners, collections, devices and their append-only events

Revision ID: 0001
Revises: 
Create Date: 2026-11-23 09:21:30.151141
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from advanced_alchemy.types import DateTimeUTC
from sqlalchemy.dialects import postgresql

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('partners',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('siren', sa.String(length=9), nullable=True),
    sa.Column('siret', sa.String(length=14), nullable=True),
    sa.Column('insee_code', sa.String(length=5), nullable=True),
    sa.Column('address', sa.Text(), nullable=False),
    sa.Column('contact_name', sa.String(length=200), nullable=False),
    sa.Column('email', sa.String(length=200), nullable=False),
    sa.Column('phone', sa.String(length=40), nullable=False),
    sa.Column('created_at', DateTimeUTC(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('collectivity', 'company', 'association', 'individual')", name=op.f('ck_partners_kind')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_partners')),
    sa.UniqueConstraint('siret', name=op.f('uq_partners_siret'))
    )
    with op.batch_alter_table('partners', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_partners_siren'), ['siren'], unique=False)

    op.create_table('sites',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=4), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('address', sa.Text(), nullable=False),
    sa.Column('last_device_number', sa.Integer(), nullable=False),
    sa.Column('created_at', DateTimeUTC(timezone=True), nullable=False),
    sa.CheckConstraint('last_device_number >= 0', name=op.f('ck_sites_last_device_number_positive')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sites')),
    sa.UniqueConstraint('code', name=op.f('uq_sites_code'))
    )
    op.create_table('collections',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('donor_id', sa.Integer(), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.Column('collected_on', sa.Date(), nullable=False),
    sa.Column('pickup_address', sa.Text(), nullable=False),
    sa.Column('declared_weight_g', sa.Integer(), nullable=True),
    sa.Column('weighed_weight_g', sa.Integer(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('created_at', DateTimeUTC(timezone=True), nullable=False),
    sa.CheckConstraint('declared_weight_g IS NULL OR declared_weight_g > 0', name=op.f('ck_collections_declared_weight_positive')),
    sa.CheckConstraint('weighed_weight_g IS NULL OR weighed_weight_g > 0', name=op.f('ck_collections_weighed_weight_positive')),
    sa.ForeignKeyConstraint(['donor_id'], ['partners.id'], name=op.f('fk_collections_donor_id_partners')),
    sa.ForeignKeyConstraint(['site_id'], ['sites.id'], name=op.f('fk_collections_site_id_sites')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_collections'))
    )
    with op.batch_alter_table('collections', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_collections_donor_id'), ['donor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_collections_site_id'), ['site_id'], unique=False)

    op.create_table('partner_communes',
    sa.Column('partner_id', sa.Integer(), nullable=False),
    sa.Column('insee_code', sa.String(length=5), nullable=False),
    sa.ForeignKeyConstraint(['partner_id'], ['partners.id'], name=op.f('fk_partner_communes_partner_id_partners'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('partner_id', 'insee_code', name=op.f('pk_partner_communes'))
    )
    with op.batch_alter_table('partner_communes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_partner_communes_insee_code'), ['insee_code'], unique=False)

    op.create_table('devices',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=16), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.Column('collection_id', sa.Integer(), nullable=False),
    sa.Column('category', sa.String(length=30), nullable=False),
    sa.Column('manufacturer', sa.String(length=100), nullable=False),
    sa.Column('model', sa.String(length=100), nullable=False),
    sa.Column('serial', sa.String(length=100), nullable=True),
    sa.Column('asset_tag', sa.String(length=100), nullable=True),
    sa.Column('year', sa.SmallInteger(), nullable=True),
    sa.Column('weight_g', sa.Integer(), nullable=True),
    sa.Column('specs', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('grade', sa.String(length=1), nullable=True),
    sa.Column('price_cents', sa.Integer(), nullable=True),
    sa.Column('location', sa.String(length=100), nullable=False),
    sa.Column('state', sa.String(length=30), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', DateTimeUTC(timezone=True), nullable=False),
    sa.Column('updated_at', DateTimeUTC(timezone=True), nullable=False),
    sa.CheckConstraint("category IN ('laptop', 'desktop', 'all_in_one', 'screen', 'tablet', 'smartphone', 'printer', 'multifunction_printer', 'peripheral', 'network', 'other')", name=op.f('ck_devices_category')),
    sa.CheckConstraint("grade IS NULL OR grade IN ('A', 'B', 'C')", name=op.f('ck_devices_grade')),
    sa.CheckConstraint("state IN ('collected', 'received', 'diagnosis', 'repair', 'erasure', 'graded', 'ready', 'reserved', 'sold', 'donated', 'sold_to_organisation', 'returned', 'dismantled', 'recycled', 'returned_to_donor', 'lost')", name=op.f('ck_devices_state')),
    sa.CheckConstraint('price_cents IS NULL OR price_cents >= 0', name=op.f('ck_devices_price_positive')),
    sa.CheckConstraint('version >= 1', name=op.f('ck_devices_version_positive')),
    sa.CheckConstraint('weight_g IS NULL OR weight_g > 0', name=op.f('ck_devices_weight_positive')),
    sa.ForeignKeyConstraint(['collection_id'], ['collections.id'], name=op.f('fk_devices_collection_id_collections')),
    sa.ForeignKeyConstraint(['site_id'], ['sites.id'], name=op.f('fk_devices_site_id_sites')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_devices')),
    sa.UniqueConstraint('code', name=op.f('uq_devices_code'))
    )
    with op.batch_alter_table('devices', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_devices_asset_tag'), ['asset_tag'], unique=False)
        batch_op.create_index(batch_op.f('ix_devices_collection_id'), ['collection_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_devices_serial'), ['serial'], unique=False)
        batch_op.create_index(batch_op.f('ix_devices_site_id'), ['site_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_devices_state'), ['state'], unique=False)
        batch_op.create_index('ix_devices_state_category', ['state', 'category'], unique=False)

    op.create_table('device_events',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('device_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('at', DateTimeUTC(timezone=True), nullable=False),
    sa.Column('actor', sa.String(length=200), nullable=False),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('from_state', sa.String(length=30), nullable=True),
    sa.Column('to_state', sa.String(length=30), nullable=False),
    sa.Column('data', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['device_id'], ['devices.id'], name=op.f('fk_device_events_device_id_devices')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_device_events')),
    sa.UniqueConstraint('device_id', 'version', name=op.f('uq_device_events_device_id_version'))
    )
    with op.batch_alter_table('device_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_device_events_device_id'), ['device_id'], unique=False)


    # Device events are append-only: the database itself refuses to update or delete them.
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            """
            CREATE FUNCTION device_events_are_append_only() RETURNS trigger AS $$
            BEGIN
                RAISE EXCEPTION 'device events are append-only: % refused', TG_OP
                    USING ERRCODE = 'restrict_violation';
            END;
            $$ LANGUAGE plpgsql
            """
        )
        op.execute(
            "CREATE TRIGGER device_events_no_update_delete BEFORE UPDATE OR DELETE ON device_events "
            "FOR EACH ROW EXECUTE FUNCTION device_events_are_append_only()"
        )
        op.execute(
            "CREATE TRIGGER device_events_no_truncate BEFORE TRUNCATE ON device_events "
            "FOR EACH STATEMENT EXECUTE FUNCTION device_events_are_append_only()"
        )
    else:
        for operation in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER device_events_no_{operation.lower()} BEFORE {operation} ON device_events "
                f"BEGIN SELECT RAISE(ABORT, 'device events are append-only: {operation} refused'); END"
            )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER device_events_no_truncate ON device_events")
        op.execute("DROP TRIGGER device_events_no_update_delete ON device_events")
        op.execute("DROP FUNCTION device_events_are_append_only()")
    else:
        op.execute("DROP TRIGGER device_events_no_update")
        op.execute("DROP TRIGGER device_events_no_delete")
    with op.batch_alter_table('device_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_device_events_device_id'))

    op.drop_table('device_events')
    with op.batch_alter_table('devices', schema=None) as batch_op:
        batch_op.drop_index('ix_devices_state_category')
        batch_op.drop_index(batch_op.f('ix_devices_state'))
        batch_op.drop_index(batch_op.f('ix_devices_site_id'))
        batch_op.drop_index(batch_op.f('ix_devices_serial'))
        batch_op.drop_index(batch_op.f('ix_devices_collection_id'))
        batch_op.drop_index(batch_op.f('ix_devices_asset_tag'))

    op.drop_table('devices')
    with op.batch_alter_table('partner_communes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_partner_communes_insee_code'))

    op.drop_table('partner_communes')
    with op.batch_alter_table('collections', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_collections_site_id'))
        batch_op.drop_index(batch_op.f('ix_collections_donor_id'))

    op.drop_table('collections')
    op.drop_table('sites')
    with op.batch_alter_table('partners', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_partners_siren'))

    op.drop_table('partners')
