"""survey follow up: RTL rows, investigations, complaint channel and LAPOR! number, sanctions

Revision ID: 0024_survey_follow_up
Revises: 0023_survey_questionnaire
Create Date: 2026-12-10 09:00:00

- The follow-up of a published IKM becomes a rencana tindak lanjut: ikm_follow_ups is the plan
  (its free-text `text` becomes the optional `note`: existing statements are kept there, not
  turned into rows, since they name no programme, time frame or person) and
  ikm_follow_up_actions holds its rows.
- investigations (opened from an alert) with their complaints and counters.
- complaints.channel (existing rows: the kiosk, where they all came from) and
  complaints.lapor_number (SP4N-LAPOR!'s tracking number).
- disciplinary_sanctions (PP 94/2021), which keep an employee out of award rankings.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0024_survey_follow_up'
down_revision = '0023_survey_questionnaire'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('ikm_follow_ups', schema=None) as batch_op:
        batch_op.alter_column('text', new_column_name='note', existing_type=sa.Text(),
                              nullable=True)
    op.create_table('ikm_follow_up_actions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('element', sa.String(length=3), nullable=False),
    sa.Column('programme', sa.Text(), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=True),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('responsible', sa.String(length=200), nullable=False),
    sa.Column('status', sa.Enum('direncanakan', 'berjalan', 'selesai', name='actionstatus', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('realisation', sa.Text(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['plan_id'], ['ikm_follow_ups.id'], name=op.f('fk_ikm_follow_up_actions_plan_id_ikm_follow_ups')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ikm_follow_up_actions'))
    )
    with op.batch_alter_table('ikm_follow_up_actions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ikm_follow_up_actions_plan_id'), ['plan_id'], unique=False)

    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.add_column(sa.Column('channel', sa.Enum('kios', 'telepon', 'lapor', 'langsung', name='complaintchannel', native_enum=False, create_constraint=True, length=20), server_default='kios', nullable=False))
        batch_op.add_column(sa.Column('lapor_number', sa.String(length=20), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_complaints_lapor_number'), ['lapor_number'])

    op.create_table('investigations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('counter_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.Enum('complaints', 'ikm', name='investigationkind', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('alert_count', sa.Integer(), nullable=False),
    sa.Column('alert_mutu', sa.String(length=1), nullable=True),
    sa.Column('alert_ikm', sa.String(length=10), nullable=True),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('findings', sa.Text(), nullable=True),
    sa.Column('actions', sa.Text(), nullable=True),
    sa.Column('decision', sa.Text(), nullable=True),
    sa.Column('status', sa.Enum('dibuka', 'ditutup', name='investigationstatus', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('opened_by_id', sa.Integer(), nullable=False),
    sa.Column('opened_at', sa.DateTime(), nullable=False),
    sa.Column('closed_by_id', sa.Integer(), nullable=True),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['closed_by_id'], ['users.id'], name=op.f('fk_investigations_closed_by_id_users')),
    sa.ForeignKeyConstraint(['counter_id'], ['service_counters.id'], name=op.f('fk_investigations_counter_id_service_counters')),
    sa.ForeignKeyConstraint(['opened_by_id'], ['users.id'], name=op.f('fk_investigations_opened_by_id_users')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_investigations_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_investigations'))
    )
    with op.batch_alter_table('investigations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_investigations_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_investigations_unit_id'), ['unit_id'], unique=False)

    op.create_table('investigation_complaints',
    sa.Column('investigation_id', sa.Integer(), nullable=False),
    sa.Column('complaint_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['complaint_id'], ['complaints.id'], name=op.f('fk_investigation_complaints_complaint_id_complaints')),
    sa.ForeignKeyConstraint(['investigation_id'], ['investigations.id'], name=op.f('fk_investigation_complaints_investigation_id_investigations')),
    sa.PrimaryKeyConstraint('investigation_id', 'complaint_id', name=op.f('pk_investigation_complaints'))
    )
    op.create_table('investigation_counters',
    sa.Column('investigation_id', sa.Integer(), nullable=False),
    sa.Column('counter_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['counter_id'], ['service_counters.id'], name=op.f('fk_investigation_counters_counter_id_service_counters')),
    sa.ForeignKeyConstraint(['investigation_id'], ['investigations.id'], name=op.f('fk_investigation_counters_investigation_id_investigations')),
    sa.PrimaryKeyConstraint('investigation_id', 'counter_id', name=op.f('pk_investigation_counters'))
    )

    op.create_table('disciplinary_sanctions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('employee_id', sa.Integer(), nullable=False),
    sa.Column('level', sa.Enum('ringan', 'sedang', 'berat', name='sanctionlevel', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('imposed_on', sa.Date(), nullable=False),
    sa.Column('effective_from', sa.Date(), nullable=False),
    sa.Column('effective_to', sa.Date(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.Column('revoked_by_id', sa.Integer(), nullable=True),
    sa.Column('revoked_at', sa.DateTime(), nullable=True),
    sa.Column('revoke_reason', sa.String(length=300), nullable=True),
    sa.ForeignKeyConstraint(['employee_id'], ['employees.id'], name=op.f('fk_disciplinary_sanctions_employee_id_employees')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_disciplinary_sanctions_recorded_by_id_users')),
    sa.ForeignKeyConstraint(['revoked_by_id'], ['users.id'], name=op.f('fk_disciplinary_sanctions_revoked_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_disciplinary_sanctions'))
    )
    with op.batch_alter_table('disciplinary_sanctions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_disciplinary_sanctions_employee_id'), ['employee_id'], unique=False)


def downgrade():
    with op.batch_alter_table('disciplinary_sanctions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_disciplinary_sanctions_employee_id'))
    op.drop_table('disciplinary_sanctions')
    op.drop_table('investigation_counters')
    op.drop_table('investigation_complaints')
    with op.batch_alter_table('investigations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_investigations_unit_id'))
        batch_op.drop_index(batch_op.f('ix_investigations_status'))
    op.drop_table('investigations')
    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_complaints_lapor_number'), type_='unique')
        batch_op.drop_constraint(batch_op.f('ck_complaints_complaintchannel'), type_='check')
        batch_op.drop_column('lapor_number')
        batch_op.drop_column('channel')
    with op.batch_alter_table('ikm_follow_up_actions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ikm_follow_up_actions_plan_id'))
    op.drop_table('ikm_follow_up_actions')
    # A plan without a note had only rows: its statement is the empty text.
    op.execute("UPDATE ikm_follow_ups SET note = '' WHERE note IS NULL")
    with op.batch_alter_table('ikm_follow_ups', schema=None) as batch_op:
        batch_op.alter_column('note', new_column_name='text', existing_type=sa.Text(),
                              nullable=False)
