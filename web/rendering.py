"""Rendering helpers: one template gives a full page or, for htmx, just one of its blocks."""
from datetime import datetime
from decimal import Decimal
from functools import lru_cache

from babel.dates import format_datetime
from babel.numbers import parse_pattern
from flask import Flask, render_template, request
from flask_babel import get_locale
from jinja2_fragments.flask import render_block

from kinerja.core import calendar
from kinerja.core.calendar import TimeZone
from kinerja.core.types import utcnow
from web import charts


def is_htmx() -> bool:
    return request.headers.get("HX-Request") == "true" and not request.headers.get(
        "HX-History-Restore-Request"
    )


def render(template: str, block: str | None = None, **context):
    """The whole page, or only `block` when htmx asked for a fragment."""
    if block and is_htmx():
        return render_block(template, block, **context)
    return render_template(template, **context)


def local_time(value: datetime | None, zone: TimeZone | str | None = None,
               fmt: str = "medium") -> str:
    """A UTC datetime shown in the unit's zone (WIB by default), with the zone's name."""
    if value is None:
        return ""
    zone = TimeZone(zone) if zone else TimeZone.WIB
    shown = format_datetime(value, fmt, tzinfo=calendar.zone_info(zone), locale=get_locale())
    return f"{shown} {zone.value}"


@lru_cache
def _number_pattern(digits: int):
    # Parsed once: a heatmap formats thousands of numbers per page.
    return parse_pattern("#,##0." + "#" * digits)


def number(value, digits: int = 2) -> str:
    """A number the reader's way: 1.250,5 in Indonesian, 1,250.5 in English; no trailing zeros."""
    if value is None:
        return "—"
    return _number_pattern(digits).apply(Decimal(str(value)) if isinstance(value, float)
                                         else value, get_locale())


def register_template_helpers(app: Flask) -> None:
    app.jinja_env.filters["local_time"] = local_time
    app.jinja_env.filters["number"] = number
    app.jinja_env.globals["is_htmx"] = is_htmx
    app.jinja_env.globals["get_locale"] = get_locale
    # Templates draw charts from the plain series a service gives them.
    app.jinja_env.globals["ikm_trend_chart"] = charts.ikm_trend
    app.jinja_env.globals["indicator_bar"] = charts.indicator_bar
    app.jinja_env.globals["monthly_progress_chart"] = charts.monthly_progress

    @app.context_processor
    def clock():
        return {"now_utc": utcnow()}
