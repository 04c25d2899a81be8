"""recognition: awards, nominations, candidate changes, ranking snapshots, winners

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-27 03:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('awards',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('period_id', sa.Integer(), nullable=False),
    sa.Column('date_from', sa.Date(), nullable=False),
    sa.Column('date_to', sa.Date(), nullable=False),
    sa.Column('scope', sa.Enum('unit', 'jenis', 'semua', name='awardscope', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('unit_kind', sa.Enum('sekretariat', 'dinas', 'badan', 'kecamatan', 'kelurahan', 'puskesmas', 'upt', 'bagian', name='unitkind', native_enum=False, create_constraint=True, length=20), nullable=True),
    sa.Column('winners_count', sa.Integer(), nullable=False),
    sa.Column('min_respondents', sa.Integer(), nullable=False),
    sa.Column('weight_predikat', sa.Integer(), nullable=False),
    sa.Column('weight_realisation', sa.Integer(), nullable=False),
    sa.Column('weight_satisfaction', sa.Integer(), nullable=False),
    sa.Column('weight_regularity', sa.Integer(), nullable=False),
    sa.Column('weight_nomination', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('draf', 'diputuskan', 'dipublikasikan', 'ditarik', name='awardstatus', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.Column('published_at', sa.DateTime(), nullable=True),
    sa.Column('withdrawn_at', sa.DateTime(), nullable=True),
    sa.Column('withdrawal_reason', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_awards_created_by_id_users')),
    sa.ForeignKeyConstraint(['period_id'], ['periods.id'], name=op.f('fk_awards_period_id_periods')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_awards_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_awards'))
    )
    with op.batch_alter_table('awards', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_awards_period_id'), ['period_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_awards_published_at'), ['published_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_awards_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_awards_unit_id'), ['unit_id'], unique=False)

    op.create_table('award_candidate_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('award_id', sa.Integer(), nullable=False),
    sa.Column('employee_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('tambah', 'hapus', name='candidatechangekind', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('changed_by_id', sa.Integer(), nullable=True),
    sa.Column('changed_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['award_id'], ['awards.id'], name=op.f('fk_award_candidate_changes_award_id_awards')),
    sa.ForeignKeyConstraint(['changed_by_id'], ['users.id'], name=op.f('fk_award_candidate_changes_changed_by_id_users')),
    sa.ForeignKeyConstraint(['employee_id'], ['employees.id'], name=op.f('fk_award_candidate_changes_employee_id_employees')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_award_candidate_changes'))
    )
    with op.batch_alter_table('award_candidate_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_award_candidate_changes_award_id'), ['award_id'], unique=False)

    op.create_table('award_nominations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('award_id', sa.Integer(), nullable=False),
    sa.Column('employee_id', sa.Integer(), nullable=False),
    sa.Column('nominator_id', sa.Integer(), nullable=False),
    sa.Column('citation', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['award_id'], ['awards.id'], name=op.f('fk_award_nominations_award_id_awards')),
    sa.ForeignKeyConstraint(['employee_id'], ['employees.id'], name=op.f('fk_award_nominations_employee_id_employees')),
    sa.ForeignKeyConstraint(['nominator_id'], ['employees.id'], name=op.f('fk_award_nominations_nominator_id_employees')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_award_nominations')),
    sa.UniqueConstraint('award_id', 'employee_id', 'nominator_id', name=op.f('uq_award_nominations_award_id'))
    )
    with op.batch_alter_table('award_nominations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_award_nominations_award_id'), ['award_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_award_nominations_employee_id'), ['employee_id'], unique=False)

    op.create_table('award_ranking_snapshots',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('award_id', sa.Integer(), nullable=False),
    sa.Column('taken_at', sa.DateTime(), nullable=False),
    sa.Column('taken_by_id', sa.Integer(), nullable=True),
    sa.Column('settings', sa.JSON(), nullable=False),
    sa.Column('rows', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['award_id'], ['awards.id'], name=op.f('fk_award_ranking_snapshots_award_id_awards')),
    sa.ForeignKeyConstraint(['taken_by_id'], ['users.id'], name=op.f('fk_award_ranking_snapshots_taken_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_award_ranking_snapshots')),
    sa.UniqueConstraint('award_id', name=op.f('uq_award_ranking_snapshots_award_id'))
    )
    op.create_table('award_winners',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('award_id', sa.Integer(), nullable=False),
    sa.Column('employee_id', sa.Integer(), nullable=False),
    sa.Column('rank', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('position_name', sa.String(length=200), nullable=False),
    sa.Column('unit_name', sa.String(length=200), nullable=False),
    sa.Column('citation', sa.Text(), nullable=False),
    sa.Column('photo_consent', sa.Boolean(), nullable=False),
    sa.Column('photo_name', sa.String(length=64), nullable=True),
    sa.Column('photo_type', sa.String(length=20), nullable=True),
    sa.ForeignKeyConstraint(['award_id'], ['awards.id'], name=op.f('fk_award_winners_award_id_awards')),
    sa.ForeignKeyConstraint(['employee_id'], ['employees.id'], name=op.f('fk_award_winners_employee_id_employees')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_award_winners')),
    sa.UniqueConstraint('award_id', 'employee_id', name=op.f('uq_award_winners_award_id'))
    )
    with op.batch_alter_table('award_winners', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_award_winners_award_id'), ['award_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_award_winners_employee_id'), ['employee_id'], unique=False)


def downgrade():
    with op.batch_alter_table('award_winners', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_award_winners_employee_id'))
        batch_op.drop_index(batch_op.f('ix_award_winners_award_id'))

    op.drop_table('award_winners')
    op.drop_table('award_ranking_snapshots')
    with op.batch_alter_table('award_nominations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_award_nominations_employee_id'))
        batch_op.drop_index(batch_op.f('ix_award_nominations_award_id'))

    op.drop_table('award_nominations')
    with op.batch_alter_table('award_candidate_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_award_candidate_changes_award_id'))

    op.drop_table('award_candidate_changes')
    with op.batch_alter_table('awards', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_awards_unit_id'))
        batch_op.drop_index(batch_op.f('ix_awards_status'))
        batch_op.drop_index(batch_op.f('ix_awards_published_at'))
        batch_op.drop_index(batch_op.f('ix_awards_period_id'))

    op.drop_table('awards')
