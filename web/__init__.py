"""The HTTP shell shared by the portal and the kiosk: sessions, locale, headers, errors."""
from flask import Flask, current_app, has_request_context, session
from werkzeug.middleware.proxy_fix import ProxyFix

from kinerja.extensions import login_manager
from web import compression, errors, observability, security
from web.rendering import register_template_helpers
from web.sessions import HttpsAwareSessionInterface


def select_locale() -> str:
    """Bahasa Indonesia unless the visitor chose English (the CLI speaks Indonesian too)."""
    chosen = session.get("lang") if has_request_context() else None
    if chosen in current_app.config["LANGUAGES"]:
        return chosen
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def install(app: Flask, metrics_collectors=()) -> None:
    if app.config["TRUST_PROXY_HEADERS"]:
        hops = app.config["TRUST_PROXY_HEADERS"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    app.session_interface = HttpsAwareSessionInterface()
    login_manager.login_view = "portal.login"
    login_manager.login_message = None
    login_manager.session_protection = "basic"
    security.install(app)
    compression.install(app)
    errors.install(app)
    register_template_helpers(app)
    observability.install(app, metrics_collectors)

    @app.get("/healthz")
    def healthz():
        # Liveness for the load balancer, and the benchmarks' "trivial page": no database.
        return {"status": "ok"}
