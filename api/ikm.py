"""GET /api/v1/ikm: the IKM of a unit, counter or service over a date range, from the rollups."""
from datetime import date
from decimal import Decimal

from flask import abort, jsonify, request
from marshmallow import RAISE, Schema, ValidationError, fields, validate

from api import bp, requires_scope
from kinerja.services import ikm, ikm_reports
from kinerja.services.errors import RuleViolation
from web.errors import render_error

# Codes as the organisation writes them (units, counters, services): letters, digits, . _ -
CODE = validate.Regexp(r"^[A-Za-z0-9._-]{1,30}$", error="not a valid code")


class IkmQuery(Schema):
    """Every filter narrows the report; none at all is the whole kabupaten."""
    unit = fields.String(validate=CODE, metadata={"description": "Unit code; its sub-units count too"})
    counter = fields.String(validate=CODE, metadata={"description": "Service counter (loket) code"})
    service = fields.String(validate=CODE, metadata={"description": "Service code"})
    start = fields.Date(data_key="from", metadata={"description": "First day (default: 1 January)"})
    end = fields.Date(data_key="to", metadata={"description": "Last day (default: today, WIB)"})

    class Meta:
        unknown = RAISE  # a misspelt filter ("form=") must not silently widen the report


class Rounded(fields.Field):
    """A Decimal as a JSON number rounded to `places` (null stays null)."""

    def __init__(self, places: int = 4, **kwargs):
        super().__init__(allow_none=True, **kwargs)
        self.places = places

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else float(round(Decimal(value), self.places))


class IkmScope(Schema):
    unit = fields.String(allow_none=True)
    counter = fields.String(allow_none=True)
    service = fields.String(allow_none=True)
    subunits = fields.Boolean()


class IkmResponse(Schema):
    scope = fields.Nested(IkmScope)
    start = fields.Date(data_key="from")
    end = fields.Date(data_key="to")
    respondents = fields.Integer(metadata={"description": "Full surveys (all nine elements)"})
    one_tap_respondents = fields.Integer(metadata={"description": "Every rating, one tap or more"})
    nrr = fields.Dict(keys=fields.String(), values=Rounded(4))
    ikm = Rounded(4, metadata={"description": "IKM on the 1-4 scale, from full surveys only"})
    converted = Rounded(2, metadata={"description": "IKM x 25 (25-100)"})
    mutu = fields.String(allow_none=True)
    performance = fields.String(allow_none=True)
    score_counts = fields.Dict(keys=fields.String(), values=fields.Integer())
    one_tap_index = Rounded(4, metadata={"description": "Average one-tap face (1-4); not an SKM IKM"})


def _payload(report: ikm_reports.Report) -> dict:
    survey, totals = report.survey, report.totals
    return {"scope": report.scope.as_dict(), "start": report.start, "end": report.end,
            "respondents": totals.full_surveys, "one_tap_respondents": totals.ratings,
            "nrr": {e: survey.nrr[e] for e in ikm.ELEMENTS}, "ikm": survey.ikm,
            "converted": survey.converted, "mutu": survey.mutu, "performance": survey.performance,
            "score_counts": {str(s): n for s, n in totals.score_counts.items()},
            "one_tap_index": totals.one_tap_index}


def _bad_request(detail: str):
    abort(render_error(400, detail))


@bp.get("/ikm", endpoint="ikm")
@requires_scope("ikm:read")
def ikm_index():
    """The IKM for a scope and a date range.
    ---
    get:
      summary: IKM (PermenPANRB 14/2017) and the one-tap index
      security:
        - bearerAuth: [ikm:read]
      parameters:
        - in: query
          schema: IkmQuery
      responses:
        200:
          content:
            application/json:
              schema: IkmResponse
        400: {description: Bad parameters (problem+json)}
        401: {description: Missing, wrong, expired or revoked token (problem+json)}
        403: {description: The token lacks the ikm:read scope (problem+json)}
    """
    try:
        query = IkmQuery().load(request.args)
    except ValidationError as problem:
        _bad_request("; ".join(f"{key}: {' '.join(map(str, messages))}"
                               for key, messages in sorted(problem.messages.items())))
    today = ikm_reports.local_today(None)
    start = query.get("start") or date(today.year, 1, 1)
    end = query.get("end") or max(today, start)
    try:
        ikm_reports.check_range(start, end)
        scope = ikm_reports.scope_from_codes(query.get("unit"), query.get("counter"),
                                             query.get("service"))
    except RuleViolation as problem:
        _bad_request(f"{problem.field}: {problem.message}")
    return jsonify(IkmResponse().dump(_payload(ikm_reports.report(scope, start, end))))
