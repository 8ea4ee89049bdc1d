"""Racing requests: one row per person, one count per confirmation, no 500.

Each test runs on SQLite and on PostgreSQL (CI requires the latter).
"""

import threading

from sqlalchemy import func, select

from app.signatures.models import Signature
from tests.signing import (
    OPEN_SLUG,
    deliver_queued_mail,
    form_data,
    fresh_session,
    links_in,
    queued_mail,
)

RACERS = 8


def race(app, request):
    """Run `request(client)` in RACERS threads released at the same moment."""
    barrier = threading.Barrier(RACERS)
    statuses, errors = [], []

    def run():
        client = app.test_client()
        barrier.wait()
        try:
            statuses.append(request(client).status_code)
        except Exception as error:  # reported below, never swallowed
            errors.append(error)

    threads = [threading.Thread(target=run) for _ in range(RACERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    return statuses


def test_concurrent_signatures_with_one_email_leave_exactly_one_row(seeded):
    statuses = race(seeded, lambda c: c.post(f"/c/{OPEN_SLUG}/sign", data=form_data()))
    assert statuses == [303] * RACERS
    session = fresh_session()
    assert session.scalar(select(func.count()).select_from(Signature)) == 1


def test_concurrent_duplicates_send_no_more_notices_than_the_limit(seeded):
    seeded.config["DUPLICATE_NOTICE_LIMIT"] = 2
    race(seeded, lambda c: c.post(f"/c/{OPEN_SLUG}/sign", data=form_data()))
    assert len(deliver_queued_mail(seeded)) == 1 + 2


def test_concurrent_confirmations_count_once(seeded, client):
    client.post(f"/c/{OPEN_SLUG}/sign", data=form_data())
    confirm = links_in(queued_mail()[0].body)["confirm"]

    statuses = race(seeded, lambda c: c.post(confirm))

    assert statuses == [303] * RACERS
    assert client.get(f"/c/{OPEN_SLUG}/counts.json").get_json()["total"] == 1


def test_of_racing_confirmations_exactly_one_confirms(seeded, client):
    from app.database import transaction
    from app.extensions import db
    from app.signatures import service

    client.post(f"/c/{OPEN_SLUG}/sign", data=form_data())
    signature_id = fresh_session().scalar(select(Signature.id))
    barrier = threading.Barrier(RACERS)
    results = []

    def confirm():
        # As the confirm view does: read the signature, then confirm it in
        # the write transaction.
        with seeded.app_context():
            signature = db.session.get(Signature, signature_id)
            barrier.wait()
            with transaction(db.session):
                results.append(service.confirm(db.session, signature))
            db.session.remove()

    threads = [threading.Thread(target=confirm) for _ in range(RACERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(results) == [False] * (RACERS - 1) + [True]
    first_confirmed_at = fresh_session().get(Signature, signature_id).confirmed_at
    with transaction(fresh_session()) as session:
        assert service.confirm(session, session.get(Signature, signature_id)) is False
    assert fresh_session().get(Signature, signature_id).confirmed_at == first_confirmed_at
