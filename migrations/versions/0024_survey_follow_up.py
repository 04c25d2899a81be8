"""survey follow up: (placeholder, filled by the work that needs it)

Revision ID: 0024_survey_follow_up
Revises: 0023_survey_questionnaire
Create Date: 2026-12-10 09:00:00
"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401


# revision identifiers, used by Alembic.
revision = '0024_survey_follow_up'
down_revision = '0023_survey_questionnaire'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
