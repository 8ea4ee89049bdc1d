"""Configuration classes, chosen by one variable: APP_CONFIG.

Every setting that differs between machines comes from the environment;
nothing else in the code asks which environment it runs in. The environment
is read in one place, when a config is made (`get_config`, called by
create_app), never at import: set a variable, create an app, and it counts.
"""

import os
import secrets
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import overload
from urllib.parse import urlsplit

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = BASE_DIR / "instance"


class Environment:
    """Typed reads of the environment variables (os.environ unless given)."""

    def __init__(self, variables: Mapping[str, str] | None = None):
        self.variables = os.environ if variables is None else variables

    @overload
    def text(self, name: str, default: str) -> str: ...
    @overload
    def text(self, name: str, default: None = None) -> str | None: ...
    def text(self, name: str, default: str | None = None) -> str | None:
        return self.variables.get(name, default)

    def integer(self, name: str, default: int) -> int:
        return int(self.variables.get(name, default))

    def flag(self, name: str, default: bool) -> bool:
        value = self.variables.get(name)
        if value is None:
            return default
        return value.strip().lower() in {"1", "true", "yes", "on"}

    def path(self, name: str, default: Path) -> Path:
        return Path(self.variables.get(name, default))


def instance_secret_key(instance_dir: Path) -> str:
    """This install's own random key: made on first use, kept in
    `instance_dir/secret_key` (readable by its owner only), reused after."""
    path = instance_dir / "secret_key"
    if not path.exists():
        instance_dir.mkdir(parents=True, exist_ok=True)
        # Written whole to a private temporary file (mkstemp makes it 0600),
        # then linked into place: a second process starting at the same time
        # finds the link taken and reads the first one's key.
        descriptor, temporary = tempfile.mkstemp(dir=instance_dir, prefix=".secret_key.")
        try:
            with os.fdopen(descriptor, "w") as file:
                file.write(secrets.token_hex(32) + "\n")
            os.link(temporary, path)
        except FileExistsError:
            pass
        finally:
            os.unlink(temporary)
    key = path.read_text().strip()
    if not key:
        raise RuntimeError(f"{path} is empty; delete it and a new key is made.")
    return key


def is_absolute_http_url(value: str) -> bool:
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.hostname)


