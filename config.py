"""Configuration classes, chosen by one variable: APP_CONFIG.

Every setting that differs between machines comes from the environment;
nothing else in the code asks which environment it runs in.
"""

import os
import secrets
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = BASE_DIR / "instance"


def _env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


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
    """Read when an app is created (get_config returns an instance), so the
    environment at that moment decides."""

    # Where the app is reached from outside, e.g. https://petitions.example.org.
    # Every absolute link (those in mail) is built from it, never from the
    # request's Host or X-Forwarded-Host, which whoever sends the request chooses.
    DEFAULT_PUBLIC_BASE_URL: str | None = None

    @property
    def PUBLIC_BASE_URL(self) -> str | None:  # noqa: N802
        value = os.environ.get("PUBLIC_BASE_URL", self.DEFAULT_PUBLIC_BASE_URL)
        return value.rstrip("/") if value else None

    def check(self) -> None:
        base_url = self.PUBLIC_BASE_URL
        if base_url is not None and not is_absolute_http_url(base_url):
            raise RuntimeError(
                "PUBLIC_BASE_URL must be an absolute http:// or https:// URL, "
                f"like https://petitions.example.org; it is {base_url!r}."
            )

    @property
    def SECRET_KEY(self) -> str | None:  # noqa: N802 (Flask reads upper-case names)
        return os.environ.get("SECRET_KEY")

    @property
    def SQLALCHEMY_DATABASE_URI(self) -> str:  # noqa: N802
        return os.environ.get("DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'petitions.sqlite3'}")

    # hide_parameters: SQLAlchemy's error messages (and echo) would otherwise
    # carry an INSERT's values, a signer's name, email and town, into the logs.
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True, "hide_parameters": True}
    SEEDS_DIR = Path(os.environ.get("SEEDS_DIR", BASE_DIR / "seeds"))

    # Cookies: not readable by scripts, not sent cross-site.
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _env_bool("SESSION_COOKIE_SECURE", False)
    # Strict-Transport-Security: browsers use only HTTPS for this many seconds
    # (0: no header). Production only; a development server speaks plain HTTP.
    HSTS_MAX_AGE = 0

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
    # When Redis cannot be reached, Flask-Limiter logs a warning and counts in
    # each process's memory (the same limits, per process) until Redis answers
    # again, so signing and login keep working. The timeouts keep a Redis that
    # does not answer from holding up every request.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    RATELIMIT_STORAGE_OPTIONS = {"socket_connect_timeout": 1, "socket_timeout": 1}

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
    # Queue a send job right after signing. Without it (or when the queue is
    # down) the outbox sweep sends the mail within OUTBOX_SWEEP_SECONDS.
    OUTBOX_SEND_IN_BACKGROUND = _env_bool("OUTBOX_SEND_IN_BACKGROUND", True)
    OUTBOX_SWEEP_SECONDS = _env_int("OUTBOX_SWEEP_SECONDS", 30)
    # A mail refused by the server waits OUTBOX_RETRY_SECONDS, doubling each
    # time (at most six hours); a claimed mail whose worker died is taken up
    # again after OUTBOX_CLAIM_SECONDS.
    OUTBOX_RETRY_SECONDS = _env_int("OUTBOX_RETRY_SECONDS", 60)
    OUTBOX_CLAIM_SECONDS = _env_int("OUTBOX_CLAIM_SECONDS", 300)
    # While the mail server is unreachable, the worker tries again after 2 s,
    # doubling up to this; an outage never counts against a message.
    OUTBOX_BACKOFF_MAX_SECONDS = _env_int("OUTBOX_BACKOFF_MAX_SECONDS", 60)

    # The job queue (Huey): Redis when REDIS_URL is set, so every web process
    # and worker share it; otherwise a SQLite file under instance/, which
    # `make run` serves with a worker beside the development server.
    JOBS_IMMEDIATE = _env_bool("JOBS_IMMEDIATE", False)
    # The queue's name in Redis: installs sharing one Redis need their own.
    JOBS_QUEUE_NAME = os.environ.get("JOBS_QUEUE_NAME", "petitions")
    # How often the worker's scheduler looks for periodic jobs that are due.
    JOBS_TICK_SECONDS = _env_int("JOBS_TICK_SECONDS", 5)

    @property
    def JOBS_REDIS_URL(self) -> str | None:  # noqa: N802
        return os.environ.get("REDIS_URL")

    @property
    def JOBS_SQLITE_FILE(self) -> Path:  # noqa: N802
        return Path(os.environ.get("JOBS_SQLITE_FILE", INSTANCE_DIR / "jobs.sqlite3"))

    # Retention runs daily at this UTC hour.
    RETENTION_HOUR_UTC = _env_int("RETENTION_HOUR_UTC", 3)

    # Delivery packs are built by the worker into DELIVERY_PACK_DIR (never a
    # public folder), offered for DELIVERY_PACK_HOURS, then deleted.
    @property
    def DELIVERY_PACK_DIR(self) -> Path:  # noqa: N802
        return Path(os.environ.get("DELIVERY_PACK_DIR", INSTANCE_DIR / "delivery-packs"))

    DELIVERY_PACK_HOURS = _env_int("DELIVERY_PACK_HOURS", 24)
    # Names per rendered part, and parts rendered at once. Each extra process
    # costs about 120 MB and one core; the default keeps a 1,000,000-signer
    # pack near 250 MB on one core.
    DELIVERY_PACK_CHUNK_SIZE = _env_int("DELIVERY_PACK_CHUNK_SIZE", 2000)
    # The worker folds new confirmations and withdrawals into the count rollup
    # this often, and recounts every campaign once a day at this hour (UTC).
    COUNTS_ROLLUP_SECONDS = _env_int("COUNTS_ROLLUP_SECONDS", 5)
    COUNTS_CHECK_HOUR_UTC = _env_int("COUNTS_CHECK_HOUR_UTC", 4)


class DevelopmentConfig(Config):
    DEFAULT_PUBLIC_BASE_URL = "http://127.0.0.1:5000"
    MAIL_BACKEND = os.environ.get("MAIL_BACKEND", "console")

    @property
    def SECRET_KEY(self) -> str:  # noqa: N802
        # Never a fixed key: anyone who knows it can forge an organizer's
        # session on any install reachable from a network.
        return os.environ.get("SECRET_KEY") or instance_secret_key(INSTANCE_DIR)


class TestConfig(Config):
    TESTING = True
    DEFAULT_PUBLIC_BASE_URL = "https://petitions.test"
    SECRET_KEY = "test-only-not-secret"
    SQLALCHEMY_DATABASE_URI = "sqlite://"
    WTF_CSRF_ENABLED = False
    RATELIMIT_STORAGE_URI = "memory://"
    SIGN_RATE_LIMIT = "1000 per minute"
    MAIL_BACKEND = "console"
    # Mail stays queued unless a test sends it; jobs run at once, in the test.
    OUTBOX_SEND_IN_BACKGROUND = False
    JOBS_IMMEDIATE = True
    JOBS_REDIS_URL = None


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = _env_bool("SESSION_COOKIE_SECURE", True)
    HSTS_MAX_AGE = _env_int("HSTS_MAX_AGE", 365 * 24 * 3600)

    def check(self) -> None:
        # REDIS_URL: without it each web process would keep its own rate limits.
        for name in ("SECRET_KEY", "DATABASE_URL", "PUBLIC_BASE_URL", "REDIS_URL"):
            if not os.environ.get(name):
                raise RuntimeError(f"{name} must be set when APP_CONFIG=production.")
        super().check()


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
    config.check()
    return config
