"""publication: published IKM periods and units, follow-up statements

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-27 03:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('ikm_publications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('start', sa.Date(), nullable=False),
    sa.Column('end', sa.Date(), nullable=False),
    sa.Column('label', sa.String(length=60), nullable=False),
    sa.Column('status', sa.Enum('terbit', 'ditarik', name='publicationstatus', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('published_by_id', sa.Integer(), nullable=False),
    sa.Column('published_at', sa.DateTime(), nullable=False),
    sa.Column('withdrawn_by_id', sa.Integer(), nullable=True),
    sa.Column('withdrawn_at', sa.DateTime(), nullable=True),
    sa.Column('withdraw_reason', sa.String(length=300), nullable=True),
    sa.ForeignKeyConstraint(['published_by_id'], ['users.id'], name=op.f('fk_ikm_publications_published_by_id_users')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_ikm_publications_unit_id_units')),
    sa.ForeignKeyConstraint(['withdrawn_by_id'], ['users.id'], name=op.f('fk_ikm_publications_withdrawn_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ikm_publications'))
    )
    with op.batch_alter_table('ikm_publications', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ikm_publications_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_ikm_publications_unit_id'), ['unit_id'], unique=False)

    op.create_table('ikm_follow_ups',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('publication_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('status', sa.Enum('draf', 'diajukan', 'disetujui', 'ditolak', name='statementstatus', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.Column('reject_reason', sa.String(length=300), nullable=True),
    sa.ForeignKeyConstraint(['author_id'], ['employees.id'], name=op.f('fk_ikm_follow_ups_author_id_employees')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_ikm_follow_ups_decided_by_id_users')),
    sa.ForeignKeyConstraint(['publication_id'], ['ikm_publications.id'], name=op.f('fk_ikm_follow_ups_publication_id_ikm_publications')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ikm_follow_ups')),
    sa.UniqueConstraint('publication_id', name=op.f('uq_ikm_follow_ups_publication_id'))
    )
    with op.batch_alter_table('ikm_follow_ups', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ikm_follow_ups_status'), ['status'], unique=False)


def downgrade():
    with op.batch_alter_table('ikm_follow_ups', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ikm_follow_ups_status'))

    op.drop_table('ikm_follow_ups')
    with op.batch_alter_table('ikm_publications', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ikm_publications_unit_id'))
        batch_op.drop_index(batch_op.f('ix_ikm_publications_status'))

    op.drop_table('ikm_publications')
