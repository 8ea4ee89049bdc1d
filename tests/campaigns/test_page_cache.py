"""The campaign page is rendered once every few seconds per process, and each
visitor still gets their own CSRF token, messages and the current count."""

import re
from datetime import date

import pytest
from sqlalchemy import select

from app.campaigns.models import Campaign
from app.extensions import db
from app.short_cache import app_cache
from app.signatures.models import CountRollup
from tests.signing import OPEN_SLUG, form_data, links_in, queued_mail


@pytest.fixture
def app_overrides():
    return {"WTF_CSRF_ENABLED": True, "CAMPAIGN_PAGE_CACHE_SECONDS": 2}


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


@pytest.fixture
def clock(seeded):
    clock = Clock()
    app_cache(seeded, "campaign pages").clock = clock
    return clock


def token_in(html: str) -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)


def page(client, path=f"/c/{OPEN_SLUG}") -> str:
    response = client.get(path)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def add_to_rollup(confirmed: int, country: str = "KR") -> None:
    """Counts only the rollup knows of: no signature row behind them."""
    campaign_id = db.session.scalar(select(Campaign.id).where(Campaign.slug == OPEN_SLUG))
    db.session.add(
        CountRollup(
            campaign_id=campaign_id,
            day=date(2026, 11, 20),
            country=country,
            recipient_id=0,
            confirmed=confirmed,
        )
    )
    db.session.commit()


def test_two_visitors_of_the_kept_page_each_get_their_own_token_and_can_sign(seeded, clock, app):
    first, second = app.test_client(), app.test_client()
    first_page, second_page = page(first), page(second)

    assert token_in(first_page) != token_in(second_page)
    assert first_page.replace(token_in(first_page), "") == second_page.replace(
        token_in(second_page), ""
    )
    assert "\x00" not in first_page
    signed = second.post(f"/c/{OPEN_SLUG}/sign", data=form_data(csrf_token=token_in(second_page)))
    assert signed.status_code == 303


def test_the_page_shows_the_count_from_the_rollup_within_its_seconds(seeded, clock, client):
    add_to_rollup(1234)
    assert "<strong>1,234</strong>" in page(client)

    add_to_rollup(1000, country="GB")
    clock.now += 1
    assert "<strong>1,234</strong>" in page(client)
    clock.now += 1.5
    assert "<strong>2,234</strong>" in page(client)


def test_a_signer_who_just_confirmed_sees_their_message_and_their_signature_counted(
    seeded, clock, client
):
    assert "<strong>0</strong>" in page(client)
    client.post(f"/c/{OPEN_SLUG}/sign", data=form_data(csrf_token=token_in(page(client))))
    confirm = links_in(queued_mail()[-1].body)["confirm"]
    confirm_page = client.get(confirm).get_data(as_text=True)

    client.post(confirm, data={"csrf_token": token_in(confirm_page)})
    html = page(client)

    assert "Your signature is confirmed and counted." in html
    assert "<strong>1</strong>" in html


def test_each_language_has_its_own_kept_page(seeded, clock, client):
    assert 'lang="en"' in page(client, f"/c/{OPEN_SLUG}?lang=en")[:200]
    assert '<html lang="ko"' in page(client, f"/c/{OPEN_SLUG}?lang=ko")
    assert '<html lang="en"' in page(client, f"/c/{OPEN_SLUG}?lang=en")


def test_an_unknown_campaign_is_a_404_while_pages_are_kept(seeded, clock, client):
    assert client.get("/c/no-such-campaign").status_code == 404
    assert client.get("/c/no-such-campaign").status_code == 404


def test_the_kept_page_is_not_public_to_caches(seeded, clock, client):
    response = client.get(f"/c/{OPEN_SLUG}")
    assert "public" not in response.headers.get("Cache-Control", "")
    assert response.headers.get("Set-Cookie", "").startswith("session=")
