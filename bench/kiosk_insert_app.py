"""The floor under the kiosk submit: a bare WSGI app (no Flask, no auth, no rate limit) that
reads the same JSON body, takes the one rating's client_id and stores it with one idempotent
INSERT ... ON CONFLICT DO NOTHING, committed (autocommit: one transaction per request, as the
app commits once per batch). Used only by bench/kiosk.py, under the same gunicorn settings as the
app:

    DATABASE_URL=postgresql://...?options=-csearch_path%3Dbench_x gunicorn bench.kiosk_insert_app:app

The table (kiosk_insert_baseline) is created by the benchmark in its private schema.
"""
from __future__ import annotations

import json
import os
import threading
import uuid
from datetime import datetime

import psycopg

TABLE = "kiosk_insert_baseline"
CREATE = (f"CREATE TABLE IF NOT EXISTS {TABLE} (client_id uuid PRIMARY KEY, "
          "taken_at timestamptz NOT NULL, score smallint NOT NULL, "
          "received_at timestamptz NOT NULL DEFAULT now())")
INSERT = (f"INSERT INTO {TABLE} (client_id, taken_at, score) VALUES (%s, %s, %s) "  # noqa: S608
          "ON CONFLICT DO NOTHING RETURNING 1")

_local = threading.local()  # one connection per worker thread (sync worker: one per process)


def _connection() -> psycopg.Connection:
    connection = getattr(_local, "connection", None)
    if connection is None or connection.closed:
        url = os.environ["DATABASE_URL"].replace("postgresql+psycopg://", "postgresql://", 1)
        connection = _local.connection = psycopg.connect(url, autocommit=True)
    return connection


def _answer(start_response, status: str, payload: dict):
    body = json.dumps(payload, separators=(",", ":")).encode()
    start_response(status, [("Content-Type", "application/json"),
                            ("Content-Length", str(len(body)))])
    return [body]


def app(environ, start_response):
    if environ.get("PATH_INFO") == "/healthz":
        return _answer(start_response, "200 OK", {"status": "ok"})
    if environ.get("REQUEST_METHOD") != "POST":
        return _answer(start_response, "405 Method Not Allowed", {"error": "POST only"})
    length = int(environ.get("CONTENT_LENGTH") or 0)
    try:
        item = json.loads(environ["wsgi.input"].read(length))["ratings"][0]
        client_id = uuid.UUID(item["client_id"])
        taken_at = datetime.fromisoformat(item["taken_at"])
        score = int(item["score"])
    except (ValueError, KeyError, IndexError, TypeError):
        return _answer(start_response, "400 Bad Request", {"error": "bad body"})
    stored = _connection().execute(INSERT, (client_id, taken_at, score)).fetchone()
    status = "accepted" if stored else "duplicate"
    return _answer(start_response, "200 OK",
                   {"results": [{"client_id": str(client_id), "status": status}]})
