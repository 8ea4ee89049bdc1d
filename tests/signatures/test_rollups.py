"""Counts come from a rollup that is exact at once and repairs itself.

Each test runs on SQLite and PostgreSQL; the concurrency test on PostgreSQL only.
"""

import logging
import threading
from datetime import UTC, datetime

import pytest
from sqlalchemy import delete, event, func, select, text, update

from app.database import transaction
from app.extensions import db
from app.signatures.models import CountChange, CountRollup, Signature
from app.signatures.public import public_signers_query
from app.signatures.retention import run_retention
from app.signatures.rollups import (
    advance_rollups,
    check_rollups,
    recount,
    refresh_all_rollups,
)
from app.signatures.service import confirm
from tests.signing import (
    CLOSED_SLUG,
    OPEN_SLUG,
    add_signature,
    form_data,
    fresh_session,
    links_in,
    queued_mail,
    sign_and_confirm,
)


def counts(client, slug: str = OPEN_SLUG) -> dict:
    return client.get(f"/c/{slug}/counts.json").get_json()


def campaign_id(slug: str = OPEN_SLUG) -> int:
    from app.campaigns.models import Campaign

    return fresh_session().scalar(select(Campaign.id).where(Campaign.slug == slug))


def rollup_matches_the_signatures(slug: str = OPEN_SLUG) -> bool:
    from app.signatures.rollups import counted

    session = fresh_session()
    return counted(session, campaign_id(slug)) == recount(session, campaign_id(slug))


def test_a_confirmation_counts_at_once_before_any_fold(seeded, client):
    sign_and_confirm(client, "a@example.org", country="KR")
    sign_and_confirm(client, "b@example.org", country="GB")
    data = counts(client)
    assert data["total"] == 2
    assert data["by_country"] == [{"country": "GB", "count": 1}, {"country": "KR", "count": 1}]
    assert fresh_session().scalar(select(func.count()).select_from(CountChange)) == 2


def test_folding_the_changes_keeps_the_counts_and_empties_the_change_table(seeded, client):
    for n in range(3):
        sign_and_confirm(client, f"s{n}@example.org")
    before = counts(client)

    report = advance_rollups(fresh_session())

    assert report.changes == 3
    assert fresh_session().scalar(select(func.count()).select_from(CountChange)) == 0
    assert fresh_session().scalar(select(CountRollup.confirmed)) == 3
    assert counts(client) == before


def test_withdrawing_a_confirmed_signature_takes_it_out_of_the_counts(seeded, client):
    kept = sign_and_confirm(client, "kept@example.org")
    gone = sign_and_confirm(client, "gone@example.org", country="GB")
    advance_rollups(fresh_session())

    client.post(gone["withdraw"])

    assert counts(client)["total"] == 1
    assert counts(client)["by_country"] == [{"country": "KR", "count": 1}]
    advance_rollups(fresh_session())
    assert counts(client)["total"] == 1
    client.post(kept["withdraw"])
    client.post(kept["withdraw"])  # twice: counted out once
    assert counts(client)["total"] == 0
    assert counts(client)["by_day"] == []
    assert rollup_matches_the_signatures()


def test_withdrawing_a_pending_signature_changes_no_count(seeded, client):
    client.post(f"/c/{OPEN_SLUG}/sign", data=form_data())
    client.post(links_in(queued_mail()[0].body)["withdraw"])
    assert counts(client)["total"] == 0
    assert fresh_session().scalar(select(func.count()).select_from(CountChange)) == 0


def test_retention_leaves_the_counts_exact(seeded, client):
    signing_day = datetime(2025, 12, 1, tzinfo=UTC)
    add_signature(CLOSED_SLUG, email="a@x.org", created_at=signing_day)
    add_signature(CLOSED_SLUG, email="b@x.org", created_at=signing_day, country="GB")
    advance_rollups(fresh_session())
    before = counts(client, CLOSED_SLUG)

    with transaction(fresh_session()) as session:
        run_retention(session, now=datetime(2026, 11, 25, tzinfo=UTC), days_after_close=90)

    assert counts(client, CLOSED_SLUG) == before
    assert before["total"] == 2
    assert rollup_matches_the_signatures(CLOSED_SLUG)


