"""The application factory."""

from flask import Flask, render_template
from flask_babel import format_date, format_decimal, get_locale, lazy_gettext
from flask_limiter.errors import RateLimitExceeded
from sqlalchemy.exc import DBAPIError, OperationalError
from werkzeug.exceptions import HTTPException
from werkzeug.middleware.proxy_fix import ProxyFix

from app.assets import init_assets
from app.countries import country_name
from app.database import engine_options
from app.extensions import babel, csrf, db, limiter, login_manager, migrate
from app.i18n import language_switch_url, remember_language, select_locale
from app.jobs import init_app as init_jobs
from app.logs import configure_logging
from app.organizer.auth import load_user
from app.security import (
    refuse_control_characters_in_urls,
    set_security_headers,
    warn_when_served_beyond_localhost,
)
from app.share import share_links
from config import get_config


def create_app(config_name: str | None = None, **overrides) -> Flask:
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_object(get_config(config_name))
    app.config.update(overrides)
    configure_logging(app)
    if app.config["PROXY_COUNT"]:
        # The client's address and scheme from the proxy; never the host:
        # links are built from PUBLIC_BASE_URL, so no header can change them.
        count = app.config["PROXY_COUNT"]
        # Flask's documented way to wrap the WSGI app; mypy reads it as a method.
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=count, x_proto=count
        )
    # First, before any extension reads the request.
    app.before_request(refuse_control_characters_in_urls)
    register_extensions(app)
    init_assets(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_commands(app)
    warn_when_served_beyond_localhost(app.logger)
    return app


def register_extensions(app: Flask) -> None:
    from app import schema  # noqa: F401  (every table in the metadata, for migrations)

    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = engine_options(
        app.config["SQLALCHEMY_DATABASE_URI"],
        app.config["SQLALCHEMY_ENGINE_OPTIONS"],
        pool_size=app.config["DATABASE_POOL_SIZE"],
    )
    db.init_app(app)
    init_jobs(app)
    migrate.init_app(app, db, directory=str(app.root_path + "/../migrations"))
    csrf.init_app(app)
    limiter.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    login_manager.init_app(app)
    login_manager.user_loader(load_user)
    login_manager.login_view = "organizer.login"
    login_manager.login_message = lazy_gettext("Please log in to see this page.")
    # No "strong" protection: it hashes the raw X-Forwarded-For and User-Agent
    # headers, which a client sets to whatever it likes. Sessions end on the
    # server instead: load_user checks the organizer's session version.
    login_manager.session_protection = None
    app.after_request(remember_language)
    app.after_request(set_security_headers)
    app.jinja_env.globals.update(
        get_locale=get_locale,
        format_date=format_date,
        format_decimal=format_decimal,
        country_name=country_name,
        language_switch_url=language_switch_url,
        share_links=share_links,
    )


def register_blueprints(app: Flask) -> None:
    from app.api.views import bp as api_bp
    from app.campaigns.views import bp as campaigns_bp
    from app.organizer.views import bp as organizer_bp
    from app.signatures.views import bp as signatures_bp

    app.register_blueprint(campaigns_bp)
    app.register_blueprint(signatures_bp)
    app.register_blueprint(api_bp)
    app.register_blueprint(organizer_bp)


def register_errorhandlers(app: Flask) -> None:
    def render_error(error):
        if isinstance(error, HTTPException) and error.response is not None:
            return error.response  # a view chose its own page
        code = getattr(error, "code", 500) or 500
        template = (
            f"errors/{code}.html" if code in (400, 403, 404, 405, 429, 503) else "errors/500.html"
        )
        response = app.make_response((render_template(template, code=code), code))
        if isinstance(error, RateLimitExceeded):
            # The limiter sends no headers of its own (RATELIMIT_HEADERS_ENABLED):
            # asking Redis for the window on every answer cost two round trips.
            # A fixed window ends within its length, so this is always enough.
            response.headers["Retry-After"] = str(error.limit.limit.get_expiry())
        return response

    for code in (400, 403, 404, 405, 429, 500, 503):
        app.register_error_handler(code, render_error)

    def database_unavailable(error):
        # The database refused or dropped the connection mid-request. Nothing
        # was half-written (the transaction never committed); end it, dropping
        # a dead connection rather than failing again when the request ends,
        # and tell the visitor to try again instead of showing a 500.
        try:
            db.session.rollback()
        except DBAPIError:
            db.session().invalidate()
        app.logger.error("Database unavailable (%s).", type(error.orig).__name__, exc_info=error)
        return render_template("errors/database_unavailable.html", code=503), 503

    app.register_error_handler(OperationalError, database_unavailable)


def register_commands(app: Flask) -> None:
    from app.facts.cli import facts_cli
    from app.jobs.cli import jobs_cli
    from app.letters.cli import letters_cli
    from app.organizer.cli import delivery_pack_command, export_cli, organizer_cli
    from app.outbox.cli import outbox_cli
    from app.seeding.cli import seed_command
    from app.signatures.cli import retention_cli, signatures_cli
    from app.signatures.counts_cli import counts_cli

    app.cli.add_command(seed_command)
    app.cli.add_command(facts_cli)
    app.cli.add_command(letters_cli)
    app.cli.add_command(outbox_cli)
    app.cli.add_command(jobs_cli)
    app.cli.add_command(retention_cli)
    app.cli.add_command(signatures_cli)
    app.cli.add_command(counts_cli)
    app.cli.add_command(organizer_cli)
    app.cli.add_command(export_cli)
    app.cli.add_command(delivery_pack_command)
