"""organisation performance: the unit's capaian per evaluation point, set by its leader

Revision ID: 0021_organisation_performance
Revises: 0020_transfers_and_leave
Create Date: 2026-12-10 09:00:00

unit_predikats held one organisational predikat per unit and year, typed by HR. It now holds
the capaian kinerja organisasi per evaluation point (kind 'periodik' with the month or quarter,
or 'tahunan' with point 0), with the head of the unit who set it and an optional note. The
existing yearly figures become the annual point (server defaults fill kind and point), with no
leader: nobody signed them.
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0021_organisation_performance'
down_revision = '0020_transfers_and_leave'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('unit_predikats', schema=None) as batch_op:
        batch_op.add_column(sa.Column(
            'kind', sa.Enum('periodik', 'tahunan', name='evaluationkind', native_enum=False,
                            create_constraint=True, length=20),
            nullable=False, server_default='tahunan'))
        batch_op.add_column(sa.Column('point', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('leader_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('note', sa.Text(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_unit_predikats_leader_id_employees'),
                                    'employees', ['leader_id'], ['id'])
        batch_op.drop_constraint('uq_unit_predikats_unit_id', type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_unit_predikats_unit_id'),
                                          ['unit_id', 'period_id', 'kind', 'point'])
    # The model has no server defaults: the defaults only filled the rows already there.
    with op.batch_alter_table('unit_predikats', schema=None) as batch_op:
        batch_op.alter_column('kind', server_default=None)
        batch_op.alter_column('point', server_default=None)


def downgrade():
    # Back to one figure per year: the annual point's, the periodic ones go.
    op.execute("DELETE FROM unit_predikats WHERE kind <> 'tahunan'")
    with op.batch_alter_table('unit_predikats', schema=None) as batch_op:
        batch_op.drop_constraint('uq_unit_predikats_unit_id', type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_unit_predikats_unit_id'),
                                          ['unit_id', 'period_id'])
        batch_op.drop_constraint(batch_op.f('fk_unit_predikats_leader_id_employees'),
                                 type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('ck_unit_predikats_evaluationkind'), type_='check')
        batch_op.drop_column('note')
        batch_op.drop_column('leader_id')
        batch_op.drop_column('point')
        batch_op.drop_column('kind')
