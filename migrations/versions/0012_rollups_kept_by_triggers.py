"""the database keeps the rating rollups: triggers on ratings

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-27 10:00:00

A rating counted in IKM (not excluded) adds to its counter's monthly and daily rollup rows in the
statement that stores it; excluding it from IKM takes it away, including it again adds it back.
Until now the app wrote both upserts itself after each INSERT: two more round trips and ~1 ms of
Python per kiosk submit, the busiest request. The same SQL on PostgreSQL and SQLite (the trigger
bodies are generated below from the columns of 0011), in the writer's transaction as before.

The monthly row is written before the daily one: a batch stores its ratings oldest first, so
every writer takes a counter's rows in the same order (month, then its days in order) and two
batches at one counter wait for each other but never in a circle.

Ratings are never deleted by the app (a rating leaves IKM by being excluded): there is no DELETE
trigger, so emptying the table (tests, a restore) leaves the rollups to be emptied or rebuilt
with it. `flask rebuild-rollups` (rollup_rebuild) recounts everything from the ratings.
"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None

CHOICES = {
    'age_group': ('<20', '20-29', '30-39', '40-49', '50-59', '60+'),
    'sex': ('L', 'P'),
    'education': ('SD', 'SMP', 'SMA', 'D1-D3', 'D4-S1', 'S2-S3'),
    'occupation': ('PNS', 'TNI-POLRI', 'SWASTA', 'WIRAUSAHA', 'PELAJAR', 'LAINNYA'),
}
ELEMENTS = tuple(f'u{n}' for n in range(1, 10))
# (trigger, event, condition, sign): what each change of a rating does to the rollups.
TRIGGERS = (
    ('ratings_rollup_insert', 'INSERT', 'NOT NEW.excluded', 1),
    ('ratings_rollup_exclude', 'UPDATE OF excluded', 'NEW.excluded AND NOT OLD.excluded', -1),
    ('ratings_rollup_include', 'UPDATE OF excluded', 'OLD.excluded AND NOT NEW.excluded', 1),
)


def _column(dimension, value, part):
    slug = value.lower().replace('<', 'lt').replace('+', 'plus').replace('-', '_')
    return f'{dimension}_{slug}_{part}'


def _added(row, sign):
    """(rollup column, what one rating `row` adds to it) for every summed column."""
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
    """The two upserts, month first (see the module's docstring), as SQL statements."""
    values = _added(row, sign)
    columns = ', '.join(column for column, _ in values)
    expressions = ', '.join(expression for _, expression in values)
    statements = []
    for table, key, key_value in (('rating_monthly_rollups', 'month', month_of_day),
                                  ('rating_rollups', 'day', f'{row}.local_day')):
        adding = ', '.join(f'{column} = {table}.{column} + excluded.{column}'
                           for column, _ in values)
        statements.append(
            f'INSERT INTO {table} (counter_id, {key}, {columns}) '
            f'VALUES ({row}.counter_id, {key_value}, {expressions}) '
            f'ON CONFLICT (counter_id, {key}) DO UPDATE SET {adding};')
    return '\n    '.join(statements)


POSTGRESQL_MONTH = "date_trunc('month', NEW.local_day)::date"
SQLITE_MONTH = "date(NEW.local_day, 'start of month')"


def upgrade():
    if op.get_bind().dialect.name == 'postgresql':
        for name, event, condition, sign in TRIGGERS:
            body = _upserts('NEW', sign, POSTGRESQL_MONTH)
            # "OR REPLACE": a restore of an older backup (kinerja/backup.py) replaces the tables
            # but leaves the functions of later revisions behind, and then upgrades again.
            op.execute(f'CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql '
                       f'AS $$\nBEGIN\n    {body}\n    RETURN NULL;\nEND\n$$')
            op.execute(f'CREATE TRIGGER {name} AFTER {event} ON ratings FOR EACH ROW '
                       f'WHEN ({condition}) EXECUTE FUNCTION {name}()')
    else:
        for name, event, condition, sign in TRIGGERS:
            body = _upserts('NEW', sign, SQLITE_MONTH)
            op.execute(f'CREATE TRIGGER {name} AFTER {event} ON ratings FOR EACH ROW '
                       f'WHEN {condition} BEGIN\n    {body}\nEND')


def downgrade():
    postgresql = op.get_bind().dialect.name == 'postgresql'
    for name, *_ in TRIGGERS:
        op.execute(f'DROP TRIGGER IF EXISTS {name}' + (' ON ratings' if postgresql else ''))
        if postgresql:
            op.execute(f'DROP FUNCTION IF EXISTS {name}()')
