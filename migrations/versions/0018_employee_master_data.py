"""employee master data: (placeholder, filled by the work that needs it)

Revision ID: 0018_employee_master_data
Revises: 0017_holiday_calendar
Create Date: 2026-12-10 09:00:00
"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401


# revision identifiers, used by Alembic.
revision = '0018_employee_master_data'
down_revision = '0017_holiday_calendar'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
