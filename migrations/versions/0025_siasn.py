"""siasn: the link to BKN's SIASN (calls, people, reference lists, the outbox of results)

Revision ID: 0025_siasn
Revises: 0024_survey_follow_up
Create Date: 2026-12-10 12:00:00

Every call to BKN is kept without secrets (siasn_calls); our employees' SIASN ids and BKN's
reference lists are cached; each version of a final evaluation's result is one outbox entry,
unique per evaluation and result, sent once by the worker.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0025_siasn'
down_revision = '0024_survey_follow_up'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'siasn_calls',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('at', sa.DateTime(), nullable=False),
        sa.Column('method', sa.String(length=8), nullable=False),
        sa.Column('endpoint', sa.String(length=60), nullable=False),
        sa.Column('subject', sa.String(length=40), nullable=True),
        sa.Column('status', sa.Integer(), nullable=True),
        sa.Column('ok', sa.Boolean(), nullable=False),
        sa.Column('duration_ms', sa.Double(), nullable=False),
        sa.Column('message', sa.String(length=300), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_siasn_calls')),
    )
    with op.batch_alter_table('siasn_calls') as batch_op:
        batch_op.create_index(batch_op.f('ix_siasn_calls_at'), ['at'], unique=False)
    op.create_table(
        'siasn_people',
        sa.Column('employee_id', sa.Integer(), nullable=False),
        sa.Column('siasn_id', sa.String(length=64), nullable=False),
        sa.Column('fetched_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['employee_id'], ['employees.id'], ondelete='CASCADE',
                                name=op.f('fk_siasn_people_employee_id_employees')),
        sa.PrimaryKeyConstraint('employee_id', name=op.f('pk_siasn_people')),
    )
    op.create_table(
        'siasn_references',
        sa.Column('name', sa.String(length=60), nullable=False),
        sa.Column('items', sa.JSON(), nullable=False),
        sa.Column('fetched_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('name', name=op.f('pk_siasn_references')),
    )
    op.create_table(
        'siasn_outbox',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('evaluation_id', sa.Integer(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('result_digest', sa.String(length=64), nullable=False),
        sa.Column('status', sa.Enum('menunggu', 'mengirim', 'terkirim', 'ditolak',
                                    name='outboxstatus', native_enum=False, length=20,
                                    create_constraint=True), nullable=False),
        sa.Column('payload', sa.JSON(), nullable=True),
        sa.Column('document', sa.JSON(), nullable=True),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('next_attempt_at', sa.DateTime(), nullable=False),
        sa.Column('uncertain', sa.Boolean(), nullable=False),
        sa.Column('claimed_at', sa.DateTime(), nullable=True),
        sa.Column('bkn_id', sa.String(length=64), nullable=True),
        sa.Column('last_error', sa.String(length=500), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('sent_at', sa.DateTime(), nullable=True),
        sa.Column('resent_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['evaluation_id'], ['evaluations.id'], ondelete='CASCADE',
                                name=op.f('fk_siasn_outbox_evaluation_id_evaluations')),
        sa.ForeignKeyConstraint(['resent_by_id'], ['users.id'], ondelete='SET NULL',
                                name=op.f('fk_siasn_outbox_resent_by_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_siasn_outbox')),
        sa.UniqueConstraint('evaluation_id', 'result_digest',
                            name=op.f('uq_siasn_outbox_evaluation_id')),
    )
    with op.batch_alter_table('siasn_outbox') as batch_op:
        batch_op.create_index(batch_op.f('ix_siasn_outbox_evaluation_id'), ['evaluation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_siasn_outbox_status'), ['status'], unique=False)


    op.create_table(
        'siasn_pulls',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('scope', sa.String(length=120), nullable=False),
        sa.Column('started_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('checked', sa.Integer(), nullable=False),
        sa.Column('notes', sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(['started_by_id'], ['users.id'], ondelete='SET NULL',
                                name=op.f('fk_siasn_pulls_started_by_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_siasn_pulls')),
    )
    op.create_table(
        'siasn_changes',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('pull_id', sa.Integer(), nullable=False),
        sa.Column('employee_id', sa.Integer(), nullable=False),
        sa.Column('field', sa.String(length=30), nullable=False),
        sa.Column('current', sa.String(length=300), nullable=True),
        sa.Column('proposed', sa.String(length=300), nullable=True),
        sa.Column('current_text', sa.String(length=300), nullable=False),
        sa.Column('proposed_text', sa.String(length=300), nullable=False),
        sa.Column('decision', sa.Enum('menunggu', 'diterima', 'ditolak', name='changedecision',
                                      native_enum=False, length=20, create_constraint=True),
                  nullable=False),
        sa.Column('decided_by_id', sa.Integer(), nullable=True),
        sa.Column('decided_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['pull_id'], ['siasn_pulls.id'], ondelete='CASCADE',
                                name=op.f('fk_siasn_changes_pull_id_siasn_pulls')),
        sa.ForeignKeyConstraint(['employee_id'], ['employees.id'], ondelete='CASCADE',
                                name=op.f('fk_siasn_changes_employee_id_employees')),
        sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], ondelete='SET NULL',
                                name=op.f('fk_siasn_changes_decided_by_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_siasn_changes')),
    )
    with op.batch_alter_table('siasn_changes') as batch_op:
        batch_op.create_index(batch_op.f('ix_siasn_changes_pull_id'), ['pull_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_siasn_changes_employee_id'), ['employee_id'], unique=False)
    with op.batch_alter_table('units') as batch_op:
        batch_op.add_column(sa.Column('siasn_unor_id', sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_units_siasn_unor_id'), ['siasn_unor_id'])
    # An SKP the PPK approved on paper, transcribed by HR with the signed scan.
    with op.batch_alter_table('skp_versions') as batch_op:
        batch_op.add_column(sa.Column('recorded_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('scan_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_skp_versions_recorded_by_id_users'), 'users',
                                    ['recorded_by_id'], ['id'], ondelete='SET NULL')
        batch_op.create_foreign_key(batch_op.f('fk_skp_versions_scan_id_evidence'), 'evidence',
                                    ['scan_id'], ['id'])
    op.create_table(
        'tpp_formulas',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('weight_predikat', sa.Integer(), nullable=False),
        sa.Column('weight_realisation', sa.Integer(), nullable=False),
        sa.Column('weight_regularity', sa.Integer(), nullable=False),
        sa.Column('weight_hours', sa.Integer(), nullable=False),
        sa.Column('weight_ikm', sa.Integer(), nullable=False),
        sa.Column('predikat_percents', sa.JSON(), nullable=False),
        sa.Column('hours_per_day', sa.Numeric(precision=4, scale=2), nullable=False),
        sa.Column('set_by_id', sa.Integer(), nullable=True),
        sa.Column('set_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['set_by_id'], ['users.id'], ondelete='SET NULL',
                                name=op.f('fk_tpp_formulas_set_by_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_tpp_formulas')),
        sa.UniqueConstraint('year', name=op.f('uq_tpp_formulas_year')),
    )


def downgrade():
    op.drop_table('tpp_formulas')
    with op.batch_alter_table('skp_versions') as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_skp_versions_scan_id_evidence'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_skp_versions_recorded_by_id_users'),
                                 type_='foreignkey')
        batch_op.drop_column('scan_id')
        batch_op.drop_column('recorded_by_id')
    with op.batch_alter_table('units') as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_units_siasn_unor_id'), type_='unique')
        batch_op.drop_column('siasn_unor_id')
    op.drop_table('siasn_changes')
    op.drop_table('siasn_pulls')
    op.drop_table('siasn_outbox')
    op.drop_table('siasn_references')
    op.drop_table('siasn_people')
    op.drop_table('siasn_calls')
