"""The application factory."""

from flask import Flask, render_template
from flask_babel import format_date, format_decimal, get_locale, lazy_gettext

from app.extensions import babel, csrf, db, limiter, login_manager, migrate
from app.i18n import remember_language, select_locale
from app.organizer.auth import load_user
from app.security import set_security_headers
from config import get_config


def create_app(config_name: str | None = None, **overrides) -> Flask:
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_object(get_config(config_name))
    app.config.update(overrides)
    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_commands(app)
    return app


def register_extensions(app: Flask) -> None:
    from app import schema  # noqa: F401  (every table in the metadata, for migrations)

    db.init_app(app)
    migrate.init_app(app, db, directory=str(app.root_path + "/../migrations"))
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.user_loader(load_user)
    login_manager.login_view = "organizer.login"
    login_manager.login_message = lazy_gettext("Please log in to see this page.")
    # A session cookie replayed from another address or browser is dropped.
    login_manager.session_protection = "strong"
    app.after_request(remember_language)
    app.after_request(set_security_headers)
    app.jinja_env.globals.update(
        get_locale=get_locale, format_date=format_date, format_decimal=format_decimal
    )


def register_blueprints(app: Flask) -> None:
    from app.campaigns.views import bp as campaigns_bp
    from app.organizer.views import bp as organizer_bp

    app.register_blueprint(campaigns_bp)
    app.register_blueprint(organizer_bp)


def register_errorhandlers(app: Flask) -> None:
    def render_error(error):
        code = getattr(error, "code", 500) or 500
        template = f"errors/{code}.html" if code in (400, 403, 404, 405, 429) else "errors/500.html"
        return render_template(template, code=code), code

    for code in (400, 403, 404, 405, 429, 500):
        app.register_error_handler(code, render_error)


def register_commands(app: Flask) -> None:
    from app.facts.cli import facts_cli
    from app.organizer.cli import delivery_pack_command, export_cli, organizer_cli
    from app.seeding.cli import seed_command

    app.cli.add_command(seed_command)
    app.cli.add_command(facts_cli)
    app.cli.add_command(organizer_cli)
    app.cli.add_command(export_cli)
    app.cli.add_command(delivery_pack_command)
