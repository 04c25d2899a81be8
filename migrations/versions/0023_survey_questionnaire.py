"""survey questionnaire: the service a rating names, per-service rollups, weight per year

Revision ID: 0023_survey_questionnaire
Revises: 0022_appraisal_documents_annex
Create Date: 2026-12-10 09:00:00

- ratings.service_id: the service the citizen received (NULL: not said, as every older rating).
- rating_service_rollups / rating_service_monthly_rollups: the sums of the counter rollups,
  also per service, for the ratings that name one. Kept by three more triggers on ratings, the
  same way as 0012's (insert, exclude, include; month first): per-service IKM then counts only
  the citizens who received the service, where it used to count every rating of every counter
  offering it. Existing ratings name no service, so there is nothing to backfill.
- ikm_weight_conventions: the weight HR chose for a year (0.111 or 1/9).

SQLite: the column is added with a plain ALTER TABLE (SQLite accepts a REFERENCES clause on a
nullable new column), because batch mode would copy the table and lose 0012's triggers.
"""
import importlib.util
from pathlib import Path

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0023_survey_questionnaire'
down_revision = '0022_appraisal_documents_annex'
branch_labels = None
depends_on = None

CHOICES = {
    'age_group': ('<20', '20-29', '30-39', '40-49', '50-59', '60+'),
    'sex': ('L', 'P'),
    'education': ('SD', 'SMP', 'SMA', 'D1-D3', 'D4-S1', 'S2-S3'),
    'occupation': ('PNS', 'TNI-POLRI', 'SWASTA', 'WIRAUSAHA', 'PELAJAR', 'LAINNYA'),
}
ELEMENTS = tuple(f'u{n}' for n in range(1, 10))
SUMS = ['ratings', 'score_1', 'score_2', 'score_3', 'score_4', 'full_surveys',
        *[f'{e}_{part}' for e in ELEMENTS for part in ('sum', 'n')]]
NAMED = 'NEW.service_id IS NOT NULL'
TRIGGERS = (
    ('ratings_service_rollup_insert', 'INSERT', f'NOT NEW.excluded AND {NAMED}', 1),
    ('ratings_service_rollup_exclude', 'UPDATE OF excluded',
     f'NEW.excluded AND NOT OLD.excluded AND {NAMED}', -1),
    ('ratings_service_rollup_include', 'UPDATE OF excluded',
     f'OLD.excluded AND NOT NEW.excluded AND {NAMED}', 1),
)
POSTGRESQL_MONTH = "date_trunc('month', NEW.local_day)::date"
SQLITE_MONTH = "date(NEW.local_day, 'start of month')"


def _column(dimension, value, part):
    slug = value.lower().replace('<', 'lt').replace('+', 'plus').replace('-', '_')
    return f'{dimension}_{slug}_{part}'


DEMOGRAPHIC_COLUMNS = [_column(dimension, value, part) for dimension, values in CHOICES.items()
                       for value in values for part in ('ratings', 'full')]


def _added(row, sign):
    """(rollup column, what one rating `row` adds to it) for every summed column (as 0012)."""
    full = ' AND '.join(f'{row}.{e} IS NOT NULL' for e in ELEMENTS)
    sign = str(sign)
    values = [('ratings', sign)]
    values += [(f'score_{s}', f'CASE WHEN {row}.score = {s} THEN {sign} ELSE 0 END')
               for s in (1, 2, 3, 4)]
    values.append(('full_surveys', f'CASE WHEN {full} THEN {sign} ELSE 0 END'))
    for e in ELEMENTS:
        values.append((f'{e}_sum', f'COALESCE({row}.{e}, 0) * {sign}'))
        values.append((f'{e}_n', f'CASE WHEN {row}.{e} IS NOT NULL THEN {sign} ELSE 0 END'))
    for dimension, answers in CHOICES.items():
        for value in answers:
            gave = f"{row}.{dimension} = '{value}'"
            values.append((_column(dimension, value, 'ratings'),
                           f'CASE WHEN {gave} THEN {sign} ELSE 0 END'))
            values.append((_column(dimension, value, 'full'),
                           f'CASE WHEN {gave} AND {full} THEN {sign} ELSE 0 END'))
    return values