class Config:
    """The settings of one app, read from the environment when it is made."""

    # Where the app is reached from outside, e.g. https://petitions.example.org.
    # Every absolute link (those in mail) is built from it, never from the
    # request's Host or X-Forwarded-Host, which whoever sends the request chooses.
    default_public_base_url: str | None = None
    default_mail_backend = "smtp"

    def __init__(self, environment: Environment | None = None):
        env = self.env = environment or Environment()
        public_base_url = env.text("PUBLIC_BASE_URL", self.default_public_base_url)
        self.PUBLIC_BASE_URL = public_base_url.rstrip("/") if public_base_url else None
        self.SECRET_KEY = env.text("SECRET_KEY")
        self.SQLALCHEMY_DATABASE_URI = env.text(
            "DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'petitions.sqlite3'}"
        )
        # hide_parameters: SQLAlchemy's error messages (and echo) would otherwise
        # carry an INSERT's values, a signer's name, email and town, into the logs.
        self.SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True, "hide_parameters": True}
        # PostgreSQL connections kept per process (app.database.engine_options).
        self.DATABASE_POOL_SIZE = env.integer("DATABASE_POOL_SIZE", 10)
        self.SEEDS_DIR = env.path("SEEDS_DIR", BASE_DIR / "seeds")
        self.LETTER_TEMPLATES_DIR = BASE_DIR / "letter_templates"

        # Cookies: not readable by scripts, not sent cross-site.
        self.SESSION_COOKIE_HTTPONLY = True
        self.SESSION_COOKIE_SAMESITE = "Lax"
        self.SESSION_COOKIE_SECURE = env.flag("SESSION_COOKIE_SECURE", False)
        # Strict-Transport-Security: browsers use only HTTPS for this many
        # seconds (0: no header). Production only; a development server speaks
        # plain HTTP.
        self.HSTS_MAX_AGE = 0

        self.WTF_CSRF_TIME_LIMIT = None

        # What the app's log lines go out at, and above (app.logs).
        self.LOG_LEVEL = env.text("LOG_LEVEL", "INFO").upper()

        # Failed organizer logins allowed per address before a 429.
        self.ORGANIZER_LOGIN_RATE_LIMIT = env.text(
            "ORGANIZER_LOGIN_RATE_LIMIT", "10 per 15 minutes"
        )
        self.BABEL_DEFAULT_LOCALE = "en"
        self.BABEL_TRANSLATION_DIRECTORIES = str(BASE_DIR / "app" / "translations")
        self.LANGUAGES = ("en", "ko")

        # Signing. A duplicate signer is emailed at most DUPLICATE_NOTICE_LIMIT
        # times, so the form cannot be used to flood someone's inbox.
        self.SIGN_RATE_LIMIT = env.text("SIGN_RATE_LIMIT", "20 per hour")
        self.HONEYPOT_ENABLED = env.flag("HONEYPOT_ENABLED", True)
        self.DUPLICATE_NOTICE_LIMIT = env.integer("DUPLICATE_NOTICE_LIMIT", 3)
        self.SIGNATURE_LINK_DAYS = env.integer("SIGNATURE_LINK_DAYS", 30)
        # How long the thank-you page offers the letter from the browser's session.
        self.LETTER_DRAFT_MINUTES = env.integer("LETTER_DRAFT_MINUTES", 60)
        # Letter PDFs one visitor, and one letter, may have rendered.
        self.LETTER_RATE_LIMIT = env.text("LETTER_RATE_LIMIT", "10 per minute")

        # Retention: signer details are erased this many days after a campaign
        # closes (counts by country and day stay); unconfirmed signatures go
        # once their links have expired.
        self.RETENTION_DAYS_AFTER_CLOSE = env.integer("RETENTION_DAYS_AFTER_CLOSE", 90)

        # Behind a reverse proxy, the number of proxies whose X-Forwarded-For to
        # trust; without it every visitor would share the proxy's address and
        # its rate limit.
        self.PROXY_COUNT = env.integer("PROXY_COUNT", 0)

        # Rate limits live in Redis when REDIS_URL is set, so every web process
        # shares them; in memory otherwise (one process: development and tests).
        self.RATELIMIT_ENABLED = env.flag("RATELIMIT_ENABLED", True)
        # No X-RateLimit-* headers on every answer: they cost two Redis round
        # trips per limited request. A refusal (429) carries Retry-After
        # (app/__init__.py).
        self.RATELIMIT_HEADERS_ENABLED = False
        # When Redis cannot be reached, Flask-Limiter logs a warning and counts
        # in each process's memory (the same limits, per process) until Redis
        # answers again, so signing and login keep working. The timeouts keep a
        # Redis that does not answer from holding up every request.
        self.RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
        self.RATELIMIT_STORAGE_OPTIONS = {"socket_connect_timeout": 1, "socket_timeout": 1}
        self.RATELIMIT_STORAGE_URI = env.text("REDIS_URL", "memory://")

        # Mail leaves through the outbox. MAIL_BACKEND is `smtp` or `console`.
        self.MAIL_BACKEND = env.text("MAIL_BACKEND", self.default_mail_backend)
        self.MAIL_SERVER = env.text("MAIL_SERVER", "localhost")
        self.MAIL_PORT = env.integer("MAIL_PORT", 25)
        self.MAIL_USERNAME = env.text("MAIL_USERNAME")
        self.MAIL_PASSWORD = env.text("MAIL_PASSWORD")
        self.MAIL_USE_TLS = env.flag("MAIL_USE_TLS", False)
        self.MAIL_TIMEOUT = env.integer("MAIL_TIMEOUT", 10)
        self.MAIL_SENDER = env.text("MAIL_SENDER", "Petitions <no-reply@localhost>")
        self.OUTBOX_MAX_ATTEMPTS = env.integer("OUTBOX_MAX_ATTEMPTS", 8)
        # Queue a send job right after signing. Without it (or when the queue is
        # down) the outbox sweep sends the mail within OUTBOX_SWEEP_SECONDS.
        self.OUTBOX_SEND_IN_BACKGROUND = env.flag("OUTBOX_SEND_IN_BACKGROUND", True)
        self.OUTBOX_SWEEP_SECONDS = env.integer("OUTBOX_SWEEP_SECONDS", 30)
        # A mail refused by the server waits OUTBOX_RETRY_SECONDS, doubling each
        # time (at most six hours); a claimed mail whose worker died is taken up
        # again after OUTBOX_CLAIM_SECONDS.
        self.OUTBOX_RETRY_SECONDS = env.integer("OUTBOX_RETRY_SECONDS", 60)
        self.OUTBOX_CLAIM_SECONDS = env.integer("OUTBOX_CLAIM_SECONDS", 300)
        # While the mail server is unreachable, the worker tries again after
        # 2 s, doubling up to this; an outage never counts against a message.
        self.OUTBOX_BACKOFF_MAX_SECONDS = env.integer("OUTBOX_BACKOFF_MAX_SECONDS", 60)

        # The job queue (Huey): Redis when REDIS_URL is set, so every web
        # process and worker share it; otherwise a SQLite file under instance/,
        # which `make run` serves with a worker beside the development server.
        self.JOBS_IMMEDIATE = env.flag("JOBS_IMMEDIATE", False)
        # The queue's name in Redis: installs sharing one Redis need their own.
        self.JOBS_QUEUE_NAME = env.text("JOBS_QUEUE_NAME", "petitions")
        # How often the worker's scheduler looks for periodic jobs that are due.
        self.JOBS_TICK_SECONDS = env.integer("JOBS_TICK_SECONDS", 5)
        self.JOBS_REDIS_URL = env.text("REDIS_URL")
        self.JOBS_SQLITE_FILE = env.path("JOBS_SQLITE_FILE", INSTANCE_DIR / "jobs.sqlite3")

        # Retention runs daily at this UTC hour.
        self.RETENTION_HOUR_UTC = env.integer("RETENTION_HOUR_UTC", 3)

        # Delivery packs are built by the worker into DELIVERY_PACK_DIR (never a
        # public folder), offered for DELIVERY_PACK_HOURS, then deleted.
        self.DELIVERY_PACK_DIR = env.path("DELIVERY_PACK_DIR", INSTANCE_DIR / "delivery-packs")
        self.DELIVERY_PACK_HOURS = env.integer("DELIVERY_PACK_HOURS", 24)
        # About this many names per rendered part, and parts rendered at once.
        # One by default: a 1,000,000-signer pack then builds in about 135 s
        # within about 380 MB; two take about 90 s but near 570 MB (each extra
        # process holds its own copy of the app and the fonts).
        self.DELIVERY_PACK_CHUNK_SIZE = env.integer("DELIVERY_PACK_CHUNK_SIZE", 2000)
        self.DELIVERY_PACK_PROCESSES = env.integer("DELIVERY_PACK_PROCESSES", 1)
        # The worker folds new confirmations and withdrawals into the count
        # rollup this often, and recounts every campaign once a day at this
        # hour (UTC).
        self.COUNTS_ROLLUP_SECONDS = env.integer("COUNTS_ROLLUP_SECONDS", 5)
        self.COUNTS_CHECK_HOUR_UTC = env.integer("COUNTS_CHECK_HOUR_UTC", 4)
        # Public counts (counts.json, the dashboard) are read once per web
        # process every COUNTS_CACHE_SECONDS, and counts.json may be kept by
        # browsers and proxies for COUNTS_MAX_AGE_SECONDS: what anyone sees is
        # at most the sum (5 s) behind a confirmation.
        self.COUNTS_CACHE_SECONDS = env.integer("COUNTS_CACHE_SECONDS", 2)
        self.COUNTS_MAX_AGE_SECONDS = env.integer("COUNTS_MAX_AGE_SECONDS", 3)
        # The campaign page with a blank form is the same for every visitor
        # but for the CSRF token: each web process renders it once this often.
        self.CAMPAIGN_PAGE_CACHE_SECONDS = env.integer("CAMPAIGN_PAGE_CACHE_SECONDS", 2)

    def check(self) -> None:
        base_url = self.PUBLIC_BASE_URL
        if base_url is not None and not is_absolute_http_url(base_url):
            raise RuntimeError(
                "PUBLIC_BASE_URL must be an absolute http:// or https:// URL, "
                f"like https://petitions.example.org; it is {base_url!r}."
            )


