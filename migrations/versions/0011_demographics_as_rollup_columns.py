"""respondents' answers as columns of the rating rollups; the demographic rollup tables go

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-27 06:20:00

Per answer (22 of them) two counters in every daily and monthly rollup row: the ratings that gave
it and the full surveys among them. A rating then adds to them in the upsert it already makes
(no second table to write), and a report sums them in a scan of ~12 rows per counter and year
instead of ~12 x 22. The counts are moved over from the old tables, which are dropped.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

CHOICES = {
    'age_group': ('<20', '20-29', '30-39', '40-49', '50-59', '60+'),
    'sex': ('L', 'P'),
    'education': ('SD', 'SMP', 'SMA', 'D1-D3', 'D4-S1', 'S2-S3'),
    'occupation': ('PNS', 'TNI-POLRI', 'SWASTA', 'WIRAUSAHA', 'PELAJAR', 'LAINNYA'),
}
# (rollup table, its old demographic table, the key column after counter_id)
TABLES = (('rating_rollups', 'rating_demographic_rollups', 'day'),
          ('rating_monthly_rollups', 'rating_monthly_demographic_rollups', 'month'))


def _column(dimension, value, part):
    slug = value.lower().replace('<', 'lt').replace('+', 'plus').replace('-', '_')
    return f'{dimension}_{slug}_{part}'


# (column, dimension, value, the old table's column it counts)
COLUMNS = [(_column(dimension, value, part), dimension, value, old)
           for dimension, values in CHOICES.items() for value in values
           for part, old in (('ratings', 'ratings'), ('full', 'full_surveys'))]


def upgrade():
    for table, old_table, key in TABLES:
        for column, *_ in COLUMNS:
            op.add_column(table, sa.Column(column, sa.Integer(), nullable=False,
                                           server_default='0'))
        sums = ', '.join(
            f"SUM(CASE WHEN dimension = '{dimension}' AND value = '{value}' THEN {old} ELSE 0 END)"
            f' AS {column}' for column, dimension, value, old in COLUMNS)
        assignments = ', '.join(f'{column} = answers.{column}' for column, *_ in COLUMNS)
        op.execute(
            f'UPDATE {table} SET {assignments} '
            f'FROM (SELECT counter_id, {key}, {sums} FROM {old_table} '
            f'GROUP BY counter_id, {key}) AS answers '
            f'WHERE {table}.counter_id = answers.counter_id AND {table}.{key} = answers.{key}')
        op.drop_table(old_table)


def downgrade():
    for table, old_table, key in TABLES:
        op.create_table(old_table,
        sa.Column('counter_id', sa.Integer(), nullable=False),
        sa.Column(key, sa.Date(), nullable=False),
        sa.Column('dimension', sa.String(length=12), nullable=False),
        sa.Column('value', sa.String(length=20), nullable=False),
        sa.Column('ratings', sa.Integer(), nullable=False),
        sa.Column('full_surveys', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['counter_id'], ['service_counters.id'], name=op.f(f'fk_{old_table}_counter_id_service_counters')),
        sa.PrimaryKeyConstraint('counter_id', key, 'dimension', 'value', name=op.f(f'pk_{old_table}'))
        )
        for dimension, values in CHOICES.items():
            for value in values:
                given = _column(dimension, value, 'ratings')
                full = _column(dimension, value, 'full')
                op.execute(
                    f'INSERT INTO {old_table} (counter_id, {key}, dimension, value, ratings, full_surveys) '
                    f"SELECT counter_id, {key}, '{dimension}', '{value}', {given}, {full} "
                    f'FROM {table} WHERE {given} <> 0')
        for column, *_ in COLUMNS:
            op.drop_column(table, column)
