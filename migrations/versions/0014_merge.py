"""Join the branches made side by side for issues 16 and 17: VAT rates (0010), refunds and
returns (0011), legal documents and consents (0012), the FTS5 search index (0013). One head
again, no schema change.

Revision ID: 0014_merge
Revises: 0010_vat_rates, 0011_refunds_returns, 0012_legal, 0013_fts_search
"""

revision = "0014_merge"
down_revision = ("0010_vat_rates", "0011_refunds_returns", "0012_legal", "0013_fts_search")
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