def _upserts(row, sign, month_of_day):
    values = _added(row, sign)
    columns = ', '.join(column for column, _ in values)
    expressions = ', '.join(expression for _, expression in values)
    statements = []
    for table, key, key_value in (('rating_service_monthly_rollups', 'month', month_of_day),
                                  ('rating_service_rollups', 'day', f'{row}.local_day')):
        adding = ', '.join(f'{column} = {table}.{column} + excluded.{column}'
                           for column, _ in values)
        statements.append(  # names and SQL of this module's own, no input
            f'INSERT INTO {table} (counter_id, service_id, {key}, {columns}) '  # noqa: S608
            f'VALUES ({row}.counter_id, {row}.service_id, {key_value}, {expressions}) '
            f'ON CONFLICT (counter_id, service_id, {key}) DO UPDATE SET {adding};')
    return '\n    '.join(statements)


def _rollup_table(name, key):
    op.create_table(
        name,
        sa.Column('counter_id', sa.Integer(), nullable=False),
        sa.Column('service_id', sa.Integer(), nullable=False),
        sa.Column(key, sa.Date(), nullable=False),
        *[sa.Column(column, sa.Integer(), nullable=False) for column in SUMS],
        *[sa.Column(column, sa.Integer(), nullable=False, server_default='0')
          for column in DEMOGRAPHIC_COLUMNS],
        sa.ForeignKeyConstraint(['counter_id'], ['service_counters.id'],
                                name=op.f(f'fk_{name}_counter_id_service_counters')),
        sa.ForeignKeyConstraint(['service_id'], ['services.id'],
                                name=op.f(f'fk_{name}_service_id_services')),
        sa.PrimaryKeyConstraint('counter_id', 'service_id', key, name=op.f(f'pk_{name}')),
    )


def upgrade():
    postgresql = op.get_bind().dialect.name == 'postgresql'
    if postgresql:
        op.add_column('ratings', sa.Column('service_id', sa.Integer(), nullable=True))
        op.create_foreign_key(op.f('fk_ratings_service_id_services'), 'ratings', 'services',
                              ['service_id'], ['id'])
    else:
        op.execute('ALTER TABLE ratings ADD COLUMN service_id INTEGER '
                   'CONSTRAINT fk_ratings_service_id_services REFERENCES services (id)')
    _rollup_table('rating_service_rollups', 'day')
    _rollup_table('rating_service_monthly_rollups', 'month')
    op.create_table(
        'ikm_weight_conventions',
        sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('weight', sa.String(length=10), nullable=False),
        sa.Column('chosen_by_id', sa.Integer(), nullable=True),
        sa.Column('chosen_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['chosen_by_id'], ['users.id'],
                                name=op.f('fk_ikm_weight_conventions_chosen_by_id_users')),
        sa.PrimaryKeyConstraint('year', name=op.f('pk_ikm_weight_conventions')),
    )
    for name, event, condition, sign in TRIGGERS:
        if postgresql:
            body = _upserts('NEW', sign, POSTGRESQL_MONTH)
            op.execute(f'CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql '
                       f'AS $$\nBEGIN\n    {body}\n    RETURN NULL;\nEND\n$$')
            op.execute(f'CREATE TRIGGER {name} AFTER {event} ON ratings FOR EACH ROW '
                       f'WHEN ({condition}) EXECUTE FUNCTION {name}()')
        else:
            body = _upserts('NEW', sign, SQLITE_MONTH)
            op.execute(f'CREATE TRIGGER {name} AFTER {event} ON ratings FOR EACH ROW '
                       f'WHEN {condition} BEGIN\n    {body}\nEND')


def _migration_0012():
    path = Path(__file__).with_name('0012_rollups_kept_by_triggers.py')
    spec = importlib.util.spec_from_file_location('migration_0012', path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def downgrade():
    postgresql = op.get_bind().dialect.name == 'postgresql'
    for name, *_ in TRIGGERS:
        op.execute(f'DROP TRIGGER IF EXISTS {name}' + (' ON ratings' if postgresql else ''))
        if postgresql:
            op.execute(f'DROP FUNCTION IF EXISTS {name}()')
    op.drop_table('ikm_weight_conventions')
    op.drop_table('rating_service_monthly_rollups')
    op.drop_table('rating_service_rollups')
    if postgresql:
        op.drop_constraint(op.f('fk_ratings_service_id_services'), 'ratings', type_='foreignkey')
        op.drop_column('ratings', 'service_id')
    else:
        # Batch mode copies the table, which drops its triggers: 0012's are made again.
        migration_0012 = _migration_0012()
        migration_0012.downgrade()
        with op.batch_alter_table('ratings') as batch_op:
            batch_op.drop_column('service_id')
        migration_0012.upgrade()
