"""The civil service's words for an employee's standing: PNS or PPPK, pangkat/golongan, jenis
jabatan and the jenjang of a fungsional. Plain values (no database, no app), so the pure rules
(appraisal/angka_kredit.py) may use them too.

The ranks are the official names (PP 99/2000 for PNS; Perpres 98/2020 for PPPK, who have a
golongan and no pangkat): they are proper names and read the same in every language.
"""
from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l

from kinerja.core.labels import LabelledEnum


class AsnStatus(LabelledEnum):
    PNS = "pns", "PNS"
    PPPK = "pppk", "PPPK"


class Rank(LabelledEnum):
    """Pangkat/golongan ruang: PNS I/a ... IV/e, PPPK golongan I ... XVII. The stored value is
    the golongan as written on a decree ("III/b", "IX")."""
    I_A = "I/a", "Juru Muda (I/a)"
    I_B = "I/b", "Juru Muda Tingkat I (I/b)"
    I_C = "I/c", "Juru (I/c)"
    I_D = "I/d", "Juru Tingkat I (I/d)"
    II_A = "II/a", "Pengatur Muda (II/a)"
    II_B = "II/b", "Pengatur Muda Tingkat I (II/b)"
    II_C = "II/c", "Pengatur (II/c)"
    II_D = "II/d", "Pengatur Tingkat I (II/d)"
    III_A = "III/a", "Penata Muda (III/a)"
    III_B = "III/b", "Penata Muda Tingkat I (III/b)"
    III_C = "III/c", "Penata (III/c)"
    III_D = "III/d", "Penata Tingkat I (III/d)"
    IV_A = "IV/a", "Pembina (IV/a)"
    IV_B = "IV/b", "Pembina Tingkat I (IV/b)"
    IV_C = "IV/c", "Pembina Utama Muda (IV/c)"
    IV_D = "IV/d", "Pembina Utama Madya (IV/d)"
    IV_E = "IV/e", "Pembina Utama (IV/e)"
    PPPK_I = "I", "Golongan I"
    PPPK_II = "II", "Golongan II"
    PPPK_III = "III", "Golongan III"
    PPPK_IV = "IV", "Golongan IV"
    PPPK_V = "V", "Golongan V"
    PPPK_VI = "VI", "Golongan VI"
    PPPK_VII = "VII", "Golongan VII"
    PPPK_VIII = "VIII", "Golongan VIII"
    PPPK_IX = "IX", "Golongan IX"
    PPPK_X = "X", "Golongan X"
    PPPK_XI = "XI", "Golongan XI"
    PPPK_XII = "XII", "Golongan XII"
    PPPK_XIII = "XIII", "Golongan XIII"
    PPPK_XIV = "XIV", "Golongan XIV"
    PPPK_XV = "XV", "Golongan XV"
    PPPK_XVI = "XVI", "Golongan XVI"
    PPPK_XVII = "XVII", "Golongan XVII"

    @property
    def status(self) -> AsnStatus:
        """PNS ranks carry a ruang (a letter); PPPK golongan do not."""
        return AsnStatus.PNS if "/" in self.value else AsnStatus.PPPK


class PositionKind(LabelledEnum):
    """Jenis jabatan (UU 20/2023 and PermenPANRB 6/2022's appraisal rules per kind)."""
    JPT_UTAMA = "jpt_utama", _l("JPT Utama")
    JPT_MADYA = "jpt_madya", _l("JPT Madya")
    JPT_PRATAMA = "jpt_pratama", _l("JPT Pratama")
    ADMINISTRATOR = "administrator", _l("Administrator")
    PENGAWAS = "pengawas", _l("Pengawas")
    PELAKSANA = "pelaksana", _l("Pelaksana")
    FUNGSIONAL = "fungsional", _l("Fungsional")


