"""The three panduan perilaku (behaviour guides) of each BerAKHLAK value, as the annex of
PermenPANRB 6/2022 prints them under the value (from SE MenPANRB 20/2021 on the ASN core values).

One place for them: the evaluation form shows them to the appraiser beside each value, the SKP and
the dokumen evaluasi print them. Plain data on the pure vocabulary of predikat.py; nothing else.
"""
from flask_babel import lazy_gettext as _l

from kinerja.appraisal.predikat import Behaviour

GUIDES = {
    Behaviour.SERVICE: (
        _l("Memahami dan memenuhi kebutuhan masyarakat."),
        _l("Ramah, cekatan, solutif, dan dapat diandalkan."),
        _l("Melakukan perbaikan tiada henti."),
    ),
    Behaviour.ACCOUNTABLE: (
        _l("Melaksanakan tugas dengan jujur, bertanggung jawab, cermat, disiplin, dan "
           "berintegritas tinggi."),
        _l("Menggunakan kekayaan dan barang milik negara secara bertanggung jawab, efektif, dan "
           "efisien."),
        _l("Tidak menyalahgunakan kewenangan jabatan."),
    ),
    Behaviour.COMPETENT: (
        _l("Meningkatkan kompetensi diri untuk menjawab tantangan yang selalu berubah."),
        _l("Membantu orang lain belajar."),
        _l("Melaksanakan tugas dengan kualitas terbaik."),
    ),
    Behaviour.HARMONIOUS: (
        _l("Menghargai setiap orang apa pun latar belakangnya."),
        _l("Suka menolong orang lain."),
        _l("Membangun lingkungan kerja yang kondusif."),
    ),
    Behaviour.LOYAL: (
        _l("Memegang teguh ideologi Pancasila, Undang-Undang Dasar Negara Republik Indonesia "
           "Tahun 1945, setia kepada Negara Kesatuan Republik Indonesia serta pemerintahan yang "
           "sah."),
        _l("Menjaga nama baik sesama ASN, pimpinan, instansi, dan negara."),
        _l("Menjaga rahasia jabatan dan negara."),
    ),
    Behaviour.ADAPTIVE: (
        _l("Cepat menyesuaikan diri menghadapi perubahan."),
        _l("Terus berinovasi dan mengembangkan kreativitas."),
        _l("Bertindak proaktif."),
    ),
    Behaviour.COLLABORATIVE: (
        _l("Memberi kesempatan kepada berbagai pihak untuk berkontribusi."),
        _l("Terbuka dalam bekerja sama untuk menghasilkan nilai tambah."),
        _l("Menggerakkan pemanfaatan berbagai sumber daya untuk tujuan bersama."),
    ),
}


def guides_of(value: Behaviour) -> list[str]:
    """The value's three guides in the reader's language."""
    return [str(text) for text in GUIDES[Behaviour(value)]]
