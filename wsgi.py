"""WSGI entry point: `gunicorn wsgi:app`, `flask --app wsgi ...`."""
from kinerja import create_app

app = create_app()
