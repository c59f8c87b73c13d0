"""repair databases migrated while 0005 and 0007 were edited in place (issue 15)

0005 and 0007 were changed after databases had run them: a database that ran 0005 at commit
0e3ed3d, or 0007 at 00c7948..c063b01 (original) or 60a053b (first edit), says it is at head yet
lacks what the later text of those migrations creates:

- from 0005 (edited in c0e6a52): certificates.ck_certificates_kind without 'attestation';
- from 0007 (edited in 60a053b): sales.series and sales.buyer_partner_id, their foreign key and
  index, sales.beneficiary_id still NOT NULL, ck_sales_kind without 'organisation', no
  ck_sales_one_buyer nor ck_sales_series, uq_sales_year_number instead of
  uq_sales_series_year_number;
- from 0007 (edited in bb95d8a): sale_lines.ht_cents.

Each is looked for first and added only when missing, on both engines: on a database created by the
current 0001-0008 this migration changes nothing. Rows already there are filled in as the code of
their time wrote them: every sale before sales to organisations is a receipt (series 'receipt'), and
a line's ht_cents is its price before VAT at the rate the sale's facts recorded (the price itself when
the workshop was not subject to VAT).

Downgrade does nothing: this only restores objects that 0005 and 0007 define, so going below 0009
keeps them, as it keeps them for a database that never lacked them (0007's downgrade drops them).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 08:18:44.000000
"""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

CERTIFICATE_KINDS = "kind IN ('device', 'collection', 'attestation')"
SALE_KINDS = "kind IN ('sale', 'donation', 'organisation')"
ONE_BUYER = (
    "(kind = 'organisation' AND buyer_partner_id IS NOT NULL AND beneficiary_id IS NULL) OR "
    "(kind != 'organisation' AND beneficiary_id IS NOT NULL AND buyer_partner_id IS NULL)"
)
SERIES = "series IN ('receipt', 'invoice')"


class _Table:
    """What the database says about one table now (read again after each change)."""

    def __init__(self, name: str) -> None:
        inspector = sa.inspect(op.get_bind())
        self.columns = {c['name']: c for c in inspector.get_columns(name)}
        self.checks = {c['name']: c['sqltext'] for c in inspector.get_check_constraints(name)}
        self.uniques = {u['name'] for u in inspector.get_unique_constraints(name)}
        self.foreign_keys = {f['name'] for f in inspector.get_foreign_keys(name)}
        self.indexes = {i['name'] for i in inspector.get_indexes(name)}

    def check_lacks(self, name: str, word: str) -> bool:
        """The CHECK constraint exists but does not allow `word` (PostgreSQL rewrites the text:
        look for the quoted value, which both engines keep)."""
        return name in self.checks and f"'{word}'" not in self.checks[name]


def upgrade() -> None:
    _certificates()
    _sales()
    _sale_lines()


def _certificates() -> None:
    certificates = _Table('certificates')
    if not certificates.check_lacks('ck_certificates_kind', 'attestation'):
        return
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_certificates_kind'), type_='check')
        batch_op.create_check_constraint(op.f('ck_certificates_kind'), sa.text(CERTIFICATE_KINDS))


def _sales() -> None:
    sales = _Table('sales')
    missing_columns = [c for c in ('series', 'buyer_partner_id') if c not in sales.columns]
    if missing_columns:
        # Added nullable first (SQLite cannot add a NOT NULL column without default), filled, then tightened.
        with op.batch_alter_table('sales', schema=None) as batch_op:
            if 'series' in missing_columns:
                batch_op.add_column(sa.Column('series', sa.String(length=10), nullable=True))
            if 'buyer_partner_id' in missing_columns:
                batch_op.add_column(sa.Column('buyer_partner_id', sa.Integer(), nullable=True))
        op.execute("UPDATE sales SET series = 'receipt' WHERE series IS NULL")
        sales = _Table('sales')

    changes: list[Any] = []
    if sales.columns['series']['nullable']:
        changes.append(lambda b: b.alter_column('series', existing_type=sa.String(length=10), nullable=False))
    if not sales.columns['beneficiary_id']['nullable']:
        changes.append(lambda b: b.alter_column('beneficiary_id', existing_type=sa.Integer(), nullable=True))
    if 'fk_sales_buyer_partner_id_partners' not in sales.foreign_keys:
        changes.append(
            lambda b: b.create_foreign_key(
                op.f('fk_sales_buyer_partner_id_partners'), 'partners', ['buyer_partner_id'], ['id']
            )
        )
    if sales.check_lacks('ck_sales_kind', 'organisation'):
        changes.append(lambda b: b.drop_constraint(op.f('ck_sales_kind'), type_='check'))
        changes.append(lambda b: b.create_check_constraint(op.f('ck_sales_kind'), sa.text(SALE_KINDS)))
    if 'ck_sales_one_buyer' not in sales.checks:
        changes.append(lambda b: b.create_check_constraint(op.f('ck_sales_one_buyer'), sa.text(ONE_BUYER)))
    if 'ck_sales_series' not in sales.checks:
        changes.append(lambda b: b.create_check_constraint(op.f('ck_sales_series'), sa.text(SERIES)))
    if 'uq_sales_year_number' in sales.uniques:
        changes.append(lambda b: b.drop_constraint(op.f('uq_sales_year_number'), type_='unique'))
    if 'uq_sales_series_year_number' not in sales.uniques:
        changes.append(
            lambda b: b.create_unique_constraint(op.f('uq_sales_series_year_number'), ['series', 'year', 'number'])
        )
    if 'ix_sales_buyer_partner_id' not in sales.indexes:
        changes.append(lambda b: b.create_index(op.f('ix_sales_buyer_partner_id'), ['buyer_partner_id'], unique=False))
    if changes:
        with op.batch_alter_table('sales', schema=None) as batch_op:  # SQLite: one rebuild for all of them
            for change in changes:
                change(batch_op)


def _sale_lines() -> None:
    if 'ht_cents' in _Table('sale_lines').columns:
        return
    with op.batch_alter_table('sale_lines', schema=None) as batch_op:
        batch_op.add_column(sa.Column('ht_cents', sa.Integer(), nullable=True))
    bind = op.get_bind()
    lines = bind.execute(
        sa.text('SELECT l.id, l.price_cents, s.facts FROM sale_lines l LEFT JOIN sales s ON s.id = l.sale_id')
    ).all()
    values = [{'id': id_, 'ht': _before_vat(price, facts)} for id_, price, facts in lines]
    if values:
        bind.execute(sa.text('UPDATE sale_lines SET ht_cents = :ht WHERE id = :id'), values)
    with op.batch_alter_table('sale_lines', schema=None) as batch_op:
        batch_op.alter_column('ht_cents', existing_type=sa.Integer(), nullable=False)


def _before_vat(price_cents: int, facts: Any) -> int:
    """The line's price before VAT, as reemploi.sales computed it when the sale was made: a receipt's
    facts carry vat_breakdown (None when not subject to VAT), an invoice's vat_rate_percent."""
    if isinstance(facts, str | bytes):
        facts = json.loads(facts)
    rate = int(((facts or {}).get('vat_breakdown') or {}).get('rate_percent') or (facts or {}).get('vat_rate_percent') or 0)
    return round(price_cents * 100 / (100 + rate)) if rate else price_cents


def downgrade() -> None:
    """Nothing to undo: the objects restored here belong to 0005 and 0007 (see the module docstring)."""
