"""GET /api/v1/complaints/summary: complaint counts per unit and state, and how many are overdue;
counts only, never a complaint's text, contact or anyone's name."""
from marshmallow import Schema, fields

from api import bp, requires_scope
from api.common import (
    PageQuery,
    RangeFilter,
    UnitFilter,
    bad_request,
    date_range,
    load_query,
    page_answer,
    page_schema,
)
from kinerja.core.errors import RuleViolation
from kinerja.integration import api_reads


class ComplaintsQuery(PageQuery, UnitFilter, RangeFilter):
    pass


class StateCounts(Schema):
    """Complaints in each state: diterima (received), diproses (in progress), dijawab
    (answered), ditutup (closed)."""
    diterima = fields.Integer(required=True)
    diproses = fields.Integer(required=True)
    dijawab = fields.Integer(required=True)
    ditutup = fields.Integer(required=True)


class UnitComplaints(Schema):
    unit_code = fields.String(required=True)
    unit_name = fields.String(required=True)
    counts = fields.Nested(StateCounts, required=True)
    total = fields.Integer(required=True)
    open = fields.Integer(required=True, metadata={"description": "diterima + diproses"})
    overdue = fields.Integer(required=True, metadata={
        "description": "Still open after the answer deadline (working days, in the unit's zone), now"})


UnitComplaintsPage = page_schema(UnitComplaints, "UnitComplaintsPage",
                                 start=fields.Date(data_key="from", required=True),
                                 end=fields.Date(data_key="to", required=True))


@bp.get("/complaints/summary", endpoint="complaints_summary")
@requires_scope("ikm:read")
def complaints_summary():
    """Complaint counts per unit.
    ---
    get:
      operationId: listComplaintCounts
      tags: [Complaints]
      summary: Complaints per unit, by state, with the overdue ones
      description: |
        Units that received complaints between `from` and `to` (days in each unit's own time
        zone), ordered by code; the unit filter takes in the units below it, and each unit is
        counted on its own. Counts only: no text, no contact details, no names.
      security:
        - bearerAuth: [ikm:read]
      parameters:
        - in: query
          schema: ComplaintsQuery
      responses:
        200:
          description: A page of units
          headers:
            Link: {$ref: '#/components/headers/Link'}
          content:
            application/json:
              schema: UnitComplaintsPage
        400: BadRequest
        401: Unauthorized
        403: Forbidden
        429: TooManyRequests
    """
    query = load_query(ComplaintsQuery())
    start, end = date_range(query)
    try:
        page = api_reads.complaint_counts(query.get("unit"), start, end, query["page"], query["per_page"])
    except RuleViolation as problem:
        bad_request(f"{problem.field}: {problem.message}")
    return page_answer(UnitComplaintsPage, page, start=start, end=end)
