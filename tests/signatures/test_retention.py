from datetime import date, datetime, timedelta

from sqlalchemy import select

from app.campaigns.service import get_campaign
from app.database import utcnow
from app.extensions import db
from app.signatures.models import Signature
from app.signatures.retention import run_retention
from tests.signing import CLOSED_SLUG, OPEN_SLUG, fresh_session

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=utcnow().tzinfo)


def add(campaign, email, status, created_at=NOW, country="KR"):
    db.session.add(
        Signature(
            campaign_id=campaign.id,
            name="Named Person",
            email=email,
            email_canonical=email,
            city="Town",
            country=country,
            message="words",
            language="en",
            locale="en",
            status=status,
            created_at=created_at,
            include_in_delivery=True,
            show_name=True,
            confirmed_at=created_at if status == "confirmed" else None,
        )
    )


def run(**kwargs):
    return run_retention(db.session, now=NOW, link_days=30, days_after_close=90, **kwargs)


def test_unconfirmed_signatures_whose_links_expired_are_deleted(seeded):
    campaign = get_campaign(db.session, OPEN_SLUG)
    add(campaign, "old@x.org", "pending", created_at=NOW - timedelta(days=31))
    add(campaign, "new@x.org", "pending", created_at=NOW - timedelta(days=29))
    add(campaign, "kept@x.org", "confirmed", created_at=NOW - timedelta(days=200))
    db.session.commit()

    assert run().expired_pending_deleted == 1

    emails = {s.email for s in fresh_session().scalars(select(Signature))}
    assert emails == {"new@x.org", "kept@x.org"}


def test_long_closed_campaigns_keep_their_counts_but_not_the_signers_details(seeded, client):
    campaign = get_campaign(db.session, CLOSED_SLUG)  # closed on 2025-12-31
    assert campaign.closes_on < (NOW.date() - timedelta(days=90))
    add(campaign, "a@x.org", "confirmed", created_at=datetime(2025, 12, 1, tzinfo=NOW.tzinfo))
    db.session.commit()
    before = client.get(f"/c/{CLOSED_SLUG}/counts.json").get_json()

    report = run()

    assert (report.campaigns_anonymized, report.signatures_anonymized) == (1, 1)
    signature = fresh_session().scalar(select(Signature))
    assert (signature.name, signature.email, signature.city, signature.message) == (None,) * 4
    assert signature.include_in_delivery is False and signature.show_name is False
    assert client.get(f"/c/{CLOSED_SLUG}/counts.json").get_json() == before


def test_open_campaigns_and_recently_closed_ones_are_left_alone(seeded):
    campaign = get_campaign(db.session, OPEN_SLUG)
    add(campaign, "a@x.org", "confirmed")
    db.session.commit()
    run_retention(db.session, now=NOW, link_days=30, days_after_close=10_000)
    assert fresh_session().scalar(select(Signature)).email == "a@x.org"
    assert date(2027, 6, 30) == campaign.closes_on


def test_a_second_run_erases_nothing_more(seeded):
    campaign = get_campaign(db.session, CLOSED_SLUG)
    add(campaign, "a@x.org", "confirmed", created_at=datetime(2025, 12, 1, tzinfo=NOW.tzinfo))
    db.session.commit()
    run()
    assert run().signatures_anonymized == 0


def test_the_retention_command_reports_what_it_erased(seeded, runner):
    result = runner.invoke(args=["retention", "run"])
    assert result.exit_code == 0
    assert "expired unconfirmed signatures deleted" in result.output
