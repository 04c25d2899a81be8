"""background jobs: who started what, its progress and its result file

Revision ID: 0016_background_jobs
Revises: 0015_kabupaten_identity
Create Date: 2026-12-09 09:00:00

Long work (the employee import, IKM and predikat recap exports, the bulk print of SKP and
evaluation PDFs) runs on a queue (huey: SQLite in instance/ or Redis); this table is ours, not
the queue's: the job's page reads its progress from it and access to the result is checked
against its starter. Result files live under instance/jobs/ (path relative to the instance).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0016_background_jobs'
down_revision = '0015_kabupaten_identity'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'jobs',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=True),
        sa.Column('kind', sa.String(length=40), nullable=False),
        sa.Column('params', sa.JSON(), nullable=False),
        sa.Column('locale', sa.String(length=10), nullable=False),
        sa.Column('status', sa.Enum('queued', 'running', 'done', 'failed', name='jobstatus',
                                    native_enum=False, length=20, create_constraint=True),
                  nullable=False),
        sa.Column('done', sa.Integer(), nullable=False),
        sa.Column('total', sa.Integer(), nullable=False),
        sa.Column('message', sa.String(length=500), nullable=False),
        sa.Column('result_path', sa.String(length=300), nullable=True),
        sa.Column('result_name', sa.String(length=200), nullable=False),
        sa.Column('result_type', sa.String(length=100), nullable=False),
        sa.Column('outcome', sa.JSON(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.Column('finished_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_jobs_user_id_users'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_jobs')),
    )
    with op.batch_alter_table('jobs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_jobs_user_id'), ['user_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_jobs_created_at'), ['created_at'], unique=False)


def downgrade():
    with op.batch_alter_table('jobs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_jobs_created_at'))
        batch_op.drop_index(batch_op.f('ix_jobs_user_id'))
    op.drop_table('jobs')
