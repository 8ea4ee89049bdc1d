from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from app.campaigns.service import get_campaign
from app.extensions import db
from app.signatures.models import Signature, SignatureToken
from app.signatures.retention import run_retention
from app.signatures.tokens import hash_token
from tests.signing import CLOSED_SLUG, OPEN_SLUG, add_signature, fresh_session

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
CLOSED_SIGNING = datetime(2025, 12, 1, tzinfo=UTC)  # while the 2012 archive campaign ran


def run(**kwargs):
    return run_retention(db.session, now=NOW, days_after_close=90, **kwargs)


def add_pending(email, link_expires_at):
    signature = add_signature(email=email, status="pending")
    db.session.add(
        SignatureToken(
            signature=signature, token_hash=hash_token(email), expires_at=link_expires_at
        )
    )
    db.session.commit()


def test_unconfirmed_signatures_whose_links_all_expired_are_deleted(seeded):
    add_pending("old@x.org", link_expires_at=NOW - timedelta(days=1))
    add_pending("new@x.org", link_expires_at=NOW + timedelta(days=1))
    add_signature(email="kept@x.org", created_at=NOW - timedelta(days=200))

    assert run().expired_pending_deleted == 1

    emails = {s.email for s in fresh_session().scalars(select(Signature))}
    assert emails == {"new@x.org", "kept@x.org"}


def test_long_closed_campaigns_keep_their_counts_but_not_the_signers_details(seeded, client):
    campaign = get_campaign(db.session, CLOSED_SLUG)  # closed on 2025-12-31
    assert campaign.closes_on < (NOW.date() - timedelta(days=90))
    add_signature(CLOSED_SLUG, email="a@x.org", message="words", created_at=CLOSED_SIGNING)
    before = client.get(f"/c/{CLOSED_SLUG}/counts.json").get_json()

    report = run()

    assert (report.campaigns_anonymized, report.signatures_anonymized) == (1, 1)
    signature = fresh_session().scalar(select(Signature))
    assert (signature.name, signature.email, signature.city, signature.message) == (None,) * 4
    assert signature.include_in_delivery is False and signature.show_name is False
    assert client.get(f"/c/{CLOSED_SLUG}/counts.json").get_json() == before


def test_open_campaigns_and_recently_closed_ones_are_left_alone(seeded):
    add_signature(OPEN_SLUG, email="a@x.org")
    add_signature(CLOSED_SLUG, email="b@x.org", created_at=CLOSED_SIGNING)
    run_retention(db.session, now=NOW, days_after_close=10_000)
    emails = {s.email for s in fresh_session().scalars(select(Signature))}
    assert emails == {"a@x.org", "b@x.org"}


def test_a_second_run_erases_nothing_more(seeded):
    add_signature(CLOSED_SLUG, email="a@x.org", created_at=CLOSED_SIGNING)
    run()
    assert run().signatures_anonymized == 0


def test_the_retention_command_reports_what_it_erased(seeded, runner):
    result = runner.invoke(args=["retention", "run"])
    assert result.exit_code == 0
    assert "expired unconfirmed signatures deleted" in result.output
