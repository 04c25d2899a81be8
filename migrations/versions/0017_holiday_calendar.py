"""holiday calendar, objection window from receipt, lower-is-better indicators

Revision ID: 0017_holiday_calendar
Revises: 0016_background_jobs
Create Date: 2026-12-10 09:00:00

- holidays: the days off HR adds (cuti bersama, local days, a national day the `holidays`
  package lacks); the library's national holidays are computed, not stored.
- objection_rule: one row (id 1) with the window's length and how it is counted (calendar or
  working days); none is written: until HR saves, 14 calendar days.
- evaluations.received_at: when the set result reached the employee. Evaluations already set
  were delivered when they were set, so finalised_at is copied; their objection_due stays as
  it was told to the employee.
- indicators.lower_is_better: true for the existing waktu (time) and biaya (cost) indicators,
  whose targets are met at or below them.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0017_holiday_calendar'
down_revision = '0016_background_jobs'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'holidays',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('name', sa.String(length=120), nullable=False),
        sa.Column('kind', sa.Enum('nasional', 'cuti_bersama', 'lokal', name='holidaykind',
                                  native_enum=False, length=20, create_constraint=True),
                  nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['created_by_id'], ['users.id'],
                                name=op.f('fk_holidays_created_by_id_users'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_holidays')),
        sa.UniqueConstraint('day', name=op.f('uq_holidays_day')),
    )
    op.create_table(
        'objection_rule',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('days', sa.Integer(), nullable=False),
        sa.Column('counting', sa.Enum('kalender', 'kerja', name='objectioncounting',
                                      native_enum=False, length=20, create_constraint=True),
                  nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=True),
        sa.Column('updated_by_id', sa.Integer(), nullable=True),
        sa.CheckConstraint('id = 1', name=op.f('ck_objection_rule_one_row')),
        sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'],
                                name=op.f('fk_objection_rule_updated_by_id_users'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_objection_rule')),
    )
    with op.batch_alter_table('evaluations') as batch:
        batch.add_column(sa.Column('received_at', sa.DateTime(), nullable=True))
    with op.batch_alter_table('indicators') as batch:
        batch.add_column(sa.Column('lower_is_better', sa.Boolean(), server_default=sa.false(),
                                   nullable=False))
    op.execute("UPDATE evaluations SET received_at = finalised_at "
               "WHERE status <> 'draf' AND finalised_at IS NOT NULL")
    op.execute("UPDATE indicators SET lower_is_better = TRUE WHERE aspect IN ('waktu', 'biaya')")


def downgrade():
    with op.batch_alter_table('indicators') as batch:
        batch.drop_column('lower_is_better')
    with op.batch_alter_table('evaluations') as batch:
        batch.drop_column('received_at')
    op.drop_table('objection_rule')
    op.drop_table('holidays')
