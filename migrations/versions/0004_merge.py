"""Join the catalogue-search (0002) and accounts (0003) branches: one head again, no schema change.

Revision ID: 0004_merge
Revises: 0002_catalog_search, 0003_accounts
Create Date: 2026-11-28 00:59:26.675133

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004_merge'
down_revision = ('0002_catalog_search', '0003_accounts')
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
