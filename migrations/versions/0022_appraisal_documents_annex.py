"""appraisal documents annex: (placeholder, filled by the work that needs it)

Revision ID: 0022_appraisal_documents_annex
Revises: 0021_organisation_performance
Create Date: 2026-12-10 09:00:00
"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401


# revision identifiers, used by Alembic.
revision = '0022_appraisal_documents_annex'
down_revision = '0021_organisation_performance'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
