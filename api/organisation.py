"""GET /api/v1/units, /counters and /periods: the reference data other systems join on (codes),
readable with any live token."""
from marshmallow import Schema, fields

from api import bp, requires_scope
from api.common import PageQuery, UnitFilter, bad_request, load_query, page_answer, page_schema
from kinerja.core.calendar import Cadence, TimeZone
from kinerja.core.errors import RuleViolation
from kinerja.integration import api_reads
from kinerja.organisation.models import UnitKind
from kinerja.performance.models import PeriodStatus


class UnitsQuery(PageQuery, UnitFilter):
    tree = fields.Boolean(load_default=False, metadata={
        "description": "true: the top units (of the filter), each with its `children`, nested; "
                       "the pages then count top units"})


class Unit(Schema):
    code = fields.String(required=True)
    name = fields.String(required=True)
    kind = fields.Enum(UnitKind, by_value=True, required=True)
    time_zone = fields.Enum(TimeZone, by_value=True, required=True,
                            metadata={"description": "WIB, WITA or WIT"})
    iana_time_zone = fields.String(required=True, metadata={"example": "Asia/Makassar"})
    parent_code = fields.String(allow_none=True, required=True)
    active = fields.Boolean(required=True)
    children = fields.List(fields.Nested(lambda: Unit()), metadata={
        "description": "Only with tree=true: the units directly below, each with theirs"})


UnitPage = page_schema(Unit, "UnitPage")


class ServiceRef(Schema):
    code = fields.String(required=True)
    name = fields.String(required=True)


class Counter(Schema):
    code = fields.String(required=True)
    name = fields.String(required=True)
    unit_code = fields.String(attribute="unit.code", required=True)
    location = fields.String(allow_none=True, required=True)
    active = fields.Boolean(required=True)
    services = fields.List(fields.Nested(ServiceRef), required=True)


CounterPage = page_schema(Counter, "CounterPage")


class CountersQuery(PageQuery, UnitFilter):
    pass


class PeriodsQuery(PageQuery):
    pass


class Period(Schema):
    year = fields.Integer(required=True)
    cadence = fields.Enum(Cadence, by_value=True, required=True,
                          metadata={"description": "How often performance is assessed"})
    status = fields.Enum(PeriodStatus, by_value=True, required=True,
                         metadata={"description": "persiapan (preparing), berjalan (open), "
                                                  "ditutup (closed)"})
    starts = fields.Date(required=True)
    ends = fields.Date(required=True)


PeriodPage = page_schema(Period, "PeriodPage")


def _bad(problem: RuleViolation):
    bad_request(f"{problem.field}: {problem.message}")


@bp.get("/units", endpoint="units")
@requires_scope(None)
def units():
    """Units.
    ---
    get:
      operationId: listUnits
      tags: [Organisation]
      summary: Units of the organisation, flat (with parent codes) or as a tree
      security:
        - bearerAuth: []
      parameters:
        - in: query
          schema: UnitsQuery
      responses:
        200:
          description: A page of units, ordered by code
          headers:
            Link: {$ref: '#/components/headers/Link'}
          content:
            application/json:
              schema: UnitPage
        400: BadRequest
        401: Unauthorized
        429: TooManyRequests
    """
    query = load_query(UnitsQuery())
    try:
        page = api_reads.units(query.get("unit"), query["page"], query["per_page"], tree=query["tree"])
    except RuleViolation as problem:
        _bad(problem)
    return page_answer(UnitPage, page)


@bp.get("/counters", endpoint="counters")
@requires_scope(None)
def counters():
    """Service counters.
    ---
    get:
      operationId: listCounters
      tags: [Organisation]
      summary: Service counters (loket) with their unit and services
      security:
        - bearerAuth: []
      parameters:
        - in: query
          schema: CountersQuery
      responses:
        200:
          description: A page of counters, ordered by code
          headers:
            Link: {$ref: '#/components/headers/Link'}
          content:
            application/json:
              schema: CounterPage
        400: BadRequest
        401: Unauthorized
        429: TooManyRequests
    """
    query = load_query(CountersQuery())
    try:
        page = api_reads.counters(query.get("unit"), query["page"], query["per_page"])
    except RuleViolation as problem:
        _bad(problem)
    return page_answer(CounterPage, page)


@bp.get("/periods", endpoint="periods")
@requires_scope(None)
def periods():
    """Performance periods.
    ---
    get:
      operationId: listPeriods
      tags: [Organisation]
      summary: Performance periods (years), the latest first
      security:
        - bearerAuth: []
      parameters:
        - in: query
          schema: PeriodsQuery
      responses:
        200:
          description: A page of periods
          headers:
            Link: {$ref: '#/components/headers/Link'}
          content:
            application/json:
              schema: PeriodPage
        400: BadRequest
        401: Unauthorized
        429: TooManyRequests
    """
    query = load_query(PeriodsQuery())
    try:
        page = api_reads.all_periods(query["page"], query["per_page"])
    except RuleViolation as problem:
        _bad(problem)
    return page_answer(PeriodPage, page)
