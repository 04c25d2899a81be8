"""Kinerja: ASN performance management and the citizen feedback kiosk.

create_app is the composition root: the one place that wires the domain (this package) to
the HTTP faces (`web`, `portal`, `kiosk`). Models and services never import those.
"""
from flask import Flask

from kinerja import config as configuration
from kinerja import database
from kinerja.extensions import babel, compress, csrf, db, limiter, login_manager, migrate


def create_app(overrides: dict | None = None) -> Flask:
    settings = configuration.load(overrides)
    app = Flask(
        __name__,
        instance_path=settings["INSTANCE_PATH"],
        template_folder=str(configuration.PROJECT_ROOT / "templates"),
        static_folder=str(configuration.PROJECT_ROOT / "static"),
    )
    app.config.from_mapping(settings)

    db.init_app(app)
    with app.app_context():
        database.ping_after_idle(db.engine, app.config["DATABASE_PING_AFTER_IDLE_SECONDS"])
    migrate.init_app(app, db, directory=str(configuration.PROJECT_ROOT / "migrations"))
    login_manager.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    compress.init_app(app)

    import web  # noqa: PLC0415 - the HTTP shell, wired here and only here
    from api import bp as api_bp  # noqa: PLC0415
    from kinerja import cli, monitoring, schema  # noqa: F401, PLC0415
    from kinerja.appraisal import bulk_print, reminders  # noqa: F401, PLC0415 - job kinds, daily work
    from kinerja.core import queue  # noqa: PLC0415
    from kinerja.feedback import ikm_export  # noqa: F401, PLC0415 - a job kind
    from kinerja.integration import siasn_outbox  # noqa: F401, PLC0415 - a job kind, frequent work
    from kinerja.organisation import (
        accounts,  # noqa: PLC0415
        import_jobs,  # noqa: F401, PLC0415 - a job kind
    )
    from kiosk import bp as kiosk_bp  # noqa: PLC0415
    from portal import bp as portal_bp  # noqa: PLC0415
    from public import bp as public_bp  # noqa: PLC0415

    babel.init_app(app, locale_selector=web.select_locale)
    login_manager.user_loader(accounts.load_session_user)
    web.install(app, metrics_collectors=[monitoring.DomainCollector])
    app.register_blueprint(portal_bp)
    app.register_blueprint(kiosk_bp)
    app.register_blueprint(api_bp)
    app.register_blueprint(public_bp)
    cli.register(app)
    queue.init_app(app)
    return app
