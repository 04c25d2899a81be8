"""GET /api/v1/evaluations: the predikat per employee per evaluation point of a year, for
tokens with kinerja:read owned by HR (kepegawaian), e.g. for allowance calculation."""
from flask_babel import gettext as _
from marshmallow import Schema, fields, validate

from api import bp, requires_scope
from api.common import (
    PageQuery,
    UnitFilter,
    bad_request,
    current_token,
    forbidden,
    load_query,
    page_answer,
    page_schema,
)
from kinerja.appraisal import credits
from kinerja.appraisal.models import EvaluationKind, EvaluationStatus
from kinerja.appraisal.predikat import Predikat, Rating
from kinerja.core.errors import NotAllowed, RuleViolation
from kinerja.integration import api_reads
from kinerja.organisation.asn import AsnStatus, Jenjang, PositionKind, Rank
from kinerja.performance import periods


class EvaluationQuery(PageQuery, UnitFilter):
    year = fields.Integer(validate=validate.Range(periods.FIRST_YEAR, periods.LAST_YEAR), metadata={
        "description": "Performance year (default: the open period, else the latest)"})
    kind = fields.Enum(EvaluationKind, by_value=True, metadata={
        "description": "periodik (a month or quarter) or tahunan (the year)"})
    point = fields.Integer(validate=validate.Range(0, 12), metadata={
        "description": "Month (monthly cadence) or quarter (quarterly) of a periodic "
                       "evaluation; 0 is the annual one"})


class EvaluationItem(Schema):
    nip = fields.String(attribute="employee.nip", required=True)
    name = fields.String(attribute="employee.name", required=True)
    position = fields.String(attribute="employee.position_name", required=True)
    unit_code = fields.Function(lambda e: e.employee.unit.code if e.employee.unit else None,
                                allow_none=True, required=True)
    kind = fields.Enum(EvaluationKind, by_value=True, required=True)
    point = fields.Integer(required=True, metadata={"description": "Month or quarter; 0 = annual"})
    status = fields.Enum(EvaluationStatus, by_value=True, required=True, metadata={
        "description": "ditetapkan (set, the employee may still object), diterima "
                       "(acknowledged), keberatan (objection pending), diputuskan (objection "
                       "decided); the last two statuses but one are final"})
    result_rating = fields.Enum(Rating, by_value=True, required=True)
    behaviour_rating = fields.Enum(Rating, by_value=True, required=True)
    predikat = fields.Enum(Predikat, by_value=True, required=True)
    final = fields.Boolean(attribute="is_final", required=True, metadata={
        "description": "Acknowledged, or its objection decided: will not change"})
    finalised_at = fields.DateTime(required=True)
    asn_status = fields.Enum(AsnStatus, by_value=True, attribute="employee.asn_status",
                             allow_none=True, required=True,
                             metadata={"description": "pns or pppk; null until HR records it"})
    rank = fields.Enum(Rank, by_value=True, attribute="employee.rank", allow_none=True,
                       required=True, metadata={
                           "description": "Pangkat/golongan: I/a ... IV/e (PNS), I ... XVII (PPPK)"})
    rank_tmt = fields.Date(attribute="employee.rank_tmt", allow_none=True, required=True,
                           metadata={"description": "From when the rank holds (TMT)"})
    position_kind = fields.Enum(PositionKind, by_value=True, attribute="employee.position_kind",
                                allow_none=True, required=True,
                                metadata={"description": "Jenis jabatan"})
    jenjang = fields.Enum(Jenjang, by_value=True, attribute="employee.jenjang", allow_none=True,
                          required=True, metadata={"description": "Jenjang of a fungsional"})
    angka_kredit = fields.Function(
        lambda e: str(credit.value) if (credit := credits.of_evaluation(e)) else None,
        allow_none=True, required=True, metadata={
            "type": "string", "example": "2.083",
            "description": "Angka kredit of this evaluation (PermenPANRB 1/2023): the "
                           "predikat's percentage of the jenjang's yearly coefficient, pro rata "
                           "for the months the point covers, three decimals; null unless the "
                           "employee is a fungsional with a jenjang"})


EvaluationPage = page_schema(EvaluationItem, "EvaluationPage",
                             year=fields.Integer(allow_none=True, required=True, metadata={
                                 "description": "The year listed; null when there is no period"}))


@bp.get("/evaluations", endpoint="evaluations")
@requires_scope("kinerja:read")
def evaluation_list():
    """Predikat per employee per evaluation point.
    ---
    get:
      operationId: listEvaluations
      tags: [Kinerja]
      summary: Set evaluations of a year with their ratings and predikat (HR tokens)
      description: |
        Only evaluations the appraiser has set (drafts are not listed); only for tokens with
        kinerja:read whose owner is HR (kepegawaian); any other owner gets 403. Ordered by
        employee name, then kind and point; the unit filter takes in the units below it.
      security:
        - bearerAuth: [kinerja:read]
      parameters:
        - in: query
          schema: EvaluationQuery
      responses:
        200:
          description: A page of evaluations
          headers:
            Link: {$ref: '#/components/headers/Link'}
          content:
            application/json:
              schema: EvaluationPage
        400: BadRequest
        401: Unauthorized
        403: Forbidden
        429: TooManyRequests
    """
    query = load_query(EvaluationQuery())
    try:
        period, page = api_reads.evaluations(
            current_token().user, query.get("unit"), query.get("year"),
            query["kind"].value if query.get("kind") else None, query.get("point"),
            query["page"], query["per_page"])
    except NotAllowed:
        forbidden(_("Data kinerja pegawai hanya untuk token milik petugas kepegawaian (SDM)."))
    except RuleViolation as problem:
        bad_request(f"{problem.field}: {problem.message}")
    return page_answer(EvaluationPage, page, year=period.year if period else None)
