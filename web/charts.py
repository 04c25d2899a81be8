"""Server-rendered SVG charts from plain numbers: the IKM trend per month, the NRR per element,
an indicator's progress bar and the year's progress month by month.

No style attribute or script (the CSP allows neither): every shape has classes styled in
static/css/app.css, plus SVG presentation attributes (LOOK) as defaults for renderers without
the page's CSS (WeasyPrint, in the PDFs). Every chart has a <title> and an aria-label, and the
page shows the same numbers as text next to it.
"""
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from decimal import Decimal
from typing import Protocol
from xml.sax.saxutils import escape, quoteattr  # nosec B406 # output escaping, parses no XML

from flask_babel import format_date, format_decimal
from flask_babel import lazy_gettext as _l

from kinerja.core.numbers import format_amount

# Presentation attributes per class: the charts' look where app.css does not reach (the PDF).
LOOK = {
    "ikm-grid": 'stroke="#d1d5db" stroke-width="1"',
    "ikm-band": 'stroke="#9ca3af" stroke-width="1" stroke-dasharray="2 4"',
    "ikm-axis": 'fill="#374151" font-size="12" font-family="sans-serif"',
    "ikm-band-label": 'fill="#374151" font-size="12" font-family="sans-serif"',
    "ikm-legend": 'fill="#111827" font-size="12" font-family="sans-serif"',
    "ikm-line": 'fill="none" stroke-width="2.5"',
    "ikm-line-ikm": 'stroke="#0b5394"',
    "ikm-line-tap": 'stroke="#b26a00" stroke-dasharray="7 4"',
    "ikm-point-ikm": 'fill="#0b5394"',
    "ikm-point-tap": 'fill="#ffffff" stroke="#b26a00" stroke-width="2"',
    "nrr-label": 'fill="#111827" font-size="17" font-family="sans-serif"',
    "nrr-value": 'fill="#111827" font-size="17" font-family="sans-serif" font-weight="bold"',
    "nrr-axis": 'fill="#374151" font-size="15" font-family="sans-serif"',
    "nrr-track": 'fill="#e5e7eb"',
    "nrr-bar": 'fill="#0b5394"',
    "nrr-bar-weak": 'fill="#9a3412"',
    "nrr-tick": 'stroke="#6b7280" stroke-width="1" stroke-dasharray="2 3"',
}


def _n(value: float) -> str:
    # Coordinates: short and stable, never "1e-05".
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _a(*classes: str) -> str:
    """The class attribute, followed by the classes' presentation attributes."""
    looks = " ".join(LOOK[c] for c in classes if c in LOOK)
    return f'class="{" ".join(classes)}"' + (f" {looks}" if looks else "")


def _fmt(value: Decimal | None, places: int = 2) -> str:
    return format_decimal(value, "#,##0." + "0" * places) if value is not None else "—"


def _svg(width: float, height: float, attributes: str, title: str, body: list[str]) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
            f'{attributes} role="img" aria-label={quoteattr(title)}>'
            f"<title>{escape(title)}</title>{''.join(body)}</svg>")


# ---------------------------------------------------------------- the IKM trend per month


TREND_WIDTH, TREND_HEIGHT = 720, 280
# Lower bounds of mutu C, B and A on the 1-4 scale (DOMAIN.md), drawn as reference lines.
MUTU_LINES = ((Decimal("2.60"), "C"), (Decimal("3.0644"), "B"), (Decimal("3.5324"), "A"))


