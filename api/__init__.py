"""The JSON API, version 1: read-only data for other government systems, authenticated by an
API token (Authorization: Bearer ...) with scopes, never by a session.

Errors are problem+json (web/errors.py renders every error under /api/ that way). Each view
declares its query and response as marshmallow schemas and documents itself in an apispec
YAML docstring; api/openapi.py generates the OpenAPI document from those at /api/v1/openapi.json.
"""
import functools

from flask import Blueprint, abort, current_app, g, request
from flask_babel import gettext as _

from kinerja.extensions import limiter
from kinerja.integration import api_tokens
from web.errors import render_error

bp = Blueprint("api", __name__, url_prefix="/api/v1")


def _bearer_token() -> str | None:
    scheme, _sep, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def token_key() -> str:
    """Rate limits are per token (per address for calls without one)."""
    token = _bearer_token()
    return "api-token:" + token[:24] if token else "api-ip:" + (request.remote_addr or "")


def requires_scope(scope: str | None):
    """The view needs a live token with `scope` (None: any live token): 401 without one, 403
    without the scope."""
    def decorate(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            token = api_tokens.authenticate(_bearer_token())
            if token is None:
                response = render_error(401, _("Token API tidak ada, salah, kedaluwarsa, atau "
                                               "sudah dicabut."))
                response.headers["WWW-Authenticate"] = 'Bearer realm="api", error="invalid_token"'
                abort(response)
            g.api_token = token
            if scope is not None and not api_tokens.has_scope(token, scope):
                response = render_error(403, _("Token ini tidak mempunyai cakupan %(scope)s.",
                                               scope=scope))
                response.headers["WWW-Authenticate"] = (
                    f'Bearer realm="api", error="insufficient_scope", scope="{scope}"')
                abort(response)
            return view(*args, **kwargs)
        return wrapper
    return decorate


@bp.after_request
def log_call(response):
    """Every call made with a token is recorded under the token's id (401s have none)."""
    token = g.pop("api_token", None)
    if token is not None:
        try:
            api_tokens.record_call(token, method=request.method, path=request.full_path.rstrip("?"),
                                   status=response.status_code, ip_address=request.remote_addr)
        except Exception:  # a failed log line must not turn an answer into an error
            current_app.logger.exception("could not record API call of token %s", token.id)
    return response


limiter.limit(lambda: current_app.config.get("API_LIMIT_PER_TOKEN", "600 per minute"),
              key_func=token_key)(bp)

# The views register themselves on bp (openapi.py: the document and the docs page).
from api import awards, complaints, evaluations, ikm, openapi, organisation, skp, tpp  # noqa: E402, F401
