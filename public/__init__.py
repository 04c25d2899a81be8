"""The public face beside the kiosk: what a citizen may read without an account (published
satisfaction results, complaint follow-up figures, published awards). Nothing here is shown
before HR publishes it, and no page carries personal data."""
from flask import Blueprint

bp = Blueprint("public", __name__, url_prefix="/publik")

from public import awards, home, identity, ikm  # noqa: E402, F401 - the views register themselves on bp
