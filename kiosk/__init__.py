"""The kiosk: the public face on counter tablets (pairing, rating screens, JSON submit)."""
from flask import Blueprint

bp = Blueprint("kiosk", __name__, url_prefix="/kiosk")
