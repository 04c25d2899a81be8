"""API tokens; demographic rollups of ratings (backfilled from the ratings already stored)

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27 00:58:14.599799

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

DIMENSIONS = ('age_group', 'sex', 'education', 'occupation')
FULL_SURVEY = ' AND '.join(f'u{n} IS NOT NULL' for n in range(1, 10))


def upgrade():
    op.create_table('rating_demographic_rollups',
    sa.Column('counter_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('dimension', sa.String(length=12), nullable=False),
    sa.Column('value', sa.String(length=20), nullable=False),
    sa.Column('ratings', sa.Integer(), nullable=False),
    sa.Column('full_surveys', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['counter_id'], ['service_counters.id'], name=op.f('fk_rating_demographic_rollups_counter_id_service_counters')),
    sa.PrimaryKeyConstraint('counter_id', 'day', 'dimension', 'value', name=op.f('pk_rating_demographic_rollups'))
    )
    op.create_table('api_tokens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('prefix', sa.String(length=16), nullable=False),
    sa.Column('scopes', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.Column('revoked_at', sa.DateTime(), nullable=True),
    sa.Column('last_used_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_api_tokens_created_by_id_users')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_api_tokens_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_tokens')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_api_tokens_token_hash'))
    )
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_api_tokens_user_id'), ['user_id'], unique=False)

    # Ratings stored before this revision: roll their demographics up once, as _bump_rollup
    # would have (excluded ratings do not count).
    for dimension in DIMENSIONS:
        op.execute(sa.text(
            'INSERT INTO rating_demographic_rollups '
            '(counter_id, day, dimension, value, ratings, full_surveys) '
            f"SELECT counter_id, local_day, '{dimension}', {dimension}, COUNT(*), "
            f'SUM(CASE WHEN {FULL_SURVEY} THEN 1 ELSE 0 END) '
            f'FROM ratings WHERE excluded = :no AND {dimension} IS NOT NULL '
            f'GROUP BY counter_id, local_day, {dimension}'
        ).bindparams(no=False))


def downgrade():
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_api_tokens_user_id'))

    op.drop_table('api_tokens')
    op.drop_table('rating_demographic_rollups')