class DevelopmentConfig(Config):
    default_public_base_url = "http://127.0.0.1:5000"
    default_mail_backend = "console"

    def __init__(self, environment: Environment | None = None):
        super().__init__(environment)
        # Never a fixed key: anyone who knows it can forge an organizer's
        # session on any install reachable from a network.
        self.SECRET_KEY = self.SECRET_KEY or instance_secret_key(INSTANCE_DIR)


class TestConfig(Config):
    default_public_base_url = "https://petitions.test"

    def __init__(self, environment: Environment | None = None):
        super().__init__(environment)
        self.TESTING = True
        self.SECRET_KEY = "test-only-not-secret"
        self.SQLALCHEMY_DATABASE_URI = "sqlite://"
        self.WTF_CSRF_ENABLED = False
        self.RATELIMIT_STORAGE_URI = "memory://"
        self.SIGN_RATE_LIMIT = "1000 per minute"
        self.MAIL_BACKEND = "console"
        # Mail stays queued unless a test sends it; jobs run at once, in the test.
        self.OUTBOX_SEND_IN_BACKGROUND = False
        self.JOBS_IMMEDIATE = True
        self.JOBS_REDIS_URL = None
        # Counts and pages made afresh on every request, so a test sees a
        # confirmation at once.
        self.COUNTS_CACHE_SECONDS = 0
        self.CAMPAIGN_PAGE_CACHE_SECONDS = 0


