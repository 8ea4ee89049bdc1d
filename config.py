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

    # Rate limits are counted in Redis when there is one, so every worker
    # shares them; in memory otherwise (one process, development and tests).
    RATELIMIT_STORAGE_URI = os.environ.get("REDIS_URL", "memory://")
    # Failed organizer logins allowed per address before a 429.
    ORGANIZER_LOGIN_RATE_LIMIT = os.environ.get("ORGANIZER_LOGIN_RATE_LIMIT", "10 per 15 minutes")
    BABEL_DEFAULT_LOCALE = "en"
    LANGUAGES = ("en", "ko")


class DevelopmentConfig(Config):
    @property
    def SECRET_KEY(self) -> str:  # noqa: N802
        # A fixed key is fine on a developer's machine and nowhere else.
        return os.environ.get("SECRET_KEY", "development-only-not-secret")


class TestConfig(Config):
    TESTING = True
    SECRET_KEY = "test-only-not-secret"
    SQLALCHEMY_DATABASE_URI = "sqlite://"
    WTF_CSRF_ENABLED = False


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
