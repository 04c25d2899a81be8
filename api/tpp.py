"""GET /api/v1/tpp: the month's TPP inputs per employee of a unit (or the kabupaten) and their
performance share by HR's formula of the year, for tokens with kinerja:read owned by HR."""
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
from kinerja.core import calendar
from kinerja.core.errors import NotAllowed, RuleViolation
from kinerja.integration import api_reads, tpp


class TppQuery(PageQuery, UnitFilter):
    month = fields.String(required=True, validate=validate.Regexp(r"^\d{4}-\d{2}$"), metadata={
        "description": "The month, YYYY-MM", "example": "2026-03"})


class Share(Rounded):
    """An exact fraction as a JSON number rounded to `places` (null stays null)."""

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else round(float(value), self.places)


def _exact(value):
    return None if value is None else f"{value.numerator}/{value.denominator}"


class TppComponent(Schema):
    key = fields.String(required=True, metadata={
        "description": "predikat, realisation, regularity, hours or ikm"})
    score = Share(4, required=True, metadata={"description": "0..1"})
    weight = fields.Integer(required=True)


class TppItem(Schema):
    nip = fields.String(attribute="employee.nip", required=True)
    name = fields.String(attribute="employee.name", required=True)
    unit_code = fields.Function(lambda r: r.employee.unit.code if r.employee.unit else None,
                                allow_none=True, required=True)
    predikat = fields.String(attribute="inputs.predikat", allow_none=True, required=True)
    predikat_source = fields.String(allow_none=True, required=True, metadata={
        "description": "Set when the predikat is an earlier point's (none set for the month)"})
    realisation = Share(4, attribute="inputs.realisation", required=True, metadata={
        "description": "Achievement against the share of the targets due by the month's end"})
    active_days = fields.Integer(attribute="inputs.active_days", required=True)
    working_days = fields.Integer(attribute="inputs.working_days", required=True)
    verified_minutes = fields.Integer(attribute="inputs.verified_minutes", required=True)
    ikm = Share(2, attribute="inputs.ikm", required=True, metadata={
        "description": "Converted IKM (25-100) of the counter ratings naming them; null "
                       "without counter duty or complete surveys"})
    components = fields.List(fields.Nested(TppComponent), attribute="result.components",
                             required=True)
    share = Share(4, attribute="result.share", required=True, metadata={
        "description": "The performance share 0..1; null when no component applies"})
    share_exact = fields.Function(lambda r: _exact(r.result.share), allow_none=True,
                                  required=True, metadata={"type": "string", "example": "7/8"})
    explanation = fields.String(required=True)


TppPage = page_schema(TppItem, "TppPage", month=fields.String(required=True),
                      working_days=fields.Integer(required=True))


@bp.get("/tpp", endpoint="tpp")
@requires_scope("kinerja:read")
def tpp_list():
    """TPP inputs of a month.
    ---
    get:
      operationId: listTppInputs
      tags: [Kinerja]
      summary: The month's TPP inputs and performance share per employee (HR tokens)
      description: |
        Active employees of the unit and the units below it (the whole kabupaten without
        unit), by name; only for tokens with kinerja:read whose owner is HR (kepegawaian).
      security:
        - bearerAuth: [kinerja:read]
      parameters:
        - in: query
          schema: TppQuery
      responses:
        200:
          description: A page of employees' TPP inputs
          headers:
            Link: {$ref: '#/components/headers/Link'}
          content:
            application/json:
              schema: TppPage
        400: BadRequest
        401: Unauthorized
        403: Forbidden
        429: TooManyRequests
    """
    query = load_query(TppQuery())
    reader = current_token().user
    try:
        year, month = tpp.parse_month(query["month"], calendar.today_in())
        unit = tpp.unit_by_code(query.get("unit"))
        sheet = tpp.sheet(reader, unit, year, month, calendar.today_in())
    except NotAllowed:
        forbidden(_("Data kinerja pegawai hanya untuk token milik petugas kepegawaian (SDM)."))
    except RuleViolation as problem:
        bad_request(f"{problem.field}: {problem.message}")
    page = api_reads.Page.of_list(sheet.rows, query["page"], query["per_page"])
    return page_answer(TppPage, page, month=sheet.key, working_days=sheet.working_days)
