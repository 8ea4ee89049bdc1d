"""What one signature costs the database, and that a repeat costs the same.

The statements are counted with SQLAlchemy's cursor event: a deterministic
measure of the work, unlike a timing.
"""

import contextlib

from sqlalchemy import event

from app.extensions import db
from tests.signing import OPEN_SLUG, form_data, queued_mail

MAX_STATEMENTS_PER_SIGNATURE = 5


@contextlib.contextmanager
def recorded_statements():
    statements = []

    def record(conn, cursor, statement, parameters, context, executemany):
        # SQLite's BEGIN (BEGIN IMMEDIATE for the write) is sent as a statement
        # (app.database); PostgreSQL's driver opens the transaction without
        # one. Neither is work.
        if not statement.startswith("BEGIN"):
            statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


def sign(client, **changes):
    response = client.post(f"/c/{OPEN_SLUG}/sign", data=form_data(**changes))
    assert response.status_code == 303
    return response


def test_a_new_signature_takes_at_most_five_statements(seeded, client):
    with recorded_statements() as statements:
        sign(client)
    assert len(statements) <= MAX_STATEMENTS_PER_SIGNATURE, statements
    assert len(queued_mail()) == 1


def test_a_repeat_signature_takes_at_most_five_statements(seeded, client):
    sign(client)
    with recorded_statements() as statements:
        sign(client, name="Someone Else")
    assert len(statements) <= MAX_STATEMENTS_PER_SIGNATURE, statements


def test_signing_reads_no_fact_or_article(seeded, client):
    with recorded_statements() as statements:
        sign(client)
    assert not [s for s in statements if "facts" in s or "articles" in s], statements


def test_a_repeat_signature_costs_the_database_what_a_new_one_costs(seeded, client):
    sign(client, email="warm-up@example.org")  # the same caches for both
    with recorded_statements() as new:
        sign(client)
    with recorded_statements() as repeat:
        sign(client, name="Someone Else")
    assert len(repeat) == len(new)
    # The same kinds of statement, in the same order, on the same tables.
    assert [s.split()[0:3] for s in repeat] == [s.split()[0:3] for s in new]


def test_every_repeat_signature_queues_a_mail_just_as_a_new_one_does(seeded, client):
    seeded.config["DUPLICATE_NOTICE_LIMIT"] = 1
    for _ in range(4):
        sign(client)
    # Whether a notice goes out is decided when sending, not while signing.
    assert len(queued_mail("min-ji@example.org")) == 4
