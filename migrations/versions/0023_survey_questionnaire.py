"""survey questionnaire: (placeholder, filled by the work that needs it)

Revision ID: 0023_survey_questionnaire
Revises: 0022_appraisal_documents_annex
Create Date: 2026-12-10 09:00:00
"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401


# revision identifiers, used by Alembic.
revision = '0023_survey_questionnaire'
down_revision = '0022_appraisal_documents_annex'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
