"""who did it, recorded the same way on every table (issue 15)

Thirteen tables record an act. Until now they said who did it three ways: the label alone
(certificates, parts, recycling_lots, sale_returns, till_movements), the label and the account
(sales, stock_audits), or the label, the account and the API token (device_events, erasures,
functional_tests, hardware_reports, label_prints, repairs). The models now share one set of
columns (reemploi.db.ActorColumns): this adds the missing account and token columns, with their
foreign keys, and links the rows already there to their account where the label says which: a
person's label is their login; a token's label is "jeton:<name>" (linked only when one token has
that name). Labels that name no account (a command run on the server, a deleted account) stay
unlinked, as the code of their time would have left them.

Downgrade drops the added columns (the labels stay, so nothing a person reads is lost).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 08:44:43.925141
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

# table → the actor columns it lacks
MISSING = {
    "certificates": ("actor_user_id", "actor_token_id"),
    "parts": ("actor_user_id", "actor_token_id"),
    "recycling_lots": ("actor_user_id", "actor_token_id"),
    "sale_returns": ("actor_user_id", "actor_token_id"),
    "sales": ("actor_token_id",),
    "stock_audits": ("actor_token_id",),
    "till_movements": ("actor_user_id", "actor_token_id"),
}
REFERRED = {"actor_user_id": "users", "actor_token_id": "api_tokens"}


def upgrade() -> None:
    for table, columns in MISSING.items():
        with op.batch_alter_table(table) as batch_op:
            for column in columns:
                batch_op.add_column(sa.Column(column, sa.Integer(), nullable=True))
                batch_op.create_foreign_key(
                    batch_op.f(f"fk_{table}_{column}_{REFERRED[column]}"), REFERRED[column], [column], ["id"]
                )
        if "actor_user_id" in columns:
            op.execute(
                f"UPDATE {table} SET actor_user_id = (SELECT users.id FROM users WHERE users.login = {table}.actor) "
                f"WHERE actor_user_id IS NULL"
            )
        op.execute(
            f"UPDATE {table} SET actor_token_id = (SELECT min(api_tokens.id) FROM api_tokens "
            f"WHERE 'jeton:' || api_tokens.name = {table}.actor HAVING count(*) = 1) "
            f"WHERE actor_token_id IS NULL AND actor LIKE 'jeton:%'"
        )


def downgrade() -> None:
    for table, columns in reversed(list(MISSING.items())):
        with op.batch_alter_table(table) as batch_op:
            for column in reversed(columns):
                batch_op.drop_constraint(batch_op.f(f"fk_{table}_{column}_{REFERRED[column]}"), type_="foreignkey")
                batch_op.drop_column(column)
