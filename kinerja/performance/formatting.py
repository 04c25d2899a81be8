"""Month names in the reader's language, as the realisation and progress pages write them."""
from babel.dates import get_month_names
from flask_babel import get_locale

from kinerja.performance.pace import MONTHS


def month_names() -> dict[int, str]:
    """1 -> "Januari" (or "January"), ... 12."""
    return dict(get_month_names("wide", locale=get_locale()))


def short_month_names() -> list[str]:
    """The twelve abbreviated names in order, without a trailing dot ("Jan", "Feb", ...)."""
    names = get_month_names("abbreviated", locale=get_locale())
    return [names[m].rstrip(".") for m in MONTHS]
