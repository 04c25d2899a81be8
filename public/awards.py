"""Published awards for citizens: by year and unit, each winner's name, position, unit,
citation and (only with their consent) photo. Nothing else about them: no NIP, no scores, no
contact. Withdrawn and undecided awards are not here."""
from flask import abort, request

from kinerja.extensions import db
from kinerja.recognition import awards as award_service
from kinerja.recognition.models import AwardStatus, AwardWinner
from public import bp
from public.home import render_public
from web.files import send_upload


@bp.get("/penghargaan")
def awards():
    year = request.args.get("tahun", type=int)
    unit_id = request.args.get("unit", type=int)
    found = award_service.published_awards(year, unit_id)
    by_year: dict[int, list] = {}
    for award in found:
        by_year.setdefault(award.period.year, []).append(award)
    return render_public("public/awards.html", by_year=sorted(by_year.items(), reverse=True),
                         years=award_service.published_years(),
                         units=award_service.published_units(), year=year, unit_id=unit_id,
                         scope_label=award_service.scope_label, awards=True)


@bp.get("/penghargaan/foto/<int:winner_id>")
def award_photo(winner_id: int):
    """A winner's photo: only while the award is published and the winner consented."""
    winner = db.session.get(AwardWinner, winner_id)
    if winner is None or winner.award.status is not AwardStatus.PUBLISHED or not winner.shows_photo:
        abort(404)
    return send_upload(award_service.photo_path(winner), winner.photo_type, max_age=300)
