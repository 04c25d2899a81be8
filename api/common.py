"""What every API view shares: strict query parsing (400 on a bad or unknown parameter), the
page envelope with its Link header, the problem+json refusals and the common fields."""
from datetime import date
from decimal import Decimal
from urllib.parse import urlencode

from flask import abort, g, jsonify, request
from flask_babel import gettext as _
from marshmallow import RAISE, Schema, ValidationError, fields, validate

from kinerja.core import calendar
from kinerja.feedback import ikm
from kinerja.integration import api_reads
from kinerja.integration.models import ApiToken
from web.errors import render_error

# Codes as the organisation writes them (units, counters, services): letters, digits, . _ -
CODE = validate.Regexp(r"^[A-Za-z0-9._-]{1,30}$", error="not a valid code")
# Far beyond any real page; keeps OFFSET inside a 64-bit integer whatever is asked.
MAX_PAGE = 1_000_000


def bad_request(detail: str):
    abort(render_error(400, detail))


def forbidden(detail: str):
    abort(render_error(403, detail))


def current_token() -> ApiToken:
    """The token that authenticated this call (set by requires_scope)."""
    return g.api_token


# ---------------------------------------------------------------- queries


class Query(Schema):
    """Query parameters: an unknown one is refused, so a misspelt filter ("form=") never
    silently widens an answer."""

    class Meta:
        unknown = RAISE


class PageQuery(Query):
    page = fields.Integer(load_default=1, validate=validate.Range(1, MAX_PAGE),
                          metadata={"description": "Page number, from 1"})
    per_page = fields.Integer(load_default=api_reads.DEFAULT_PER_PAGE,
                              validate=validate.Range(1, api_reads.MAX_PER_PAGE),
                              metadata={"description": f"Items per page, at most {api_reads.MAX_PER_PAGE}"})


class UnitFilter(Schema):
    unit = fields.String(validate=CODE, metadata={"description": "Unit code; the units below it count too",
                                                  "example": "DUKCAPIL"})


class RangeFilter(Schema):
    start = fields.Date(data_key="from", metadata={
        "description": "First day, YYYY-MM-DD (default: 1 January of this year)", "example": "2026-01-01"})
    end = fields.Date(data_key="to", metadata={
        "description": "Last day, YYYY-MM-DD (default: today, WIB)", "example": "2026-03-31"})


def load_query(schema: Schema) -> dict:
    """The request's query string loaded by `schema`; any problem is a 400 problem+json."""
    repeated = sorted(name for name in request.args if len(request.args.getlist(name)) > 1)
    if repeated:
        bad_request(_("Parameter %(names)s hanya boleh diberikan sekali.", names=", ".join(repeated)))
    try:
        return schema.load(request.args.to_dict())
    except ValidationError as problem:
        bad_request("; ".join(f"{key}: {' '.join(map(str, messages))}"
                              for key, messages in sorted(problem.messages.items())))


def date_range(query: dict) -> tuple[date, date]:
    """from/to with their defaults: 1 January of this year to today (WIB)."""
    today = calendar.today_in()
    start = query.get("start") or date(today.year, 1, 1)
    return start, query.get("end") or max(today, start)


# ---------------------------------------------------------------- answers


class Rounded(fields.Field):
    """A Decimal as a JSON number rounded to `places` (null stays null)."""

    def __init__(self, places: int = 4, **kwargs):
        super().__init__(allow_none=True, **kwargs)
        self.places = places

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else float(round(Decimal(value), self.places))


# NRR (average answer, 1-4) of each of the nine SKM elements; null when nobody answered.
NrrByElement = Schema.from_dict(
    {element: Rounded(4, required=True, metadata={"description": f"{element} {name}"})
     for element, name in ikm.ELEMENT_NAMES.items()}, name="NrrByElement")


class IkmScope(Schema):
    unit = fields.String(allow_none=True, required=True)
    counter = fields.String(allow_none=True, required=True)
    service = fields.String(allow_none=True, required=True)
    subunits = fields.Boolean(required=True)


class Problem(Schema):
    """RFC 9457 problem details, as every error of the API is answered."""
    type = fields.String(required=True)
    title = fields.String(required=True)
    status = fields.Integer(required=True)
    detail = fields.String(required=True)


def page_schema(item: type[Schema], name: str, **extra) -> type[Schema]:
    """The envelope of a list: {"items": [...], "page", "per_page", "total"} (+ `extra`), as a
    class of its own name (registered, so docstrings can name it)."""
    return type(name, (Schema,), {
        "__module__": item.__module__,
        "__doc__": f"A page of {item.__name__} items.",
        "items": fields.List(fields.Nested(item), required=True),
        "page": fields.Integer(required=True),
        "per_page": fields.Integer(required=True),
        "total": fields.Integer(required=True, metadata={"description": "Items on all pages"}),
        **extra,
    })


def _link(page: int, per_page: int) -> str:
    args = request.args.to_dict()
    args.update(page=page, per_page=per_page)
    return f"<{request.path}?{urlencode(args)}>"


def page_answer(schema: type[Schema], page: api_reads.Page, **extra):
    """The envelope as JSON, with RFC 8288 Link headers to the first, previous, next and last
    pages (relative to this request, keeping its filters)."""
    response = jsonify(schema().dump({"items": page.items, "page": page.page,
                                      "per_page": page.per_page, "total": page.total, **extra}))
    links = [f'{_link(1, page.per_page)}; rel="first"']
    if page.page > 1:
        links.append(f'{_link(min(page.page - 1, page.pages), page.per_page)}; rel="prev"')
    if page.page < page.pages:
        links.append(f'{_link(page.page + 1, page.per_page)}; rel="next"')
    links.append(f'{_link(page.pages, page.per_page)}; rel="last"')
    response.headers["Link"] = ", ".join(links)
    return response
