"""Rendering helpers: one template gives a full page or, for htmx, just one of its blocks."""
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from functools import lru_cache

from babel.numbers import parse_pattern
from flask import Flask, g, has_request_context, render_template, request
from flask_babel import get_locale, get_translations
from jinja2_fragments.flask import render_block
from markupsafe import Markup

from kinerja.core import calendar, dates, text
from kinerja.core.calendar import TimeZone
from kinerja.core.types import utcnow
from web import charts, documents


def is_htmx() -> bool:
    return request.headers.get("HX-Request") == "true" and not request.headers.get(
        "HX-History-Restore-Request"
    )


def render(template: str, block: str | None = None, **context):
    """The whole page, or only `block` when htmx asked for a fragment."""
    if block and is_htmx():
        return render_block(template, block, **context)
    return render_template(template, **context)


def remember_viewer_zone(zone: Callable[[], TimeZone | str | None]) -> None:
    """How to find the zone the reader's unit is in, for every time this request shows (the
    portal gives it for the logged-in user); asked once, when a page first shows a time."""
    g.viewer_zone_source = zone


def viewer_zone() -> TimeZone | str | None:
    if not has_request_context() or "viewer_zone_source" not in g:
        return None
    if "viewer_zone" not in g:
        g.viewer_zone = g.viewer_zone_source()
    return g.viewer_zone


def local_time(value: datetime | None, zone: TimeZone | str | None = None,
               style: str | None = None) -> str:
    """A stored (UTC) moment in the reader's zone: "6 Des 2026 10.14 WITA"; style "time" gives
    the time alone ("10.14 WITA"). `zone` is for a page with no reader (WIB without either).
    There is one style: any other style a template names reads the same."""
    return dates.format_moment(value, viewer_zone() or zone, with_day=style != "time")


def day(value, style: str = "medium") -> str:
    """A calendar day in one of kinerja.core.dates.DAY_STYLES ("6 Des 2026" by default); a
    stored moment is first taken to its day in the reader's zone."""
    if isinstance(value, datetime) and value.tzinfo is not None:
        value = calendar.local_date(value, viewer_zone())
    return dates.format_day(value, style)


def sentence(value):
    """A sentence ending in a name with an abbreviated title ("S.Sos.") ends with one stop."""
    if isinstance(value, Markup):
        # Already escaped; dropping a full stop adds no markup.
        return Markup(text.single_stop(str(value)))  # noqa: S704  # nosec B704
    return text.single_stop(value)


@lru_cache
def _number_pattern(digits: int):
    # Parsed once: a heatmap formats thousands of numbers per page.
    return parse_pattern("#,##0." + "#" * digits)


def number(value, digits: int = 2) -> str:
    """A number the reader's way: 1.250,5 in Indonesian, 1,250.5 in English; no trailing zeros."""
    if value is None:
        return "—"
    return _formatted(type(value), value, digits, get_locale())


@lru_cache(maxsize=4096)
def _formatted(kind: type, value, digits: int, locale) -> str:
    # A heatmap shows the same few hundred percentages thousands of times; babel's formatting
    # is most of its rendering. Keyed by type too: 1, 1.0 and True hash alike.
    return _number_pattern(digits).apply(Decimal(str(value)) if kind is float else value, locale)


def _gettext(message):
    """Templates' `_()`: flask-babel's, with each (language, text) looked up once per process.
    A list page asks for the same labels hundreds of times, and flask-babel finds the request's
    catalogue anew on every call (a fifth of the supervisor feed's time). Its catalogues never
    change in a running process, and get_locale() honours force_locale, so the key is exact."""
    if type(message) is not str:
        return get_translations().ugettext(message)
    return _translated(get_locale(), message)


@lru_cache(maxsize=8192)
def _translated(locale, message: str) -> str:
    return get_translations().ugettext(message)


def register_template_helpers(app: Flask) -> None:
    # Replaces the callables flask-babel's init_app installed (create_app binds Babel first):
    # `_()` cached as above, the plural and context forms as flask-babel has them.
    app.jinja_env.install_gettext_callables(
        gettext=_gettext,
        ngettext=lambda s, p, n: get_translations().ungettext(s, p, n),
        pgettext=lambda c, s: get_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: get_translations().unpgettext(c, s, p, n),
        newstyle=True)
    app.jinja_env.filters["local_time"] = local_time
    app.jinja_env.filters["day"] = day
    app.jinja_env.filters["clock"] = dates.format_clock
    app.jinja_env.filters["sentence"] = sentence
    app.jinja_env.filters["number"] = number
    app.jinja_env.filters["png_data_uri"] = documents.png_data_uri
    app.jinja_env.globals["is_htmx"] = is_htmx
    app.jinja_env.globals["get_locale"] = get_locale
    # Templates draw charts from the plain series a service gives them.
    app.jinja_env.globals["ikm_trend_chart"] = charts.ikm_trend
    app.jinja_env.globals["indicator_bar"] = charts.indicator_bar
    app.jinja_env.globals["monthly_progress_chart"] = charts.monthly_progress

    @app.context_processor
    def clock():
        return {"now_utc": utcnow()}
