"""Published IKM for citizens: the units with a published result, and one unit's result for
one period (mutu, respondents, NRR per element as a chart, services, trend, the approved
rencana tindak lanjut once approved, complaint counts). Only what HR published; counts, never people."""
from flask import abort

from kinerja.feedback import ikm_weights
from kinerja.publication import follow_up, publication
from public import bp
from public.home import render_public
from web import charts


@bp.get("/ikm")
def ikm_list():
    return render_public("public/ikm_list.html", entries=publication.public_units())


@bp.get("/ikm/<int:publication_id>")
def ikm_detail(publication_id: int):
    page = publication.public_publication(publication_id)
    if page is None:
        abort(404)
    return render_public("public/ikm_detail.html", page=page, figures=page.figures,
                         chart=charts.nrr_chart(page.figures.nrr_rows),
                         element_names=follow_up.element_names(),
                         weight_label=ikm_weights.LABELS[page.figures.totals.weight])
