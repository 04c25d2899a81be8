"""organisation performance: (placeholder, filled by the work that needs it)

Revision ID: 0021_organisation_performance
Revises: 0020_transfers_and_leave
Create Date: 2026-12-10 09:00:00
"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401


# revision identifiers, used by Alembic.
revision = '0021_organisation_performance'
down_revision = '0020_transfers_and_leave'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
