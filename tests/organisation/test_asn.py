"""The civil service's words as people write them: ranks, status, jenis jabatan and jenjang, and
the combinations the civil service does not have."""
from datetime import date

import pytest

from kinerja.organisation.asn import (
    AsnStatus,
    Jenjang,
    MasterData,
    PositionKind,
    Rank,
    parse_jenjang,
    parse_position_kind,
    parse_rank,
    parse_status,
)


def test_there_are_seventeen_pns_ranks_and_seventeen_pppk_golongan():
    assert [r.value for r in Rank if r.status is AsnStatus.PNS][::4] == \
        ["I/a", "II/a", "III/a", "IV/a", "IV/e"]
    assert len([r for r in Rank if r.status is AsnStatus.PNS]) == 17
    assert [r.value for r in Rank if r.status is AsnStatus.PPPK] == [
        "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV",
        "XV", "XVI", "XVII"]


@pytest.mark.parametrize(("written", "rank"), [
    ("III/b", Rank.III_B), ("iii/b", Rank.III_B), ("III / b", Rank.III_B),
    ("Penata Muda Tingkat I", Rank.III_B), ("Penata Muda Tk. I", Rank.III_B),
    ("Penata Muda Tingkat I (III/b)", Rank.III_B), ("Juru Muda", Rank.I_A),
    ("Pembina Utama", Rank.IV_E), ("IV/e", Rank.IV_E),
    ("IX", Rank.PPPK_IX), ("Golongan IX", Rank.PPPK_IX), ("xvii", Rank.PPPK_XVII),
])
def test_a_rank_is_read_however_a_personnel_export_writes_it(written, rank):
    assert parse_rank(written) is rank


@pytest.mark.parametrize("written", ["III/f", "V/a", "XVIII", "Penata Besar", "3b"])
def test_no_such_rank(written):
    assert parse_rank(written) is None


def test_status_kind_and_jenjang_are_read_by_value_or_name():
    assert parse_status("pns") is AsnStatus.PNS
    assert parse_status("PPPK") is AsnStatus.PPPK
    assert parse_status("honorer") is None
    assert parse_position_kind("JPT Pratama") is PositionKind.JPT_PRATAMA
    assert parse_position_kind("jpt_pratama") is PositionKind.JPT_PRATAMA
    assert parse_position_kind("JF") is PositionKind.FUNGSIONAL
    assert parse_position_kind("eselon III") is None
    assert parse_jenjang("Ahli Muda") is Jenjang.AHLI_MUDA
    assert parse_jenjang("ahli_muda") is Jenjang.AHLI_MUDA
    assert parse_jenjang("terampil") is Jenjang.TERAMPIL
    assert parse_jenjang("madya") is None


def test_a_rank_implies_the_status_and_a_jenjang_implies_fungsional(app):
    data = MasterData(rank=Rank.PPPK_IX, jenjang=Jenjang.AHLI_PERTAMA).completed()
    assert (data.asn_status, data.position_kind) == (AsnStatus.PPPK, PositionKind.FUNGSIONAL)
    assert data.problems() == []


def test_combinations_the_civil_service_does_not_have(app):
    with app.test_request_context():
        problems = MasterData(AsnStatus.PPPK, Rank.III_B, None, PositionKind.PENGAWAS,
                              Jenjang.AHLI_MUDA).problems()
        assert [(name, str(reason)) for name, reason in problems] == [
            ("rank", "Pangkat III/b adalah pangkat PNS; PPPK memakai golongan I sampai XVII."),
            ("jenjang", "Jenjang hanya untuk jabatan fungsional (jenis jabatan di sini Pengawas)."),
        ]
        [(name, reason)] = MasterData(AsnStatus.PNS, Rank.PPPK_IX).problems()
        assert str(reason) == ("Golongan IX adalah golongan PPPK; PNS memakai pangkat I/a sampai "
                               "IV/e.")
        [(name, reason)] = MasterData(rank_tmt=date(2021, 4, 1)).problems()
        assert name == "rank_tmt"
