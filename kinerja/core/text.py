"""Free text as the services accept it: trimmed (or folded to one line), present when required,
within a length; and sentences built from names that read well."""
import re

from flask_babel import lazy_gettext as _l

from kinerja.core.errors import RuleViolation


def clean_long_text(text: str | None, field: str, limit: int, *, required: bool = False) -> str:
    """`text` without surrounding blanks (line breaks inside are kept); a RuleViolation on
    `field` when it is required and empty, or longer than `limit` characters."""
    text = (text or "").strip()
    if required and not text:
        raise RuleViolation(_l("Wajib diisi."), field=field)
    if len(text) > limit:
        raise RuleViolation(_l("Terlalu panjang (maks. %(n)s karakter).", n=limit), field=field)
    return text


def clean_line(text: str | None, field: str, limit: int = 500) -> str:
    """`text` on one line (runs of blanks and line breaks folded to one space), required and
    at most `limit` characters; a RuleViolation on `field` otherwise."""
    return clean_long_text(" ".join((text or "").split()), field, limit, required=True)


# Two stops, not three (an ellipsis stays), at the end or before a space.
_DOUBLE_STOP = re.compile(r"(?<!\.)\.\.(?=\s|$)")


def single_stop(text: str) -> str:
    """A sentence whose name ends with an abbreviated title ("Aisyah Setiawan, S.Sos.") followed
    by the message's own full stop ends with one stop, as people write it."""
    return _DOUBLE_STOP.sub(".", text)
