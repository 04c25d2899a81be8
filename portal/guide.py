"""The in-app guide (panduan): what SKP, RHK, predikat and IKM mean and how each workflow goes,
step by step with screenshots of this system, and a one-page printable handout per role for
socialisation sessions. Static content; for every logged-in user."""
from flask import Response, abort, render_template
from flask_babel import lazy_gettext as _l

from kinerja.appraisal import objection_window
from kinerja.appraisal.predikat import Rating, predikat
from portal import bp
from web import documents

# slug -> (title, who it is mostly for)
PAGES = {
    "skp": (_l("SKP: menyusun, cascading dan persetujuan"), _l("Pegawai dan atasan")),
    "harian": (_l("Laporan kegiatan harian"), _l("Pegawai dan atasan")),
    "realisasi": (_l("Realisasi dan progres"), _l("Pegawai dan atasan")),
    "penilaian": (_l("Penilaian kinerja: evaluasi, predikat dan keberatan"),
                  _l("Pegawai, atasan dan atasan dari atasan")),
    "ikm": (_l("IKM, kiosk dan pengaduan"), _l("Kepala unit dan petugas loket")),
    "sdm": (_l("Untuk SDM: periode, impor pegawai, kiosk dan publikasi"), _l("SDM (kepegawaian)")),
}
HANDOUTS = {
    "pegawai": _l("Pegawai"),
    "atasan": _l("Atasan dan kepala unit"),
    "sdm": _l("SDM (kepegawaian)"),
}


def predikat_matrix() -> list[tuple[str, list[str]]]:
    """The predikat of every result x behaviour pair, from the rule itself (rows: results)."""
    return [(str(result.label),
             [str(predikat(result, behaviour).label) for behaviour in Rating])
            for result in Rating]


def _common() -> dict:
    # The objection window as HR set it: the guide says what the evaluation page counts.
    return {"pages": PAGES, "handouts": HANDOUTS,
            "objection_rule": objection_window.current_rule().in_words}


@bp.route("/panduan")
def guide_index():
    return render_template("portal/guide/index.html", **_common())


@bp.route("/panduan/<slug>")
def guide_page(slug: str):
    if slug not in PAGES:
        abort(404)
    return render_template(f"portal/guide/{slug}.html", slug=slug, title=PAGES[slug][0],
                           matrix=predikat_matrix(), ratings=[r.label for r in Rating],
                           **_common())


@bp.route("/panduan/selebaran/<role>.pdf")
def guide_handout(role: str):
    if role not in HANDOUTS:
        abort(404)
    html = render_template(f"portal/guide/handout_{role}.html", role=role, title=HANDOUTS[role],
                           matrix=predikat_matrix(), ratings=[r.label for r in Rating],
                           objection_rule=objection_window.current_rule().in_words)
    return Response(documents.to_pdf(html), mimetype="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="panduan-{role}.pdf"'})
