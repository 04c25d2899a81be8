"""The IKM report page's query string, parsed into plain values, and what the page shows for it.

A bad field is reported next to it (Query.errors) and replaced by its default, so the page still
shows a report; a scope beyond the reader's reach is NotAllowed (a 403)."""
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l

from kinerja.core.errors import RuleViolation
from kinerja.feedback import ikm_report, ikm_scope
from kinerja.feedback.ikm_report import Preset, Report
from kinerja.feedback.ikm_scope import Choices, Scope
from kinerja.organisation import access
from kinerja.organisation.letterhead import Letterhead, letterhead
from kinerja.organisation.models import User

MAX_POPULATION = 100_000_000
# The filters in the form's order: the errors are listed (and joined into a 400's text) so.
FIELDS = ("unit", "counter", "service", "from", "to", "population")
NOT_FOUND = {"unit": _l("Unit tidak ditemukan."), "counter": _l("Loket tidak ditemukan."),
             "service": _l("Layanan tidak ditemukan.")}


@dataclass
class Query:
    scope: Scope
    start: date
    end: date
    population: int | None
    errors: dict[str, str] = field(default_factory=dict)

    def args(self) -> dict:
        """The query string that gives this report again (for export links and presets)."""
        values = {"unit": self.scope.unit.id if self.scope.unit else None,
                  "counter": self.scope.counter.id if self.scope.counter else None,
                  "service": self.scope.service.id if self.scope.service else None,
                  "subunits": None if self.scope.subunits else "0",
                  "from": self.start.isoformat(), "to": self.end.isoformat(),
                  "population": self.population}
        return {key: value for key, value in values.items() if value is not None}

    def with_period(self, start: date, end: date) -> dict:
        return {**self.args(), "from": start.isoformat(), "to": end.isoformat()}


def _parse_id(args: Mapping, name: str, errors: dict) -> int | None:
    raw = (args.get(name) or "").strip()
    if not raw:
        return None
    if raw.isdigit() and len(raw) < 10:
        return int(raw)
    errors[name] = str(NOT_FOUND[name])
    return None


def _parse_date(args: Mapping, name: str, errors: dict) -> date | None:
    raw = (args.get(name) or "").strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw[:10])
    except ValueError:
        errors[name] = str(_l("Tanggal tidak valid; gunakan format TTTT-BB-HH."))
        return None


def _parse_population(raw: str | None, errors: dict) -> int | None:
    text = re.sub(r"[\s.,]", "", raw or "")
    if not text:
        return None
    if not text.isdigit() or not 0 < int(text) <= MAX_POPULATION:
        errors["population"] = str(_l("Isi jumlah penerima layanan dengan bilangan bulat positif."))
        return None
    return int(text)


def query_from_args(user: User, args: Mapping[str, str]) -> Query:
    """The report a reader asked for in the query string: no unit is the reader's own (the
    whole kabupaten for HR), no dates this year so far."""
    errors: dict[str, str] = {}
    ids = {name: _parse_id(args, name, errors) for name in ("unit", "counter", "service")}
    scope, unknown = ikm_scope.reader_scope(user, ids["unit"], ids["counter"], ids["service"],
                                            subunits=args.get("subunits") != "0")
    for name in unknown:
        errors[name] = str(NOT_FOUND[name])
    today = ikm_scope.reporting_day(user, scope)
    start = _parse_date(args, "from", errors) or date(today.year, 1, 1)
    end = _parse_date(args, "to", errors) or max(today, start)
    try:
        ikm_scope.check_range(start, end)
    except RuleViolation as problem:
        errors[problem.field] = str(problem.message)
        start, end = date(today.year, 1, 1), today
    population = _parse_population(args.get("population"), errors)
    return Query(scope, start, end, population,
                 {name: errors[name] for name in FIELDS if name in errors})


@dataclass
class Page:
    query: Query
    report: Report
    choices: Choices
    presets: list[Preset]
    today: date
    letterhead: Letterhead
    sees_every_unit: bool = False      # may choose "every unit" (the whole kabupaten)
    manages_publication: bool = False  # links to the publication of IKM, not to follow-ups
    manages_weights: bool = False      # links to the element weight of each year


def report_page(user: User, args: Mapping[str, str]) -> Page:
    """Everything the report page (and its exports) show, for this reader and query string."""
    query = query_from_args(user, args)
    result = ikm_report.report(query.scope, query.start, query.end, query.population,
                               with_services=True)
    today = ikm_scope.reporting_day(user, query.scope)
    return Page(query, result, ikm_scope.filter_choices(user), ikm_report.presets(today), today,
                letterhead(query.scope.home_unit), access.sees_every_unit_ikm(user),
                access.manages_publication(user), access.manages_ikm_weights(user))