def ikm_trend(months: Sequence[date], survey: Sequence[Decimal | None],
              one_tap: Sequence[Decimal | None]) -> str:
    """IKM (1-4, full surveys) and the one-tap index (1-4) per month, as an SVG line chart:
    `survey` and `one_tap` hold a value (or None) for each of `months`. Lines differ by dash and
    marker, not only by colour; each point has a <title> with its month and value; a line breaks
    where a month has no value."""
    title = str(_l("Tren IKM dan indeks satu sentuhan per bulan"))
    left, right, top, bottom = 44.0, TREND_WIDTH - 30.0, 58.0, TREND_HEIGHT - 30.0
    slot = (right - left) / max(len(months), 1)

    def x(i: int) -> float:
        return left + slot * i + slot / 2

    def y(value: Decimal) -> float:
        return bottom - (bottom - top) * (float(value) - 1) / 3

    body = []
    for tick in (1, 2, 3, 4):
        body.append(f'<line {_a("ikm-grid")} x1="{_n(left)}" y1="{_n(y(Decimal(tick)))}" '
                    f'x2="{_n(right)}" y2="{_n(y(Decimal(tick)))}"/>')
        body.append(f'<text {_a("ikm-axis")} x="{_n(left - 6)}" y="{_n(y(Decimal(tick)) + 4)}" '
                    f'text-anchor="end">{tick}</text>')
    for bound, mutu in MUTU_LINES:
        body.append(f'<line {_a("ikm-band")} x1="{_n(left)}" y1="{_n(y(bound))}" x2="{_n(right)}" '
                    f'y2="{_n(y(bound))}"/><text {_a("ikm-band-label")} x="{_n(right + 4)}" '
                    f'y="{_n(y(bound) + 4)}">{mutu}</text>')
    step = max(1, -(-len(months) // 12))  # at most about twelve month labels
    for i, month in enumerate(months):
        if i % step == 0:
            # Every other label is "minor": a phone hides those (see app.css).
            minor = ("ikm-axis-minor",) if (i // step) % 2 else ()
            body.append(f'<text {_a("ikm-axis", *minor)} x="{_n(x(i))}" y="{_n(bottom + 18)}" '
                        f'text-anchor="middle">{escape(format_date(month, "MMM yy"))}</text>')
    series = (("ikm", str(_l("IKM (survei lengkap)")), survey),
              ("tap", str(_l("Indeks satu sentuhan")), one_tap))
    for key, name, values in series:
        segments, current = [], []
        for i, value in enumerate(values):
            if value is None:
                if current:
                    segments.append(current)
                current = []
                continue
            current.append((i, value))
        if current:
            segments.append(current)
        for segment in segments:
            points = " ".join(f"{_n(x(i))},{_n(y(v))}" for i, v in segment)
            body.append(f'<polyline {_a("ikm-line", f"ikm-line-{key}")} points="{points}"/>')
            for i, value in segment:
                label = f"{format_date(months[i], 'MMMM y')}: {name} {_fmt(value)}"
                shape = (f'<circle {_a("ikm-point", f"ikm-point-{key}")} cx="{_n(x(i))}" '
                         f'cy="{_n(y(value))}" r="4">' if key == "ikm" else
                         f'<rect {_a("ikm-point", f"ikm-point-{key}")} x="{_n(x(i) - 4)}" '
                         f'y="{_n(y(value) - 4)}" width="8" height="8">')
                closing = "</circle>" if key == "ikm" else "</rect>"
                body.append(f"{shape}<title>{escape(label)}</title>{closing}")
    # Legend, top left, one line each: the line style and the marker, with its name.
    for n, (key, name, _) in enumerate(series):
        lx, ly = left, 12 + 22 * n
        body.append(f'<line {_a("ikm-line", f"ikm-line-{key}")} x1="{_n(lx)}" y1="{ly}" '
                    f'x2="{_n(lx + 28)}" y2="{ly}"/>')
        marker = (f'<circle {_a("ikm-point", f"ikm-point-{key}")} cx="{_n(lx + 14)}" cy="{ly}" r="4"/>'
                  if key == "ikm" else
                  f'<rect {_a("ikm-point", f"ikm-point-{key}")} x="{_n(lx + 10)}" y="{ly - 4}" '
                  f'width="8" height="8"/>')
        body.append(marker)
        body.append(f'<text {_a("ikm-legend")} x="{_n(lx + 36)}" y="{ly + 4}">{escape(name)}</text>')
    return _svg(TREND_WIDTH, TREND_HEIGHT, _a("ikm-trend"), title, body)


# ---------------------------------------------------------------- the NRR per element


NRR_BAR_WIDTH, NRR_ROW_HEIGHT, NRR_TOP, NRR_AXIS = 340, 52, 4, 24


class NrrBar(Protocol):
    """One element's line of the chart (kinerja.feedback.ikm_figures.NrrRow is one)."""
    element: str             # U1 ... U9
    name: str
    nrr: Decimal | None      # 1-4; None: no answer
    weakest: bool


def nrr_chart(rows: Iterable[NrrBar]) -> str:
    """The NRR (1-4) of each of the nine elements as horizontal bars, the weakest drawn in a
    second colour and marked in words (not by colour alone). Labels sit above their bar so the
    chart stays readable when a phone scales it down."""
    rows = list(rows)
    title = str(_l("Nilai rata-rata (NRR) per unsur pelayanan, skala 1 sampai 4"))
    bottom = NRR_TOP + NRR_ROW_HEIGHT * len(rows)
    body = []
    for tick in (1, 2, 3, 4):
        x = NRR_BAR_WIDTH * (tick - 1) / 3
        if tick in (2, 3):
            body.append(f'<line {_a("nrr-tick")} x1="{x:.1f}" y1="{NRR_TOP}" x2="{x:.1f}" '
                        f'y2="{bottom}"/>')
        anchor = "start" if tick == 1 else "end" if tick == 4 else "middle"
        body.append(f'<text {_a("nrr-axis")} x="{x:.1f}" y="{bottom + 18}" '
                    f'text-anchor="{anchor}">{tick}</text>')
    for i, row in enumerate(rows):
        y = NRR_TOP + NRR_ROW_HEIGHT * i
        value = row.nrr
        weak = f" ({_l('terendah')})" if row.weakest else ""
        body.append(f'<text {_a("nrr-label")} x="0" y="{y + 17}">'
                    f"{escape(row.element)} {escape(row.name)}{escape(weak)}</text>")
        body.append(f'<rect {_a("nrr-track")} x="0" y="{y + 24}" width="{NRR_BAR_WIDTH}" '
                    f'height="18" rx="3"/>')
        if value is not None:
            width = max(2.0, NRR_BAR_WIDTH * (float(value) - 1) / 3)
            bar = "nrr-bar-weak" if row.weakest else "nrr-bar"
            body.append(f'<rect {_a(bar)} x="0" y="{y + 24}" width="{width:.1f}" '
                        f'height="18" rx="3"><title>{escape(row.name)}: {_fmt(value)}</title></rect>')
        body.append(f'<text {_a("nrr-value")} x="{NRR_BAR_WIDTH + 6}" y="{y + 39}">'
                    f"{_fmt(value)}</text>")
    return _svg(NRR_BAR_WIDTH + 52, bottom + NRR_AXIS, f'width="100%" {_a("nrr-chart")}', title, body)


# ---------------------------------------------------------------- progress against target


Number = int | float | Decimal
BAR_WIDTH, BAR_HEIGHT = 400, 44
CHART_WIDTH, CHART_HEIGHT = 600, 240
STATUS_CLASSES = {"ahead", "on_track", "slightly_behind", "behind", "no_data"}


def plain(value: Number) -> str:
    """A number without trailing zeros ("12", "12.5"); the pages pass a locale-aware one."""
    text = f"{Decimal(str(value)).quantize(Decimal('0.01')):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _status_class(status: str) -> str:
    return status if status in STATUS_CLASSES else "no_data"


def progress_bar(realised: Number | None, target: Number, expected: Number | None, *, title: str,
                 status: str = "no_data", fmt: Callable[[Number], str] = plain) -> str:
    """A horizontal bar: realisation against the target, a marker where the pace says it should
    be today. Over-achievement stretches the scale so the target tick stays visible."""
    target = float(target)
    value = float(realised) if realised is not None else 0.0
    pace = float(expected) if expected is not None else None
    scale = max(target, value, pace or 0.0) or 1.0
    left, right, top, bar_h = 4.0, BAR_WIDTH - 4.0, 6.0, 16.0
    span = right - left

    def x(amount: float) -> float:
        return left + span * amount / scale

    body = [f'<rect class="bar-track" x="{_n(left)}" y="{_n(top)}" width="{_n(span)}" '
            f'height="{_n(bar_h)}" rx="3"/>']
    if value > 0:
        body.append(f'<rect class="bar-fill bar-{_status_class(status)}" x="{_n(left)}" '
                    f'y="{_n(top)}" width="{_n(x(value) - left)}" height="{_n(bar_h)}" rx="3"/>')
    tx = x(target)
    body.append(f'<line class="bar-target" x1="{_n(tx)}" y1="{_n(top - 4)}" x2="{_n(tx)}" '
                f'y2="{_n(top + bar_h + 4)}"/>')
    if pace is not None:
        px = x(pace)
        body.append(f'<line class="bar-pace" x1="{_n(px)}" y1="{_n(top - 5)}" x2="{_n(px)}" '
                    f'y2="{_n(top + bar_h + 5)}"/>')
        body.append(f'<path class="bar-pace-mark" d="M{_n(px - 5)} {_n(top - 6)}h10l-5 6z"/>')
    label_y = top + bar_h + 16
    body.append(f'<text class="bar-label" x="{_n(left)}" y="{_n(label_y)}">0</text>')
    anchor = "end" if tx > right - 30 else "middle"
    body.append(f'<text class="bar-label" x="{_n(tx)}" y="{_n(label_y)}" '
                f'text-anchor="{anchor}">{escape(fmt(Decimal(str(target))))}</text>')
    return _svg(BAR_WIDTH, BAR_HEIGHT, f"class={quoteattr('progress-bar')}", title, body)


def monthly_chart(values: Sequence[Number | None], expected: Sequence[Number | None], *,
                  labels: Sequence[str], title: str, statuses: Sequence[str] | None = None,
                  fmt: Callable[[Number], str] = plain, suffix: str = "%") -> str:
    """Twelve bars (one per month, None for a month not reached yet) with the expected pace as
    a line; the value is written above each bar."""
    count = len(labels)
    if len(values) != count or len(expected) != count:
        raise ValueError("values, expected and labels must have the same length")
    statuses = list(statuses) if statuses is not None else ["no_data"] * count
    known = [float(v) for v in list(values) + list(expected) if v is not None]
    top_value = max([100.0] + known)
    ceiling = 25.0 * -(-top_value // 25.0)  # the next multiple of 25 at or above the top
    left, right, top, bottom = 50.0, CHART_WIDTH - 8.0, 18.0, CHART_HEIGHT - 24.0
    height, slot = bottom - top, (right - left) / max(count, 1)

    def y(amount: float) -> float:
        return bottom - height * amount / ceiling

    body = []
    for tick in range(0, int(ceiling) + 1, 25 if ceiling <= 200 else 50):
        ty = y(tick)
        body.append(f'<line class="chart-grid" x1="{_n(left)}" y1="{_n(ty)}" x2="{_n(right)}" '
                    f'y2="{_n(ty)}"/>')
        body.append(f'<text class="chart-axis" x="{_n(left - 4)}" y="{_n(ty + 4)}" '
                    f'text-anchor="end">{tick}{escape(suffix)}</text>')
    bar_w = slot * 0.6
    numbers = []  # written last, over the pace line
    for i, (value, label) in enumerate(zip(values, labels, strict=True)):
        cx = left + slot * i + slot / 2
        if value is not None:
            amount = max(float(value), 0.0)
            by = y(amount)
            body.append(f'<rect class="chart-bar bar-{_status_class(statuses[i])}" '
                        f'x="{_n(cx - bar_w / 2)}" y="{_n(by)}" width="{_n(bar_w)}" '
                        f'height="{_n(bottom - by)}"/>')
            numbers.append(f'<text class="chart-value" x="{_n(cx)}" y="{_n(by - 4)}" '
                        f'text-anchor="middle">{escape(fmt(Decimal(str(value))))}</text>')
        body.append(f'<text class="chart-axis" x="{_n(cx)}" y="{_n(bottom + 16)}" '
                    f'text-anchor="middle">{escape(label)}</text>')
    points = [f"{_n(left + slot * i + slot / 2)},{_n(y(float(e)))}"
              for i, e in enumerate(expected) if e is not None]
    if points:
        body.append(f'<polyline class="chart-pace" points="{" ".join(points)}"/>')
    body.append(f'<line class="chart-baseline" x1="{_n(left)}" y1="{_n(bottom)}" x2="{_n(right)}" '
                f'y2="{_n(bottom)}"/>')
    body.extend(numbers)
    return _svg(CHART_WIDTH, CHART_HEIGHT, f"class={quoteattr('monthly-chart')}", title, body)


class MonthPoint(Protocol):
    """One month of the progress chart (kinerja.performance.progress.MonthlyPoint is one)."""
    label: str
    percent_of_target: Decimal | None
    expected_percent: Decimal | None
    status: str


def indicator_bar(pace, title: str) -> str:
    """An indicator's bar from its pace (realised, target, expected, status), amounts written
    the reader's way."""
    return progress_bar(pace.realised, pace.target, pace.expected, title=title,
                        status=str(pace.status), fmt=format_amount)


def monthly_progress(points: Sequence[MonthPoint], title: str) -> str:
    """The year month by month: cumulative realisation against the expected pace."""
    return monthly_chart([p.percent_of_target for p in points], [p.expected_percent for p in points],
                         labels=[p.label for p in points], statuses=[str(p.status) for p in points],
                         fmt=format_amount, title=title)
