"""GET /api/v1/ikm: the IKM of a unit, counter or service over a date range, from the rollups;
GET /api/v1/ikm/elements: the same figures month by month, for trend dashboards."""
from flask import jsonify
from marshmallow import Schema, fields, validate

from api import bp, requires_scope
from api.common import (
    CODE,
    IkmScope,
    NrrByElement,
    PageQuery,
    Query,
    RangeFilter,
    Rounded,
    UnitFilter,
    bad_request,
    date_range,
    load_query,
    page_answer,
    page_schema,
)
from kinerja.core.errors import RuleViolation
from kinerja.feedback import ikm, ikm_report, ikm_scope
from kinerja.feedback.ikm import WEIGHTS
from kinerja.feedback.ikm_figures import Figures
from kinerja.integration import api_reads


class IkmFilter(UnitFilter, RangeFilter):
    """Every filter narrows the report; none at all is the whole kabupaten."""
    counter = fields.String(validate=CODE, metadata={"description": "Service counter (loket) code",
                                                     "example": "DUKCAPIL-01"})
    service = fields.String(validate=CODE, metadata={"description": "Service code", "example": "KTP-EL"})


class IkmQuery(Query, IkmFilter):
    pass


class IkmMonthsQuery(PageQuery, IkmFilter):
    pass


class ScoreCounts(Schema):
    """How many ratings gave each face, 1 (tidak baik) to 4 (sangat baik)."""
    one = fields.Integer(data_key="1", required=True)
    two = fields.Integer(data_key="2", required=True)
    three = fields.Integer(data_key="3", required=True)
    four = fields.Integer(data_key="4", required=True)


class IkmFigures(Schema):
    respondents = fields.Integer(required=True, metadata={"description": "Full surveys (all nine elements)"})
    one_tap_respondents = fields.Integer(required=True, metadata={"description": "Every rating, one tap "
                                                                                 "or more"})
    nrr = fields.Nested(NrrByElement, required=True)
    ikm = Rounded(4, required=True, metadata={"description": "IKM on the 1-4 scale, from full surveys only"})
    converted = Rounded(2, required=True, metadata={"description": "IKM x 25 (25-100)"})
    mutu = fields.String(allow_none=True, required=True, metadata={"description": "A, B, C or D"})
    performance = fields.String(allow_none=True, required=True,
                                metadata={"description": "Kinerja unit pelayanan, e.g. Baik"})
    score_counts = fields.Nested(ScoreCounts, required=True)
    one_tap_index = Rounded(4, required=True, metadata={"description": "Average one-tap face (1-4); "
                                                                       "not an SKM IKM"})
    weight = fields.String(required=True, validate=validate.OneOf(list(WEIGHTS)), metadata={
        "description": "The weight of each element's NRR, as HR chose it for the year the range "
                       "ends in: 0.111 (the regulation's worksheet) or 1/9"})


class IkmResponse(IkmFigures):
    scope = fields.Nested(IkmScope, required=True)
    start = fields.Date(data_key="from", required=True)
    end = fields.Date(data_key="to", required=True)


class IkmMonth(IkmFigures):
    month = fields.String(required=True, metadata={"description": "YYYY-MM", "example": "2026-03"})


IkmMonthPage = page_schema(
    IkmMonth, "IkmMonthPage", scope=fields.Nested(IkmScope, required=True),
    start=fields.Date(data_key="from", required=True), end=fields.Date(data_key="to", required=True))


def _figures(figures: Figures) -> dict:
    survey = figures.survey
    return {"respondents": figures.full_surveys, "one_tap_respondents": figures.ratings,
            "nrr": {e: survey.nrr[e] for e in ikm.ELEMENTS}, "ikm": survey.ikm,
            "converted": survey.converted, "mutu": survey.mutu, "performance": survey.performance,
            "score_counts": {"one": figures.score_counts[1], "two": figures.score_counts[2],
                             "three": figures.score_counts[3], "four": figures.score_counts[4]},
            "one_tap_index": figures.one_tap_index, "weight": figures.weight}


@bp.get("/ikm", endpoint="ikm")
@requires_scope("ikm:read")
def ikm_index():
    """The IKM for a scope and a date range.
    ---
    get:
      operationId: getIkm
      tags: [IKM]
      summary: IKM (PermenPANRB 14/2017) and the one-tap index
      description: |
        Computed from the daily rollups exactly as the portal's IKM report. Only full surveys
        (all nine elements answered) count towards the IKM; the one-tap faces are reported apart.
      security:
        - bearerAuth: [ikm:read]
      parameters:
        - in: query
          schema: IkmQuery
      responses:
        200:
          description: The figures
          content:
            application/json:
              schema: IkmResponse
        400: BadRequest
        401: Unauthorized
        403: Forbidden
        429: TooManyRequests
    """
    query = load_query(IkmQuery())
    start, end = date_range(query)
    try:
        ikm_scope.check_range(start, end)
        scope = ikm_scope.scope_from_codes(query.get("unit"), query.get("counter"),
                                           query.get("service"))
    except RuleViolation as problem:
        bad_request(f"{problem.field}: {problem.message}")
    totals = ikm_report.totals(scope, start, end)  # what it returns, not the whole report
    return jsonify(IkmResponse().dump({"scope": scope.as_dict(), "start": start, "end": end,
                                       **_figures(totals)}))


@bp.get("/ikm/elements", endpoint="ikm_elements")
@requires_scope("ikm:read")
def ikm_elements():
    """NRR per element per month.
    ---
    get:
      operationId: listIkmMonths
      tags: [IKM]
      summary: NRR of each SKM element, and the IKM, month by month
      description: |
        One item per calendar month touched by the range (oldest first), each with the same
        figures as GET /ikm for that month: for trend charts of the nine elements. Months
        without ratings are listed with zero respondents and null NRR.
      security:
        - bearerAuth: [ikm:read]
      parameters:
        - in: query
          schema: IkmMonthsQuery
      responses:
        200:
          description: A page of months
          headers:
            Link: {$ref: '#/components/headers/Link'}
          content:
            application/json:
              schema: IkmMonthPage
        400: BadRequest
        401: Unauthorized
        403: Forbidden
        429: TooManyRequests
    """
    query = load_query(IkmMonthsQuery())
    start, end = date_range(query)
    try:
        result = api_reads.ikm_months(query.get("unit"), query.get("counter"), query.get("service"),
                                      start, end, query["page"], query["per_page"])
    except RuleViolation as problem:
        bad_request(f"{problem.field}: {problem.message}")
    page = result.page
    months = [{"month": f"{row.month:%Y-%m}", **_figures(row.figures)} for row in page.items]
    return page_answer(IkmMonthPage, api_reads.Page(months, page.page, page.per_page, page.total),
                       scope=result.scope.as_dict(), start=result.start, end=result.end)
