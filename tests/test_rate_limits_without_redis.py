"""When Redis is unreachable, the rate limits fall back to each process's
memory, a warning is logged, and signing and login keep working."""

import logging
import socket

import pytest

from app.extensions import db, limiter
from app.organizer import service as organizers
from tests.conftest import make_app
from tests.organizer.conftest import ALICE, PASSWORD
from tests.signing import OPEN_SLUG, form_data


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def without_redis(seeded):
    app = make_app(
        seeded.config["SQLALCHEMY_DATABASE_URI"],
        RATELIMIT_STORAGE_URI=f"redis://127.0.0.1:{closed_port()}/0",
        SIGN_RATE_LIMIT="2 per minute",
        ORGANIZER_LOGIN_RATE_LIMIT="2 per minute",
    )
    yield app
    # The limiter is one object shared by every app of this test process:
    # tell it its storage is back, as it would find out itself in time.
    limiter._storage_dead = False


def test_signing_keeps_working_and_limited_when_redis_is_down(without_redis, caplog):
    client = without_redis.test_client()
    with caplog.at_level(logging.WARNING):
        statuses = [
            client.post(
                f"/c/{OPEN_SLUG}/sign", data=form_data(email=f"{i}@example.org")
            ).status_code
            for i in range(3)
        ]
    assert statuses == [303, 303, 429]  # counted in memory now
    assert "Rate limit storage unreachable" in caplog.text


def test_organizer_login_keeps_working_when_redis_is_down(without_redis):
    organizers.create_organizer(db.session, ALICE, PASSWORD)
    db.session.commit()
    client = without_redis.test_client()
    assert (
        client.post(
            "/organizer/login", data={"email": ALICE, "password": "a wrong password"}
        ).status_code
        == 200
    )
    response = client.post("/organizer/login", data={"email": ALICE, "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/organizer/").status_code == 200
