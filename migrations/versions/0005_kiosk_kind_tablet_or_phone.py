"""Kiosk kind: 'tablet' (a paired device) or 'phone' (a counter's QR poster channel)

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27 01:27:07.435964

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    # The server default fills the kiosks that exist already: all of them are tablets.
    with op.batch_alter_table('kiosks', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.String(length=10), server_default='tablet',
                                      nullable=False))


def downgrade():
    # Phone ratings stay (kiosk_id points at rows that become plain token-less kiosks).
    with op.batch_alter_table('kiosks', schema=None) as batch_op:
        batch_op.drop_column('kind')
