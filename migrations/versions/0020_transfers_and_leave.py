"""transfers and leave: several SKPs a year (each covering its months), transfers, CLTN/tugas belajar

Revision ID: 0020_transfers_and_leave
Revises: 0019_chain_of_authority
Create Date: 2026-12-10 09:00:00

An SKP covered one employee's whole year (unique per employee and period). A transfer now
closes the running plan at the end of the month before its effective date and opens a draft
for the rest of the year, so an SKP covers months first_month..last_month (existing plans: the
whole year) and is unique per employee, period and first month. Transfers and leave outside the
state's payroll (CLTN, tugas belajar) are recorded by HR.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0020_transfers_and_leave'
down_revision = '0019_chain_of_authority'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('skps', schema=None) as batch_op:
        batch_op.add_column(sa.Column('first_month', sa.Integer(), server_default='1',
                                      nullable=False))
        batch_op.add_column(sa.Column('last_month', sa.Integer(), server_default='12',
                                      nullable=False))
        batch_op.drop_constraint('uq_skps_employee_id', type_='unique')
        batch_op.create_unique_constraint('uq_skps_employee_period_first_month',
                                          ['employee_id', 'period_id', 'first_month'])

    op.create_table('transfers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('employee_id', sa.Integer(), nullable=False),
    sa.Column('effective_on', sa.Date(), nullable=False),
    sa.Column('from_unit_id', sa.Integer(), nullable=True),
    sa.Column('to_unit_id', sa.Integer(), nullable=True),
    sa.Column('from_supervisor_id', sa.Integer(), nullable=True),
    sa.Column('to_supervisor_id', sa.Integer(), nullable=True),
    sa.Column('from_position_id', sa.Integer(), nullable=True),
    sa.Column('to_position_id', sa.Integer(), nullable=True),
    sa.Column('closed_skp_id', sa.Integer(), nullable=True),
    sa.Column('opened_skp_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['closed_skp_id'], ['skps.id'], name=op.f('fk_transfers_closed_skp_id_skps')),
    sa.ForeignKeyConstraint(['employee_id'], ['employees.id'], name=op.f('fk_transfers_employee_id_employees')),
    sa.ForeignKeyConstraint(['from_position_id'], ['positions.id'], name=op.f('fk_transfers_from_position_id_positions')),
    sa.ForeignKeyConstraint(['from_supervisor_id'], ['employees.id'], name=op.f('fk_transfers_from_supervisor_id_employees')),
    sa.ForeignKeyConstraint(['from_unit_id'], ['units.id'], name=op.f('fk_transfers_from_unit_id_units')),
    sa.ForeignKeyConstraint(['opened_skp_id'], ['skps.id'], name=op.f('fk_transfers_opened_skp_id_skps')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_transfers_recorded_by_id_users')),
    sa.ForeignKeyConstraint(['to_position_id'], ['positions.id'], name=op.f('fk_transfers_to_position_id_positions')),
    sa.ForeignKeyConstraint(['to_supervisor_id'], ['employees.id'], name=op.f('fk_transfers_to_supervisor_id_employees')),
    sa.ForeignKeyConstraint(['to_unit_id'], ['units.id'], name=op.f('fk_transfers_to_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_transfers'))
    )
    with op.batch_alter_table('transfers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_transfers_employee_id'), ['employee_id'], unique=False)

    op.create_table('leaves',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('employee_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('cltn', 'tugas_belajar', name='leavekind', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['employee_id'], ['employees.id'], name=op.f('fk_leaves_employee_id_employees')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_leaves_recorded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_leaves'))
    )
    with op.batch_alter_table('leaves', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_leaves_employee_id'), ['employee_id'], unique=False)


def downgrade():
    with op.batch_alter_table('leaves', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_leaves_employee_id'))
    op.drop_table('leaves')
    with op.batch_alter_table('transfers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_transfers_employee_id'))
    op.drop_table('transfers')
    # Going back to one plan a year: keep each employee's first plan of a year only when the
    # data allows it (a database with transfers cannot be downgraded without losing plans).
    with op.batch_alter_table('skps', schema=None) as batch_op:
        batch_op.drop_constraint('uq_skps_employee_period_first_month', type_='unique')
        batch_op.create_unique_constraint('uq_skps_employee_id', ['employee_id', 'period_id'])
        batch_op.drop_column('last_month')
        batch_op.drop_column('first_month')
