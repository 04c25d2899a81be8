"""The SKM questionnaire of PermenPANRB 14/2017 (its annex's sample) as data: per element the
question the citizen is asked and its own four answers, worst to best (1 to 4), in the order
the questionnaire asks them.

The questionnaire asks about Sarana dan Prasarana before Penanganan Pengaduan, while the
regulation's list of elements numbers Pengaduan U8 and Sarana U9: an element is known by its
code (U1..U9, the rating's columns and the reports' order) and named wherever it is shown,
never by its position in the questionnaire.
"""
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class Question:
    code: str        # U1..U9: the element in the regulation's list (and the rating's column)
    name: str        # the element's name (lazy, translated)
    question: str    # what the citizen is asked
    answers: tuple   # the four answers, for 1 (worst) to 4 (best)


QUESTIONS = (
    Question("U1", _l("Persyaratan"),
             _l("Bagaimana pendapat Anda tentang kesesuaian persyaratan pelayanan dengan jenis "
                "pelayanannya?"),
             (_l("Tidak sesuai"), _l("Kurang sesuai"), _l("Sesuai"), _l("Sangat sesuai"))),
    Question("U2", _l("Sistem, Mekanisme dan Prosedur"),
             _l("Bagaimana pemahaman Anda tentang kemudahan prosedur pelayanan di unit ini?"),
             (_l("Tidak mudah"), _l("Kurang mudah"), _l("Mudah"), _l("Sangat mudah"))),
    Question("U3", _l("Waktu Penyelesaian"),
             _l("Bagaimana pendapat Anda tentang kecepatan waktu dalam memberikan pelayanan?"),
             (_l("Tidak cepat"), _l("Kurang cepat"), _l("Cepat"), _l("Sangat cepat"))),
    Question("U4", _l("Biaya/Tarif"),
             _l("Bagaimana pendapat Anda tentang kewajaran biaya/tarif dalam pelayanan?"),
             (_l("Sangat mahal"), _l("Cukup mahal"), _l("Murah"), _l("Gratis"))),
    Question("U5", _l("Produk Spesifikasi Jenis Pelayanan"),
             _l("Bagaimana pendapat Anda tentang kesesuaian produk pelayanan antara yang "
                "tercantum dalam standar pelayanan dengan hasil yang diberikan?"),
             (_l("Tidak sesuai"), _l("Kurang sesuai"), _l("Sesuai"), _l("Sangat sesuai"))),
    Question("U6", _l("Kompetensi Pelaksana"),
             _l("Bagaimana pendapat Anda tentang kompetensi/kemampuan petugas dalam pelayanan?"),
             (_l("Tidak kompeten"), _l("Kurang kompeten"), _l("Kompeten"),
              _l("Sangat kompeten"))),
    Question("U7", _l("Perilaku Pelaksana"),
             _l("Bagaimana pendapat Anda tentang perilaku petugas dalam pelayanan terkait "
                "kesopanan dan keramahan?"),
             (_l("Tidak sopan dan ramah"), _l("Kurang sopan dan ramah"), _l("Sopan dan ramah"),
              _l("Sangat sopan dan ramah"))),
    Question("U9", _l("Sarana dan Prasarana"),
             _l("Bagaimana pendapat Anda tentang kualitas sarana dan prasarana?"),
             (_l("Buruk"), _l("Cukup"), _l("Baik"), _l("Sangat baik"))),
    Question("U8", _l("Penanganan Pengaduan, Saran dan Masukan"),
             _l("Bagaimana pendapat Anda tentang penanganan pengaduan pengguna layanan?"),
             (_l("Tidak ada"), _l("Ada tetapi tidak berfungsi"), _l("Berfungsi kurang maksimal"),
              _l("Dikelola dengan baik"))),
)
BY_CODE = {question.code: question for question in QUESTIONS}


def name_of(code: str) -> str:
    """The element's name, in the reader's language."""
    return BY_CODE[code].name


def for_kiosk() -> list[dict]:
    """The questionnaire as the kiosk's configuration lists it, in the asking order, in the
    request's language."""
    return [{"code": q.code, "name": str(q.name), "question": str(q.question),
             "answers": [str(answer) for answer in q.answers]} for q in QUESTIONS]
