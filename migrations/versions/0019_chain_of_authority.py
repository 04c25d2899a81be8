"""chain of authority: the PPK as a person (no NIP), PPK terms, Plt/Plh, decisions recorded for the PPK

The PPK (Bupati/Wali Kota) is an employees row with is_ppk set and no NIP; every other row keeps
its NIP (a check constraint). ppk_terms says who the PPK is and for how long; acting_officials
holds HR's Plt/Plh records; ppk_records keeps, for a decision HR recorded on the PPK's behalf,
the signed scan it was recorded from.

Revision ID: 0019_chain_of_authority
Revises: 0018_employee_master_data
Create Date: 2026-12-10 09:00:00
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0019_chain_of_authority'
down_revision = '0018_employee_master_data'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('employees', schema=None) as batch_op:
        batch_op.add_column(sa.Column('is_ppk', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
        batch_op.alter_column('nip', existing_type=sa.String(length=18), nullable=True)
        batch_op.create_check_constraint('ck_employees_nip_unless_ppk', 'nip IS NOT NULL OR is_ppk')
    op.create_table(
        'ppk_terms',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('employee_id', sa.Integer(), nullable=False),
        sa.Column('title', sa.String(length=200), nullable=False),
        sa.Column('starts_on', sa.Date(), nullable=False),
        sa.Column('ends_on', sa.Date(), nullable=True),
        sa.Column('set_by_id', sa.Integer(), nullable=True),
        sa.Column('set_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['employee_id'], ['employees.id']),
        sa.ForeignKeyConstraint(['set_by_id'], ['users.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('ppk_terms', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ppk_terms_employee_id'), ['employee_id'], unique=False)
    op.create_table(
        'acting_officials',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('employee_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.Enum('plt', 'plh', name='actingkind', native_enum=False,
                                  create_constraint=True, length=20), nullable=False),
        sa.Column('unit_id', sa.Integer(), nullable=True),
        sa.Column('replaces_id', sa.Integer(), nullable=True),
        sa.Column('starts_on', sa.Date(), nullable=False),
        sa.Column('ends_on', sa.Date(), nullable=False),
        sa.Column('note', sa.Text(), nullable=True),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.CheckConstraint('unit_id IS NOT NULL OR replaces_id IS NOT NULL',
                           name='ck_acting_officials_in_place_of_someone'),
        sa.CheckConstraint('ends_on >= starts_on', name='ck_acting_officials_dates'),
        sa.ForeignKeyConstraint(['employee_id'], ['employees.id']),
        sa.ForeignKeyConstraint(['unit_id'], ['units.id']),
        sa.ForeignKeyConstraint(['replaces_id'], ['employees.id']),
        sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('acting_officials', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_acting_officials_employee_id'), ['employee_id'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_acting_officials_unit_id'), ['unit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_acting_officials_replaces_id'), ['replaces_id'],
                              unique=False)
    op.create_table(
        'ppk_records',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('evaluation_id', sa.Integer(), nullable=False),
        sa.Column('step', sa.Enum('penilaian', 'keberatan', name='ppkstep', native_enum=False,
                                  create_constraint=True, length=20), nullable=False),
        sa.Column('ppk_id', sa.Integer(), nullable=False),
        sa.Column('scan_id', sa.Integer(), nullable=False),
        sa.Column('recorded_by_id', sa.Integer(), nullable=False),
        sa.Column('recorded_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['evaluation_id'], ['evaluations.id']),
        sa.ForeignKeyConstraint(['ppk_id'], ['employees.id']),
        sa.ForeignKeyConstraint(['scan_id'], ['evidence.id']),
        sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('evaluation_id', 'step'),
    )
    with op.batch_alter_table('ppk_records', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ppk_records_evaluation_id'), ['evaluation_id'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('ppk_records', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ppk_records_evaluation_id'))
    op.drop_table('ppk_records')
    with op.batch_alter_table('acting_officials', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_acting_officials_replaces_id'))
        batch_op.drop_index(batch_op.f('ix_acting_officials_unit_id'))
        batch_op.drop_index(batch_op.f('ix_acting_officials_employee_id'))
    op.drop_table('acting_officials')
    with op.batch_alter_table('ppk_terms', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ppk_terms_employee_id'))
    op.drop_table('ppk_terms')
    with op.batch_alter_table('employees', schema=None) as batch_op:
        batch_op.drop_constraint('ck_employees_nip_unless_ppk', type_='check')
        batch_op.alter_column('nip', existing_type=sa.String(length=18), nullable=False)
        batch_op.drop_column('is_ppk')
