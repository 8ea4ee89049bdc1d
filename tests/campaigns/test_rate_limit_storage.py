import pytest
import redis

from config import get_config
from tests.conftest import make_app
from tests.signing import OPEN_SLUG, form_data

REDIS_URL = "redis://127.0.0.1:6379/15"


def redis_is_reachable() -> bool:
    try:
        return redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError:
        return False


def test_rate_limits_are_kept_in_redis_when_redis_url_is_set(monkeypatch):
    monkeypatch.delenv("REDIS_URL", raising=False)
    assert get_config("development").RATELIMIT_STORAGE_URI == "memory://"
    monkeypatch.setenv("REDIS_URL", REDIS_URL)
    assert get_config("development").RATELIMIT_STORAGE_URI == REDIS_URL


@pytest.mark.skipif(not redis_is_reachable(), reason="no Redis on 127.0.0.1:6379")
def test_with_redis_the_rate_limit_is_shared_by_every_web_process(seeded):
    redis.Redis.from_url(REDIS_URL).flushdb()
    url = seeded.config["SQLALCHEMY_DATABASE_URI"]
    first, second = (
        make_app(url, RATELIMIT_STORAGE_URI=REDIS_URL, SIGN_RATE_LIMIT="2 per minute")
        for _ in range(2)
    )

    statuses = [
        process.test_client()
        .post(f"/c/{OPEN_SLUG}/sign", data=form_data(email=f"{i}@example.org"))
        .status_code
        for i, process in enumerate([first, second, first])
    ]

    assert statuses == [303, 303, 429]
    redis.Redis.from_url(REDIS_URL).flushdb()
