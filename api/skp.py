"""GET /api/v1/skp: each employee's SKP status and realisation against target for a year, for
tokens with kinerja:read owned by HR (kepegawaian)."""
from flask_babel import gettext as _
from marshmallow import Schema, fields, validate

from api import bp, requires_scope
from api.common import (
    PageQuery,
    Rounded,
    UnitFilter,
    bad_request,
    current_token,
    forbidden,
    load_query,
    page_answer,
    page_schema,
)
from kinerja.core.errors import NotAllowed, RuleViolation
from kinerja.integration import api_reads
from kinerja.performance import periods
from kinerja.performance.models import SkpStatus
from kinerja.performance.pace import PaceStatus


class SkpQuery(PageQuery, UnitFilter):
    year = fields.Integer(validate=validate.Range(periods.FIRST_YEAR, periods.LAST_YEAR), metadata={
        "description": "Performance year (default: the open period, else the latest)"})
    status = fields.Enum(SkpStatus, by_value=True, metadata={"description": "Only SKPs in this state"})


class SkpSummary(Schema):
    nip = fields.String(attribute="employee.nip", required=True)
    name = fields.String(attribute="employee.name", required=True)
    position = fields.String(attribute="employee.position_name", required=True)
    unit_code = fields.String(allow_none=True, required=True)
    year = fields.Integer(required=True)
    skp_status = fields.Enum(SkpStatus, by_value=True, allow_none=True, required=True, metadata={
        "description": "draf, diajukan (submitted), disetujui (approved), dikembalikan "
                       "(returned); null: no SKP for the year"})
    quantity_indicators = fields.Integer(required=True, metadata={
        "description": "Quantity indicators with a target: what the percentages average over"})
    realisation_percent = Rounded(1, required=True, metadata={
        "description": "Cumulative realisation as % of the yearly target, to the running month "
                       "(December for a past year), averaged over the quantity indicators"})
    expected_percent = Rounded(1, required=True, metadata={
        "description": "The share of the year gone by, in %: where the pace expects realisation"})
    pace_status = fields.Enum(PaceStatus, by_value=True, required=True, metadata={
        "description": "realisation against the expected pace: on_track (>= 100%), "
                       "slightly_behind (>= 80%), behind, no_data"})


SkpSummaryPage = page_schema(SkpSummary, "SkpSummaryPage",
                             year=fields.Integer(allow_none=True, required=True, metadata={
                                 "description": "The year summarised; null when there is no period"}))


@bp.get("/skp", endpoint="skp")
@requires_scope("kinerja:read")
def skp_summary():
    """SKP status and realisation per employee.
    ---
    get:
      operationId: listSkpSummaries
      tags: [Kinerja]
      summary: Each active employee's SKP status and realisation against target (HR tokens)
      description: |
        Everyone's performance data: only for tokens with kinerja:read whose owner is HR
        (kepegawaian); any other owner gets 403. Employees are ordered by name; the unit filter
        takes in the units below it.

        The predikat of each evaluation (periodic and annual) is listed by
        GET /api/v1/evaluations.
      security:
        - bearerAuth: [kinerja:read]
      parameters:
        - in: query
          schema: SkpQuery
      responses:
        200:
          description: A page of employees
          headers:
            Link: {$ref: '#/components/headers/Link'}
          content:
            application/json:
              schema: SkpSummaryPage
        400: BadRequest
        401: Unauthorized
        403: Forbidden
        429: TooManyRequests
    """
    query = load_query(SkpQuery())
    try:
        result = api_reads.skp_summaries(current_token().user, query.get("unit"), query.get("year"),
                                         query.get("status"), query["page"], query["per_page"])
    except NotAllowed:
        forbidden(_("Data kinerja pegawai hanya untuk token milik petugas kepegawaian (SDM)."))
    except RuleViolation as problem:
        bad_request(f"{problem.field}: {problem.message}")
    return page_answer(SkpSummaryPage, result.page,
                       year=result.period.year if result.period else None)
