"""The kiosk: the public face on counter tablets (pairing, rating screens, JSON submit)."""
from flask import Blueprint

bp = Blueprint("kiosk", __name__, url_prefix="/kiosk")

from kiosk import api, phone, screens  # noqa: E402, F401 - the views register themselves on bp
