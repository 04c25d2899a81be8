"""holiday calendar: (placeholder, filled by the work that needs it)

Revision ID: 0017_holiday_calendar
Revises: 0016_background_jobs
Create Date: 2026-12-10 09:00:00
"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401


# revision identifiers, used by Alembic.
revision = '0017_holiday_calendar'
down_revision = '0016_background_jobs'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