class ProductionConfig(Config):
    def __init__(self, environment: Environment | None = None):
        super().__init__(environment)
        self.SESSION_COOKIE_SECURE = self.env.flag("SESSION_COOKIE_SECURE", True)
        self.HSTS_MAX_AGE = self.env.integer("HSTS_MAX_AGE", 365 * 24 * 3600)

    def check(self) -> None:
        # REDIS_URL: without it each web process would keep its own rate limits.
        for name in ("SECRET_KEY", "DATABASE_URL", "PUBLIC_BASE_URL", "REDIS_URL"):
            if not self.env.text(name):
                raise RuntimeError(f"{name} must be set when APP_CONFIG=production.")
        super().check()


CONFIGS = {
    "development": DevelopmentConfig,
    "test": TestConfig,
    "production": ProductionConfig,
}


def get_config(name: str | None = None, environment: Environment | None = None) -> Config:
    """The config named by `name`, or by APP_CONFIG (default: development),
    with its settings read from the environment now."""
    environment = environment or Environment()
    name = name or environment.text("APP_CONFIG", "development")
    try:
        config_class = CONFIGS[name]
    except KeyError:
        raise RuntimeError(
            f"Unknown APP_CONFIG {name!r}; choose one of {', '.join(CONFIGS)}."
        ) from None
    config = config_class(environment)
    config.check()
    return config
