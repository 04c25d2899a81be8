"""employee master data: status PNS/PPPK, pangkat/golongan with its TMT, jenis jabatan, jenjang

Every column is optional: the employees already recorded have none of it until HR fills it in
(the employee form or an import from the personnel system).

Revision ID: 0018_employee_master_data
Revises: 0017_holiday_calendar
Create Date: 2026-12-10 09:00:00
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0018_employee_master_data'
down_revision = '0017_holiday_calendar'
branch_labels = None
depends_on = None

RANKS = ('I/a', 'I/b', 'I/c', 'I/d', 'II/a', 'II/b', 'II/c', 'II/d', 'III/a', 'III/b', 'III/c',
         'III/d', 'IV/a', 'IV/b', 'IV/c', 'IV/d', 'IV/e', 'I', 'II', 'III', 'IV', 'V', 'VI',
         'VII', 'VIII', 'IX', 'X', 'XI', 'XII', 'XIII', 'XIV', 'XV', 'XVI', 'XVII')
KINDS = ('jpt_utama', 'jpt_madya', 'jpt_pratama', 'administrator', 'pengawas', 'pelaksana',
         'fungsional')
JENJANG = ('pemula', 'terampil', 'mahir', 'penyelia', 'ahli_pertama', 'ahli_muda', 'ahli_madya',
           'ahli_utama')


def upgrade():
    with op.batch_alter_table('employees', schema=None) as batch_op:
        batch_op.add_column(sa.Column('asn_status', sa.Enum(
            'pns', 'pppk', name='asnstatus', native_enum=False, create_constraint=True,
            length=20), nullable=True))
        batch_op.add_column(sa.Column('rank', sa.Enum(
            *RANKS, name='rank', native_enum=False, create_constraint=True, length=20),
            nullable=True))
        batch_op.add_column(sa.Column('rank_tmt', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('position_kind', sa.Enum(
            *KINDS, name='positionkind', native_enum=False, create_constraint=True, length=20),
            nullable=True))
        batch_op.add_column(sa.Column('jenjang', sa.Enum(
            *JENJANG, name='jenjang', native_enum=False, create_constraint=True, length=20),
            nullable=True))


def downgrade():
    with op.batch_alter_table('employees', schema=None) as batch_op:
        for check in ('ck_employees_jenjang', 'ck_employees_positionkind', 'ck_employees_rank',
                      'ck_employees_asnstatus'):
            batch_op.drop_constraint(batch_op.f(check), type_='check')
        batch_op.drop_column('jenjang')
        batch_op.drop_column('position_kind')
        batch_op.drop_column('rank_tmt')
        batch_op.drop_column('rank')
        batch_op.drop_column('asn_status')
