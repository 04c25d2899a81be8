"""What the people running Kinerja watch: one JSON line per request, Prometheus metrics on
/metrics, and a readiness check on /readyz (distinct from /healthz, which never touches the
database so that a slow database does not get the app restarted).

A request's log line carries ids only: the route's pattern (never the path as typed, nor the
query string), the user's id, the status and the duration. Names, NIPs, tokens and passwords
never reach a log, where they would be kept and shipped beyond the app's access rules.
"""
import ipaddress
import logging
import os
import re
import secrets
import sys
import time
from collections.abc import Callable, Iterable

import sqlalchemy as sa
from flask import Flask, Response, abort, current_app, g, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from pythonjsonlogger.json import JsonFormatter

from kinerja import health

REQUESTS = Counter("kinerja_http_requests_total", "Requests answered, by endpoint group.",
                   ["group", "method", "status"])
DURATION = Histogram("kinerja_http_request_duration_seconds",
                     "Time to answer a request, by endpoint group.", ["group"],
                     buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10))
KIOSK_RATINGS = Counter("kinerja_kiosk_ratings_total",
                        "Ratings sent by tablets and phones, by what became of them.",
                        ["channel", "outcome"])

request_log = logging.getLogger("kinerja.requests")
# An id the proxy gave the request (nginx's $request_id) is kept when it looks like one.
REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")
# The kiosk's submit is the busiest request by far: watched apart from the kiosk's pages.
OWN_GROUPS = {"kiosk.api_ratings": "kiosk_submit", "kiosk.phone_ratings": "kiosk_submit"}


def endpoint_group(endpoint: str | None) -> str:
    """A small fixed set of names for the metrics' labels: the face (blueprint) that answered."""
    if endpoint is None:
        return "unmatched"
    if endpoint in OWN_GROUPS:
        return OWN_GROUPS[endpoint]
    return endpoint.split(".", 1)[0] if "." in endpoint else endpoint


def count_kiosk_results(channel: str, results: Iterable[dict]) -> None:
    for result in results:
        KIOSK_RATINGS.labels(channel, result.get("status", "unknown")).inc()


def configure_logging(app: Flask, stream=None) -> None:
    """JSON lines on stderr for everything logged (the app's and the libraries'), when
    LOG_FORMAT is json (production's default): journald and log shippers read them as fields."""
    if app.config.get("LOG_FORMAT") != "json":
        return
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter("{asctime}{levelname}{name}{message}", style="{",
                                       rename_fields={"asctime": "time", "levelname": "level",
                                                      "name": "logger"}))
    root = logging.getLogger()
    root.handlers = [handler]
    root.setLevel(app.config.get("LOG_LEVEL", "INFO"))
    # Flask's own handler on the app's logger would print every error a second time, as text.
    app.logger.handlers.clear()


def _start_request():
    g.request_started = time.perf_counter()
    offered = request.headers.get("X-Request-ID", "")
    g.request_id = offered if REQUEST_ID.fullmatch(offered) else secrets.token_hex(8)


def _finish_request(response: Response) -> Response:
    started = g.pop("request_started", None)
    if started is None:  # a response made before before_request ran (a 413 from the server)
        return response
    seconds = time.perf_counter() - started
    group = endpoint_group(request.endpoint)
    REQUESTS.labels(group, request.method, str(response.status_code)).inc()
    DURATION.labels(group).observe(seconds)
    response.headers["X-Request-ID"] = g.request_id
    user_id = _loaded_user_id()
    request_log.info("request", extra={
        "request_id": g.request_id,
        "method": request.method,
        "route": request.url_rule.rule if request.url_rule else None,
        "endpoint": request.endpoint,
        "status": response.status_code,
        "duration_ms": round(seconds * 1000, 1),
        "user_id": user_id,
        "bytes": response.content_length,
    })
    return response


def _loaded_user_id() -> int | None:
    """The user's id only if the request loaded them anyway, read from the identity map's key:
    logging must cost no query (not even a refresh of an expired object, nor fail when the
    database is away)."""
    user = g.get("_login_user")
    state = sa.inspect(user, raiseerr=False) if user is not None else None
    return state.identity[0] if state is not None and state.identity else None


def _may_read_metrics() -> bool:
    """Prometheus scrapes from an allowed address (loopback by default) or with METRICS_TOKEN."""
    token = current_app.config.get("METRICS_TOKEN")
    offered = request.headers.get("Authorization", "")
    if token and secrets.compare_digest(offered.encode(), f"Bearer {token}".encode()):
        return True
    try:
        address = ipaddress.ip_address(request.remote_addr or "")
    except ValueError:
        return False
    return any(address in network for network in current_app.config["METRICS_ALLOW_FROM"])


def install(app: Flask, collectors: Iterable[Callable[[], object]] = ()) -> None:
    """`collectors` make the domain's gauges (kiosks not seen, jobs waiting) at scrape time;
    the composition root passes them in, since this shell knows no business area."""
    configure_logging(app)
    app.before_request(_start_request)
    app.after_request(_finish_request)
    domain_collectors = list(collectors)

    @app.get("/metrics")
    def metrics():
        if not _may_read_metrics():
            abort(404)  # not announced to whoever is not allowed to scrape
        registry = CollectorRegistry()
        for make in domain_collectors:
            registry.register(make())
        if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
            # Under gunicorn each worker writes its counters to files in that directory.
            multiprocess.MultiProcessCollector(registry)
            body = generate_latest(registry)
        else:
            body = generate_latest(REGISTRY) + generate_latest(registry)
        return Response(body, content_type=CONTENT_TYPE_LATEST,
                        headers={"Cache-Control": "no-store"})

    @app.get("/readyz")
    def readyz():
        # Ready to take traffic: the database answers at the migrated schema, Redis answers.
        checks = health.readiness(app)
        ready = all(check.ok for check in checks)
        return ({"status": "ready" if ready else "not ready",
                 "checks": {check.name: check.detail for check in checks}},
                200 if ready else 503, {"Cache-Control": "no-store"})
