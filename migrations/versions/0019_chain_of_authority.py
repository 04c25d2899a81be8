"""chain of authority: (placeholder, filled by the work that needs it)

Revision ID: 0019_chain_of_authority
Revises: 0018_employee_master_data
Create Date: 2026-12-10 09:00:00
"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401


# revision identifiers, used by Alembic.
revision = '0019_chain_of_authority'
down_revision = '0018_employee_master_data'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
