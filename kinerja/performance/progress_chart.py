"""Server-rendered SVG charts of progress: pure functions from plain numbers to an SVG string.

No database, no request, no inline style or script (the CSP allows neither): colours come from
class attributes styled in static/css/app.css. Every chart carries a <title> and an aria-label,
and the page shows the same numbers as text next to it.
"""
from collections.abc import Callable, Sequence
from decimal import Decimal
from xml.sax.saxutils import escape, quoteattr  # nosec B406 # output escaping, parses no XML

Number = int | float | Decimal

BAR_WIDTH, BAR_HEIGHT = 400, 44
CHART_WIDTH, CHART_HEIGHT = 600, 240
STATUS_CLASSES = {"on_track", "slightly_behind", "behind", "no_data"}


def plain(value: Number) -> str:
    """A number without trailing zeros ("12", "12.5"); callers pass a locale-aware one."""
    text = f"{Decimal(str(value)).quantize(Decimal('0.01')):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _n(value: float) -> str:
    # Coordinates: short and stable, never "1e-05".
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _svg(width: int, height: int, css_class: str, title: str, body: list[str]) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
            f'class={quoteattr(css_class)} role="img" aria-label={quoteattr(title)}>'
            f"<title>{escape(title)}</title>{''.join(body)}</svg>")


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
    return _svg(BAR_WIDTH, BAR_HEIGHT, "progress-bar", title, body)


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
    return _svg(CHART_WIDTH, CHART_HEIGHT, "monthly-chart", title, body)
