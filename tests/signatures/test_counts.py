"""Every breakdown read in one statement agrees with each read on its own."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from app.campaigns.models import Campaign
from app.extensions import db
from app.signatures.counts import (
    campaign_tally,
    confirmed_by_country,
    confirmed_by_day,
    confirmed_by_recipient,
    count_confirmed,
)
from app.signatures.rollups import advance_rollups
from tests.signing import OPEN_SLUG, add_signature, fresh_session


def open_campaign_id() -> int:
    return fresh_session().scalar(select(Campaign.id).where(Campaign.slug == OPEN_SLUG))


def test_one_tally_gives_the_same_breakdowns_as_reading_each_on_its_own(seeded):
    day = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
    add_signature(name="A", country="KR", confirmed_at=day)
    add_signature(name="B", country="KR", confirmed_at=day + timedelta(days=1))
    advance_rollups(db.session)  # some counts folded, some still pending changes
    add_signature(name="C", country="GB", recipient_key="unhcr", confirmed_at=day)
    add_signature(name="D", country="", confirmed_at=day + timedelta(days=2))
    add_signature(name="E", country="US", status="pending")
    campaign_id = open_campaign_id()

    tally = campaign_tally(db.session, campaign_id)

    assert tally.confirmed == count_confirmed(db.session, campaign_id) == 4
    assert list(tally.by_country) == confirmed_by_country(db.session, campaign_id)
    assert list(tally.by_country) == [("KR", 2), ("", 1), ("GB", 1)]
    assert list(tally.by_day) == confirmed_by_day(db.session, campaign_id)
    assert confirmed_by_recipient(db.session, campaign_id, tally) == confirmed_by_recipient(
        db.session, campaign_id
    )


def test_a_campaign_without_signatures_has_an_empty_tally(seeded):
    tally = campaign_tally(db.session, open_campaign_id())
    assert (tally.confirmed, tally.by_country, tally.by_day, tally.by_recipient_id) == (
        0,
        (),
        (),
        (),
    )
