"""GET /api/v1/awards: published awards with their winners, for any live token. The same public
information as the public page /publik/penghargaan (no NIP, no scores, no contact details);
withdrawn and undecided awards are never listed."""
from flask_babel import gettext as _
from marshmallow import Schema, fields, validate

from api import bp, requires_scope
from api.common import PageQuery, UnitFilter, bad_request, load_query, page_answer, page_schema
from kinerja.extensions import db
from kinerja.integration import api_reads
from kinerja.organisation.models import Unit, UnitKind
from kinerja.performance import periods
from kinerja.recognition import awards
from kinerja.recognition.models import AwardScope


class AwardQuery(PageQuery, UnitFilter):
    year = fields.Integer(validate=validate.Range(periods.FIRST_YEAR, periods.LAST_YEAR), metadata={
        "description": "Performance year of the award"})


class WinnerItem(Schema):
    rank = fields.Integer(required=True)
    name = fields.String(required=True)
    position = fields.String(attribute="position_name", required=True)
    unit = fields.String(attribute="unit_name", required=True)
    citation = fields.String(required=True)


class CriteriaItem(Schema):
    predikat = fields.Integer(required=True, attribute="weight_predikat")
    realisation = fields.Integer(required=True, attribute="weight_realisation")
    satisfaction = fields.Integer(required=True, attribute="weight_satisfaction")
    regularity = fields.Integer(required=True, attribute="weight_regularity")
    nomination = fields.Integer(required=True, attribute="weight_nomination")


class AwardItem(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    year = fields.Integer(attribute="period.year", required=True)
    date_from = fields.Date(required=True)
    date_to = fields.Date(required=True)
    scope = fields.Enum(AwardScope, by_value=True, required=True, metadata={
        "description": "unit (one unit and those below it), jenis (every unit of one kind), "
                       "semua (every unit)"})
    unit_code = fields.Function(lambda a: a.unit.code if a.unit else None, allow_none=True,
                                required=True)
    unit_kind = fields.Enum(UnitKind, by_value=True, allow_none=True, required=True)
    published_at = fields.DateTime(required=True)
    weights = fields.Function(lambda a: CriteriaItem().dump(a), required=True, metadata={
        "description": "Published criteria weights (percent, summing to 100)"})
    winners = fields.List(fields.Nested(WinnerItem), required=True)


AwardPage = page_schema(AwardItem, "AwardPage")


@bp.get("/awards", endpoint="awards")
@requires_scope(None)
def award_list():
    """Published awards and their winners.
    ---
    get:
      operationId: listAwards
      tags: [Recognition]
      summary: Published awards with their winners (any token)
      description: |
        The public information of the recognition page: per award its name, year, period,
        scope, criteria weights and winners (rank, name, position, unit, citation). No NIP,
        no scores, nothing about candidates who did not win. Newest publication first; the
        unit filter keeps the awards whose scope takes in that unit.
      security:
        - bearerAuth: []
      parameters:
        - in: query
          schema: AwardQuery
      responses:
        200:
          description: A page of awards
          headers:
            Link: {$ref: '#/components/headers/Link'}
          content:
            application/json:
              schema: AwardPage
        400: BadRequest
        401: Unauthorized
        429: TooManyRequests
    """
    query = load_query(AwardQuery())
    unit_id = None
    if query.get("unit"):
        unit_id = db.session.scalar(db.select(Unit.id).where(Unit.code == query["unit"]))
        if unit_id is None:
            bad_request(_("unit: kode unit %(code)s tidak dikenal.", code=query["unit"]))
    found = awards.published_awards(query.get("year"), unit_id)
    return page_answer(AwardPage, api_reads.Page.of_list(found, query["page"], query["per_page"]))
