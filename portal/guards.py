"""Small helpers views use to apply the access policy and load objects."""
from flask import abort
from flask_babel import gettext as _
from flask_login import current_user

from kinerja.extensions import db


def require(allowed: bool) -> None:
    if not allowed:
        abort(403, description=_("Anda tidak memiliki hak untuk membuka halaman ini."))


def get_or_404(model, object_id: int):
    found = db.session.get(model, object_id)
    if found is None:
        abort(404)
    return found


def acting_user():
    """The logged-in user as a plain model object, to hand to services."""
    return current_user._get_current_object()