def test_refresh_rebuilds_counts_the_rollup_lost(seeded, client, runner):
    for n in range(3):
        sign_and_confirm(client, f"s{n}@example.org")
    advance_rollups(fresh_session())
    session = fresh_session()
    session.execute(delete(CountRollup))  # as after restoring only the signatures
    session.commit()
    assert counts(client)["total"] == 0

    result = runner.invoke(args=["counts", "refresh", OPEN_SLUG])

    assert result.exit_code == 0, result.output
    assert f"{OPEN_SLUG}: 3 confirmed" in result.output
    assert counts(client)["total"] == 3
    assert rollup_matches_the_signatures()


def test_refresh_of_an_unknown_campaign_says_so(seeded, runner):
    result = runner.invoke(args=["counts", "refresh", "no-such-campaign"])
    assert result.exit_code != 0
    assert "No campaign 'no-such-campaign'" in result.output


def test_the_self_check_repairs_a_wrong_rollup_and_logs_no_signer(seeded, client, caplog):
    sign_and_confirm(client, "secret.person@example.org")
    advance_rollups(fresh_session())
    session = fresh_session()
    session.execute(update(CountRollup).values(confirmed=CountRollup.confirmed + 41))
    session.commit()
    assert counts(client)["total"] == 42

    with caplog.at_level(logging.WARNING):
        report = check_rollups(fresh_session())

    assert report.repaired == [OPEN_SLUG]
    assert counts(client)["total"] == 1
    assert OPEN_SLUG in caplog.text and "counted 42, true 1" in caplog.text
    assert "secret.person" not in caplog.text and "Kim Min-ji" not in caplog.text
    assert check_rollups(fresh_session()).repaired == []


def test_counts_json_reads_no_signature_row(seeded, client):
    add_signature(email="a@x.org")
    statements = []

    def record(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        assert counts(client)["total"] == 1
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    assert statements and not [s for s in statements if "signatures" in s]


def test_counts_json_is_at_most_five_seconds_behind_with_every_cache_in_production(seeded, client):
    from config import ProductionConfig

    response = client.get(f"/c/{OPEN_SLUG}/counts.json")
    max_age = int(response.headers["Cache-Control"].removeprefix("public, max-age="))
    assert max_age + ProductionConfig().COUNTS_CACHE_SECONDS <= 5


def test_refreshing_every_campaign_gives_each_its_own_total(seeded):
    add_signature(email="a@x.org")
    add_signature(CLOSED_SLUG, email="b@x.org", created_at=datetime(2025, 12, 1, tzinfo=UTC))
    totals = refresh_all_rollups(fresh_session())
    assert totals[OPEN_SLUG] == 1 and totals[CLOSED_SLUG] == 1


def test_parallel_confirmations_and_folds_give_the_exact_count(seeded, client):
    if seeded.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        pytest.skip("PostgreSQL: SQLite runs one writer at a time")
    signers = 40
    for n in range(signers):
        add_signature(email=f"p{n}@example.org", status="pending")
    ids = list(fresh_session().scalars(select(Signature.id).order_by(Signature.id)))
    db.session.remove()
    errors, start = [], threading.Barrier(6)

    def confirming(share):
        with seeded.app_context():
            start.wait()
            try:
                for signature_id in share:
                    with transaction(db.session):
                        confirm(db.session, db.session.get(Signature, signature_id))
            except Exception as error:  # reported below
                errors.append(error)
            finally:
                db.session.remove()

    def folding():
        with seeded.app_context():
            start.wait()
            try:
                for _ in range(15):
                    advance_rollups(db.session, batch=3)
            except Exception as error:  # reported below
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=confirming, args=(ids[i::4],)) for i in range(4)]
    threads += [threading.Thread(target=folding) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    assert counts(client)["total"] == signers
    advance_rollups(fresh_session())
    assert fresh_session().scalar(select(func.sum(CountRollup.confirmed))) == signers
    assert rollup_matches_the_signatures()


def test_the_public_names_come_from_an_index_in_order(seeded):
    session = fresh_session()
    query = str(
        public_signers_query(campaign_id(), 20).compile(
            session.get_bind(), compile_kwargs={"literal_binds": True}
        )
    )
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SET LOCAL enable_seqscan = off"))
        plan = "\n".join(session.scalars(text("EXPLAIN " + query)))
        assert "ix_signatures_public_names" in plan and "Sort" not in plan, plan
    else:
        plan = "\n".join(row[-1] for row in session.execute(text("EXPLAIN QUERY PLAN " + query)))
        assert "USING INDEX ix_signatures_public_names" in plan, plan
        assert "TEMP B-TREE" not in plan, plan
    session.rollback()
