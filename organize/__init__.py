"""organize: rights, anonymous employer reviews and action alerts over web, SMS and voice."""

from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the application: config, extensions, blueprints, commands."""
    from organize import cli
    from organize.alerts import stops
    from organize.config import build_config
    from organize.extensions import babel, csrf, db, limiter, login_manager, migrate, rq
    from organize.outbound import worker
    from organize.plumbing import i18n, liveness, logscrub, security

    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(build_config(app.instance_path, test_config))
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)

    # Under load, texts are kept for later before Flask sees them (sms/shortcut.py); inside
    # ProxyFix, so that it sees the request as the app does.
    from sms.shortcut import Shortcut

    app.wsgi_app = Shortcut(app, app.wsgi_app)  # type: ignore[method-assign]
    if proxies := int(app.config["TRUSTED_PROXIES"]):
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies, x_port=proxies
        )

    db.init_app(app)
    with app.app_context():  # pinged when idle, not at every checkout (issue 12)
        for engine in db.engines.values():
            liveness.install(engine)
    migrate.init_app(app, db, directory=str(MIGRATIONS_DIR), render_as_batch=True)
    babel.init_app(
        app,
        locale_selector=i18n.select_locale,
        default_translation_directories=str(i18n.TRANSLATIONS_DIR),
    )
    i18n.check_catalogs(app)
    # Flask-Babel caches the locale on the app context, which a test (or a CLI command that
    # makes several requests) may share between requests: choose afresh for each request.
    app.before_request(i18n.forget_cached_locale)
    csrf.init_app(app)
    limiter.init_app(app)
    rq.init_app(app)
    worker.install(app)  # `flask rq worker` forks work-horses from this app
    stops.install()  # commits that stop a subscriber or cancel an alert tell sending batches
    login_manager.init_app(app)
    login_manager.login_view = "organizer.login"
    login_manager.session_protection = "strong"

    _register_blueprints(app)
    security.init_security(app)
    cli.register(app)
    logscrub.install(strip_queries=app.config["ENV_NAME"] == "production")
    return app


def _register_blueprints(app: Flask) -> None:
    """Blueprints are imported here, so importing the package stays cheap and side-effect free."""
    import ivr
    import ivr.hours
    import sms
    import sms.keywords
    from organize import ops
    from organize.extensions import csrf
    from organize.web import (  # noqa: F401  (console_*: their routes join organizer.bp)
        console_alerts,
        console_campaign,
        console_contacts,
        console_employers,
        console_inbox,
        console_notices,
        console_panel,
        console_resources,
        console_rights,
        errors,
        governance,
        organizer,
        public,
        second_factor,
        simulator,
        templating,
    )

    templating.init_templating(app)
    app.add_template_filter(console_alerts.chart_bars)
    errors.init_errors(app)
    app.register_blueprint(public.bp)
    app.register_blueprint(organizer.bp)
    app.register_blueprint(governance.bp)
    app.register_blueprint(simulator.bp)
    # Twilio cannot send a CSRF token; these blueprints check its signature instead.
    csrf.exempt(sms.bp)
    csrf.exempt(ivr.bp)
    app.register_blueprint(sms.bp)
    app.register_blueprint(ivr.bp)
    ops.install(  # health, metrics, Sentry, retention, `flask doctor`, `flask keys`
        app,
        classify=sms.keywords.match,
        intents=sms.keywords.KEYWORDS,
        parse_hours=ivr.hours.parse,
    )
