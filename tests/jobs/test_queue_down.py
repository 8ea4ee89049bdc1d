"""Redis, the production queue, down or up: signing never depends on it."""

import logging
import uuid

import pytest
from sqlalchemy import select

from app.jobs import jobs_for
from app.outbox.models import OutboxMessage
from tests.jobs.conftest import free_port, wait_for
from tests.signing import OPEN_SLUG, form_data, fresh_session

REDIS_URL = "redis://127.0.0.1:6379/0"


def redis_is_running() -> bool:
    import redis

    try:
        return redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError:
        return False


class TestRedisDown:
    @pytest.fixture
    def app_overrides(self, app_overrides):
        # Nothing listens on this port: every enqueue is refused.
        return {**app_overrides, "JOBS_REDIS_URL": f"redis://127.0.0.1:{free_port()}/0"}

    def test_signing_succeeds_and_logs_no_personal_data_when_the_queue_is_down(
        self, seeded, client, caplog
    ):
        caplog.set_level(logging.INFO)
        response = client.post(
            f"/c/{OPEN_SLUG}/sign", data=form_data(name="Kim Min-ji", email="kim@example.org")
        )
        assert response.status_code == 303
        [message] = fresh_session().scalars(select(OutboxMessage))
        assert message.status == "queued"
        assert "Job queue unavailable (ConnectionError)" in caplog.text
        assert "kim@example.org" not in caplog.text and "Kim Min-ji" not in caplog.text

    def test_mail_written_while_the_queue_was_down_is_sent_by_the_sweep(
        self, seeded, client, mail_server
    ):
        client.post(f"/c/{OPEN_SLUG}/sign", data=form_data(email="kim@example.org"))

        jobs_for(seeded).run_periodic("outbox-sweep")

        assert mail_server.inbox.recipients == ["kim@example.org"]


@pytest.mark.skipif(not redis_is_running(), reason="no Redis on 127.0.0.1:6379")
class TestRedisUp:
    @pytest.fixture
    def app_overrides(self, app_overrides):
        # A queue of this test's own, so no other worker on this Redis takes its jobs.
        return {
            **app_overrides,
            "JOBS_REDIS_URL": REDIS_URL,
            "JOBS_QUEUE_NAME": f"petitions-test-{uuid.uuid4().hex}",
        }

    def test_a_worker_on_redis_sends_the_mail_signing_queued(
        self, seeded, client, worker, mail_server
    ):
        client.post(f"/c/{OPEN_SLUG}/sign", data=form_data(email="kim@example.org"))
        wait_for(lambda: mail_server.inbox.recipients == ["kim@example.org"], what="the mail")
        jobs_for(seeded).huey.storage.flush_all()