class Jenjang(LabelledEnum):
    """The jenjang of a jabatan fungsional: keterampilan (pemula ... penyelia) and keahlian
    (ahli pertama ... ahli utama)."""
    PEMULA = "pemula", _l("Pemula")
    TERAMPIL = "terampil", _l("Terampil")
    MAHIR = "mahir", _l("Mahir")
    PENYELIA = "penyelia", _l("Penyelia")
    AHLI_PERTAMA = "ahli_pertama", _l("Ahli Pertama")
    AHLI_MUDA = "ahli_muda", _l("Ahli Muda")
    AHLI_MADYA = "ahli_madya", _l("Ahli Madya")
    AHLI_UTAMA = "ahli_utama", _l("Ahli Utama")


def _key(text: str) -> str:
    return " ".join(text.lower().replace("_", " ").replace(".", " ").split())


def _lookup(cls, text: str, *extra_names):
    """The member a person wrote: its stored value or its label, any case and spacing."""
    wanted = _key(text)
    for member in cls:
        names = {_key(member.value), _key(str(member.label))}
        names.update(_key(name(member)) for name in extra_names)
        if wanted in names:
            return member
    return None


def parse_status(text: str) -> AsnStatus | None:
    return _lookup(AsnStatus, text)


def parse_rank(text: str) -> Rank | None:
    """"III/b", "iii/b", "Penata Muda Tingkat I", "Penata Muda Tk. I", "IX", "Golongan IX"."""
    text = text.replace(" / ", "/")
    return _lookup(Rank, text, lambda r: str(r.label).split(" (")[0],
                   lambda r: str(r.label).split(" (")[0].replace("Tingkat", "Tk"))


def parse_position_kind(text: str) -> PositionKind | None:
    """"fungsional", "JF", "JPT Pratama", "jpt_pratama"."""
    if _key(text) == "jf":
        return PositionKind.FUNGSIONAL
    return _lookup(PositionKind, text)


def parse_jenjang(text: str) -> Jenjang | None:
    return _lookup(Jenjang, text)


def consistency_problems(status: AsnStatus | None, rank: Rank | None,
                         kind: PositionKind | None, jenjang: Jenjang | None) -> list[tuple[str, object]]:
    """(field, reason) for each combination the civil service does not have: a PNS rank for a
    PPPK (or the reverse), a jenjang for anyone but a fungsional."""
    problems = []
    if status is not None and rank is not None and rank.status is not status:
        if status is AsnStatus.PNS:
            problems.append(("rank", _l(
                "Golongan %(rank)s adalah golongan PPPK; PNS memakai pangkat I/a sampai IV/e.",
                rank=rank.value)))
        else:
            problems.append(("rank", _l(
                "Pangkat %(rank)s adalah pangkat PNS; PPPK memakai golongan I sampai XVII.",
                rank=rank.value)))
    if jenjang is not None and kind is not None and kind is not PositionKind.FUNGSIONAL:
        problems.append(("jenjang", _l(
            "Jenjang hanya untuk jabatan fungsional (jenis jabatan di sini %(kind)s).",
            kind=kind.label)))
    return problems


def implied(status: AsnStatus | None, rank: Rank | None, kind: PositionKind | None,
            jenjang: Jenjang | None) -> tuple[AsnStatus | None, PositionKind | None]:
    """The status a rank implies and the kind a jenjang implies, where they were left blank:
    a personnel export often carries the golongan and the jenjang without the rest."""
    return (status or (rank.status if rank is not None else None),
            kind or (PositionKind.FUNGSIONAL if jenjang is not None else None))


@dataclass(frozen=True)
class MasterData:
    """An employee's master data as a form or a file gives it."""
    asn_status: AsnStatus | None = None
    rank: Rank | None = None
    rank_tmt: date | None = None
    position_kind: PositionKind | None = None
    jenjang: Jenjang | None = None

    def completed(self) -> "MasterData":
        """With the status its rank implies and the kind its jenjang implies, where blank."""
        status, kind = implied(self.asn_status, self.rank, self.position_kind, self.jenjang)
        return MasterData(status, self.rank, self.rank_tmt, kind, self.jenjang)

    def problems(self) -> list[tuple[str, object]]:
        found = consistency_problems(self.asn_status, self.rank, self.position_kind, self.jenjang)
        if self.rank_tmt is not None and self.rank is None:
            found.append(("rank_tmt", _l("TMT pangkat diisi tanpa pangkat/golongan.")))
        return found
