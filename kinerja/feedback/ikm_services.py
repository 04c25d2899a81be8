"""IKM per service received: each service's figures count only the ratings that name it (the
per-service rollups, migration 0023), never a counter's every rating once per service it
offers. Ratings that name no service (all of those given before the kiosk asked) make one more
line, "layanan tidak disebut": the scope's figures less those of its services.
"""
from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l

from kinerja.extensions import db
from kinerja.feedback.ikm_figures import SUM_COLUMNS, Figures, service_rows, sum_columns
from kinerja.organisation.models import Service

UNNAMED = _l("Layanan tidak disebut")


@dataclass(frozen=True)
class ServiceLine:
    code: str | None   # None: the ratings naming no service
    name: str
    figures: Figures

    @property
    def named(self) -> bool:
        return self.code is not None


@dataclass(frozen=True)
class ServiceBreakdown:
    totals: Figures
    services: list[ServiceLine] = field(default_factory=list)  # by name, those with ratings
    unnamed: Figures = field(default_factory=Figures)

    @property
    def lines(self) -> list[ServiceLine]:
        """The services, then the ratings naming none when there are any."""
        rest = [ServiceLine(None, str(UNNAMED), self.unnamed)] if self.unnamed.ratings else []
        return [*self.services, *rest]


def per_service(counters_of, start: date, end: date, totals: Figures) -> ServiceBreakdown:
    """The scope's figures (`totals`, of the counters in `counters_of`, a subquery of ids or
    None for every counter, over [start, end]) split by the service each rating names: one
    grouped SUM over the per-service rollups."""
    source = service_rows(counters_of, start, end)
    per_service = (db.select(source.c.service_id, *sum_columns(source))
                   .group_by(source.c.service_id).subquery())
    rows = db.session.execute(
        db.select(Service.code, Service.name, *(per_service.c[c] for c in SUM_COLUMNS))
        .join(per_service, per_service.c.service_id == Service.id)
        .order_by(Service.name)).all()
    services = [ServiceLine(code, name, Figures.from_sums(sums, totals.weight))
                for code, name, *sums in rows]
    named = sum((line.figures for line in services), Figures(weight=totals.weight))
    return ServiceBreakdown(totals, services, totals - named)

