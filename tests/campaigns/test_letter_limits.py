"""Letter renders are limited per visitor and per letter, with a clear 429."""

import pytest

from tests.signing import OPEN_SLUG, form_data, links_in, queued_mail


@pytest.fixture
def app_overrides():
    return {"LETTER_RATE_LIMIT": "2 per minute"}


def from_address(address: str) -> dict:
    return {"environ_base": {"REMOTE_ADDR": address}}


def test_a_visitor_asking_for_too_many_letters_is_told_to_wait_in_their_language(seeded, client):
    client.post(f"/c/{OPEN_SLUG}/sign", data=form_data())
    assert [client.get(f"/c/{OPEN_SLUG}/letter.pdf").status_code for _ in range(2)] == [200, 200]

    refused = client.get(f"/c/{OPEN_SLUG}/letter.pdf", headers={"Accept-Language": "ko"})

    assert refused.status_code == 429
    assert "Retry-After" in refused.headers
    assert "짧은 시간에 너무 많이 요청하셨습니다" in refused.get_data(as_text=True)
    assert "Min-ji" not in refused.get_data(as_text=True)


def test_one_draft_cookie_replayed_from_many_addresses_is_limited_too(seeded, client):
    client.post(f"/c/{OPEN_SLUG}/sign", data=form_data())
    cookie = client.get_cookie("session").value
    statuses = []
    for n in range(4):
        replay = seeded.test_client()
        replay.set_cookie("session", cookie)
        statuses.append(
            replay.get(f"/c/{OPEN_SLUG}/letter.pdf", **from_address(f"10.0.0.{n}")).status_code
        )
    assert statuses == [200, 200, 429, 429]


def test_the_emailed_letter_link_is_limited_per_visitor(seeded, client):
    client.post(f"/c/{OPEN_SLUG}/sign", data=form_data())
    letter = links_in(queued_mail()[0].body)["letter"]
    statuses = [client.get(letter).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]


def test_the_campaign_pages_keep_answering_a_visitor_out_of_letters(seeded, client):
    client.post(f"/c/{OPEN_SLUG}/sign", data=form_data())
    for _ in range(3):
        client.get(f"/c/{OPEN_SLUG}/letter.pdf")
    assert client.get(f"/c/{OPEN_SLUG}").status_code == 200
