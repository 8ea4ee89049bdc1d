"""Configuration classes, chosen by one variable: APP_CONFIG.

Every setting that differs between machines comes from the environment;
nothing else in the code asks which environment it runs in.
"""

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = BASE_DIR / "instance"


def _env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


class Config:
    """Read when an app is created (get_config returns an instance), so the
    environment at that moment decides."""

    @property
    def SECRET_KEY(self) -> str | None:  # noqa: N802 (Flask reads upper-case names)
        return os.environ.get("SECRET_KEY")

    @property
    def SQLALCHEMY_DATABASE_URI(self) -> str:  # noqa: N802
        return os.environ.get("DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'petitions.sqlite3'}")

    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    SEEDS_DIR = Path(os.environ.get("SEEDS_DIR", BASE_DIR / "seeds"))
    LETTER_TEMPLATES_DIR = BASE_DIR / "letter_templates"

    # Cookies: not readable by scripts, not sent cross-site.
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _env_bool("SESSION_COOKIE_SECURE", False)

    WTF_CSRF_TIME_LIMIT = None

    # Failed organizer logins allowed per address before a 429.
    ORGANIZER_LOGIN_RATE_LIMIT = os.environ.get("ORGANIZER_LOGIN_RATE_LIMIT", "10 per 15 minutes")
    BABEL_DEFAULT_LOCALE = "en"
    BABEL_TRANSLATION_DIRECTORIES = str(BASE_DIR / "app" / "translations")
    LANGUAGES = ("en", "ko")

    # Signing. A duplicate signer is emailed at most DUPLICATE_NOTICE_LIMIT
    # times, so the form cannot be used to flood someone's inbox.
    SIGN_RATE_LIMIT = os.environ.get("SIGN_RATE_LIMIT", "20 per hour")
    HONEYPOT_ENABLED = _env_bool("HONEYPOT_ENABLED", True)
    DUPLICATE_NOTICE_LIMIT = _env_int("DUPLICATE_NOTICE_LIMIT", 3)
    SIGNATURE_LINK_DAYS = _env_int("SIGNATURE_LINK_DAYS", 30)
    # How long the thank-you page offers the letter from the browser's session.
    LETTER_DRAFT_MINUTES = _env_int("LETTER_DRAFT_MINUTES", 60)
    # Letter PDFs one visitor, and one letter, may have rendered.
    LETTER_RATE_LIMIT = os.environ.get("LETTER_RATE_LIMIT", "10 per minute")

    # Retention: signer details are erased this many days after a campaign
    # closes (counts by country and day stay); unconfirmed signatures go once
    # their links have expired.
    RETENTION_DAYS_AFTER_CLOSE = _env_int("RETENTION_DAYS_AFTER_CLOSE", 90)

    # Behind a reverse proxy, the number of proxies whose X-Forwarded-For to
    # trust; without it every visitor would share the proxy's address and
    # its rate limit.
    PROXY_COUNT = _env_int("PROXY_COUNT", 0)

    # Rate limits live in Redis when REDIS_URL is set, so every web process
    # shares them; in memory otherwise (one process: development and tests).
    RATELIMIT_ENABLED = _env_bool("RATELIMIT_ENABLED", True)
    RATELIMIT_HEADERS_ENABLED = True

    @property
    def RATELIMIT_STORAGE_URI(self) -> str:  # noqa: N802
        return os.environ.get("REDIS_URL", "memory://")

    # Mail leaves through the outbox. MAIL_BACKEND is `smtp` or `console`.
    MAIL_BACKEND = os.environ.get("MAIL_BACKEND", "smtp")
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "localhost")
    MAIL_PORT = _env_int("MAIL_PORT", 25)
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_USE_TLS = _env_bool("MAIL_USE_TLS", False)
    MAIL_TIMEOUT = _env_int("MAIL_TIMEOUT", 10)
    MAIL_SENDER = os.environ.get("MAIL_SENDER", "Petitions <no-reply@localhost>")
    OUTBOX_MAX_ATTEMPTS = _env_int("OUTBOX_MAX_ATTEMPTS", 8)
    # Send queued mail from a thread of the web process right after signing.
    # Production runs `flask outbox work` instead.
    OUTBOX_SEND_IN_BACKGROUND = _env_bool("OUTBOX_SEND_IN_BACKGROUND", False)


class DevelopmentConfig(Config):
    MAIL_BACKEND = os.environ.get("MAIL_BACKEND", "console")
    OUTBOX_SEND_IN_BACKGROUND = _env_bool("OUTBOX_SEND_IN_BACKGROUND", True)

    @property
    def SECRET_KEY(self) -> str:  # noqa: N802
        # A fixed key is fine on a developer's machine and nowhere else.
        return os.environ.get("SECRET_KEY", "development-only-not-secret")


class TestConfig(Config):
    TESTING = True
    SECRET_KEY = "test-only-not-secret"
    SQLALCHEMY_DATABASE_URI = "sqlite://"
    WTF_CSRF_ENABLED = False
    RATELIMIT_STORAGE_URI = "memory://"
    SIGN_RATE_LIMIT = "1000 per minute"
    MAIL_BACKEND = "console"
    OUTBOX_SEND_IN_BACKGROUND = False


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = _env_bool("SESSION_COOKIE_SECURE", True)

    def check(self) -> None:
        if not os.environ.get("SECRET_KEY"):
            raise RuntimeError("SECRET_KEY must be set when APP_CONFIG=production.")
        if not os.environ.get("DATABASE_URL"):
            raise RuntimeError("DATABASE_URL must be set when APP_CONFIG=production.")


CONFIGS = {
    "development": DevelopmentConfig,
    "test": TestConfig,
    "production": ProductionConfig,
}


def get_config(name: str | None = None) -> Config:
    """The config named by `name`, or by APP_CONFIG (default: development)."""
    name = name or os.environ.get("APP_CONFIG", "development")
    try:
        config = CONFIGS[name]()
    except KeyError:
        raise RuntimeError(
            f"Unknown APP_CONFIG {name!r}; choose one of {', '.join(CONFIGS)}."
        ) from None
    check = getattr(config, "check", None)
    if check:
        check()
    return config
