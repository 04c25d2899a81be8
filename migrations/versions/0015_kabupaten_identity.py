"""the kabupaten's identity: government's name, short name, logo, place of signing, accent

Revision ID: 0015_kabupaten_identity
Revises: 0014
Create Date: 2026-12-06 18:15:00

One row (a CHECK keeps it to id 1) that an admin edits: the name printed on every letterhead
and page header, the logo (re-encoded PNG, small enough to keep in the database so backups and
every app server have it), where documents are signed and the accent colour. `version` grows
with each change and names the logo and stylesheet URLs, so caches keep them until it changes.
No row is written here: until an admin saves, the name and place are read from the top unit
as before the upgrade, so nothing printed changes.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0015_kabupaten_identity'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'government_identity',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('government_name', sa.String(length=200), nullable=False),
        sa.Column('short_name', sa.String(length=60), nullable=False),
        sa.Column('place', sa.String(length=100), nullable=False),
        sa.Column('accent', sa.String(length=7), nullable=True),
        sa.Column('logo', sa.LargeBinary(), nullable=True),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=True),
        sa.Column('updated_by_id', sa.Integer(), nullable=True),
        sa.CheckConstraint('id = 1', name='ck_government_identity_one_row'),
        sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
    )


def downgrade():
    op.drop_table('government_identity')
