"""The domain's gauges for /metrics, read from the database at each scrape (three small
queries): tablets that stopped calling in, the background jobs' queue and the SIASN outbox."""
from datetime import timedelta

from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from kinerja.core.jobs import Job, JobStatus
from kinerja.core.types import utcnow
from kinerja.extensions import db
from kinerja.feedback.models import Kiosk, KioskKind
from kinerja.integration.models import OutboxStatus, SiasnOutbox

# A tablet calls in at every rating and every config refresh (a few minutes): an hour without a
# call in service hours means it is off, offline or broken.
UNSEEN_AFTER = timedelta(hours=1)


class DomainCollector(Collector):
    def collect(self):
        now = utcnow()
        paired = (Kiosk.kind == KioskKind.TABLET.value, Kiosk.token_hash.is_not(None),
                  Kiosk.revoked_at.is_(None))
        total, unseen = db.session.execute(db.select(
            db.func.count(Kiosk.id),
            db.func.count(Kiosk.id).filter(db.or_(Kiosk.last_seen_at.is_(None),
                                                  Kiosk.last_seen_at < now - UNSEEN_AFTER)),
        ).where(*paired)).one()
        yield GaugeMetricFamily("kinerja_kiosks_paired", "Tablets paired and not revoked.",
                                value=total)
        yield GaugeMetricFamily("kinerja_kiosks_unseen",
                                "Paired tablets not heard from for an hour or more.", value=unseen)

        jobs = GaugeMetricFamily("kinerja_jobs", "Background jobs kept, by status (failed: "
                                 "within the days jobs are kept).", labels=["status"])
        counts = dict(db.session.execute(
            db.select(Job.status, db.func.count(Job.id)).group_by(Job.status)).all())
        for status in JobStatus:
            jobs.add_metric([status.value], counts.get(status, 0))
        yield jobs

        outbox = GaugeMetricFamily("kinerja_siasn_outbox", "Results on their way to SIASN, by "
                                   "status (waiting and refused ones need attention).",
                                   labels=["status"])
        counts = dict(db.session.execute(db.select(SiasnOutbox.status, db.func.count(SiasnOutbox.id))
                                         .group_by(SiasnOutbox.status)).all())
        for status in OutboxStatus:
            outbox.add_metric([status.value], counts.get(status, 0))
        yield outbox
