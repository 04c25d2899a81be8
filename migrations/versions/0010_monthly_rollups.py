"""monthly rollups: rating sums and respondent demographics per counter per calendar month

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-27 04:40:00

Reports read these for the whole months of a range (and the daily rollups for the partial
months at either end). Existing installs get their monthly rows from the daily rollups.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

SUMS = ['ratings', 'score_1', 'score_2', 'score_3', 'score_4', 'full_surveys',
        *[f'u{n}_{part}' for n in range(1, 10) for part in ('sum', 'n')]]


def _month_of(column):
    """The first day of the column's month, in SQL of the connected database."""
    if op.get_bind().dialect.name == 'postgresql':
        return f"CAST(date_trunc('month', {column}) AS DATE)"
    return f"date({column}, 'start of month')"


def upgrade():
    op.create_table('rating_monthly_rollups',
    sa.Column('counter_id', sa.Integer(), nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    *[sa.Column(name, sa.Integer(), nullable=False) for name in SUMS],
    sa.ForeignKeyConstraint(['counter_id'], ['service_counters.id'], name=op.f('fk_rating_monthly_rollups_counter_id_service_counters')),
    sa.PrimaryKeyConstraint('counter_id', 'month', name=op.f('pk_rating_monthly_rollups'))
    )
    op.create_table('rating_monthly_demographic_rollups',
    sa.Column('counter_id', sa.Integer(), nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('dimension', sa.String(length=12), nullable=False),
    sa.Column('value', sa.String(length=20), nullable=False),
    sa.Column('ratings', sa.Integer(), nullable=False),
    sa.Column('full_surveys', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['counter_id'], ['service_counters.id'], name=op.f('fk_rating_monthly_demographic_rollups_counter_id_service_counters')),
    sa.PrimaryKeyConstraint('counter_id', 'month', 'dimension', 'value', name=op.f('pk_rating_monthly_demographic_rollups'))
    )

    # Backfill from the daily rollups (which are correct: kept with every rating and exclusion).
    month = _month_of('day')
    columns = ', '.join(SUMS)
    sums = ', '.join(f'SUM({name})' for name in SUMS)
    op.execute(
        f'INSERT INTO rating_monthly_rollups (counter_id, month, {columns}) '
        f'SELECT counter_id, {month}, {sums} FROM rating_rollups GROUP BY counter_id, {month}')
    op.execute(
        'INSERT INTO rating_monthly_demographic_rollups '
        '(counter_id, month, dimension, value, ratings, full_surveys) '
        f'SELECT counter_id, {month}, dimension, value, SUM(ratings), SUM(full_surveys) '
        f'FROM rating_demographic_rollups GROUP BY counter_id, {month}, dimension, value')


def downgrade():
    op.drop_table('rating_monthly_demographic_rollups')
    op.drop_table('rating_monthly_rollups')
