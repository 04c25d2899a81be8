"""appraisal documents annex: lampiran SKP, ekspektasi khusus pimpinan, JPT perspectives, kualitatif

Revision ID: 0022_appraisal_documents_annex
Revises: 0021_organisation_performance
Create Date: 2026-12-10 09:00:00

What the annex forms of PermenPANRB 6/2022 print and the plan did not hold: the Lampiran SKP on
the SKP (dukungan sumber daya, skema pertanggungjawaban, konsekuensi), the leader's ekspektasi
khusus per BerAKHLAK value, the perspective of a JPT's RHK, and kualitatif indicators (no
number: a described target). Existing plans get none of it: empty lampiran, no expectations,
no perspective, quantitative indicators (the server default).
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0022_appraisal_documents_annex'
down_revision = '0021_organisation_performance'
branch_labels = None
depends_on = None

BEHAVIOURS = ('berorientasi_pelayanan', 'akuntabel', 'kompeten', 'harmonis', 'loyal', 'adaptif',
              'kolaboratif')
PERSPECTIVES = ('penerima_layanan', 'proses_bisnis', 'penguatan_internal', 'anggaran')


def upgrade():
    with op.batch_alter_table('skps', schema=None) as batch_op:
        batch_op.add_column(sa.Column('resource_support', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('accountability', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('consequences', sa.Text(), nullable=True))
    with op.batch_alter_table('rhks', schema=None) as batch_op:
        batch_op.add_column(sa.Column('perspective', sa.Enum(
            *PERSPECTIVES, name='perspective', native_enum=False, create_constraint=True,
            length=20), nullable=True))
    with op.batch_alter_table('indicators', schema=None) as batch_op:
        batch_op.add_column(sa.Column('qualitative', sa.Boolean(), server_default=sa.false(),
                                      nullable=False))
        batch_op.add_column(sa.Column('target_text', sa.Text(), nullable=True))
    op.create_table(
        'behaviour_expectations',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('skp_id', sa.Integer(), nullable=False),
        sa.Column('behaviour', sa.Enum(*BEHAVIOURS, name='behaviour', native_enum=False,
                                       create_constraint=True, length=22), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('set_by_id', sa.Integer(), nullable=True),
        sa.Column('set_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['skp_id'], ['skps.id'],
                                name=op.f('fk_behaviour_expectations_skp_id_skps')),
        sa.ForeignKeyConstraint(['set_by_id'], ['employees.id'],
                                name=op.f('fk_behaviour_expectations_set_by_id_employees')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_behaviour_expectations')),
        sa.UniqueConstraint('skp_id', 'behaviour', name=op.f('uq_behaviour_expectations_skp_id')),
    )
    with op.batch_alter_table('behaviour_expectations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_behaviour_expectations_skp_id'), ['skp_id'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('behaviour_expectations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_behaviour_expectations_skp_id'))
    op.drop_table('behaviour_expectations')
    with op.batch_alter_table('indicators', schema=None) as batch_op:
        batch_op.drop_column('target_text')
        batch_op.drop_column('qualitative')
    with op.batch_alter_table('rhks', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_rhks_perspective'), type_='check')
        batch_op.drop_column('perspective')
    with op.batch_alter_table('skps', schema=None) as batch_op:
        batch_op.drop_column('consequences')
        batch_op.drop_column('accountability')
        batch_op.drop_column('resource_support')
