import logging

import pytest

from tests.signing import OPEN_SLUG, form_data, links_in, queued_mail

WINDOW_SECONDS = 60  # "per minute"


@pytest.fixture
def app_overrides():
    return {"SIGN_RATE_LIMIT": "3 per minute", "WTF_CSRF_ENABLED": True}


def csrf_token_from(client) -> str:
    html = client.get(f"/c/{OPEN_SLUG}").get_data(as_text=True)
    return html.split('name="csrf_token" type="hidden" value="', 1)[1].split('"', 1)[0]


def test_a_post_without_the_csrf_token_is_refused_and_nothing_is_stored(seeded, client):
    response = client.post(f"/c/{OPEN_SLUG}/sign", data=form_data())
    assert response.status_code == 400
    assert "The form could not be accepted" in response.get_data(as_text=True)
    assert queued_mail() == []


def test_a_post_with_the_csrf_token_is_accepted(seeded, client):
    token = csrf_token_from(client)
    response = client.post(f"/c/{OPEN_SLUG}/sign", data=form_data(csrf_token=token))
    assert response.status_code == 303


def test_the_confirm_button_needs_the_csrf_token_too(seeded, client):
    client.post(f"/c/{OPEN_SLUG}/sign", data=form_data(csrf_token=csrf_token_from(client)))
    confirm = links_in(queued_mail()[0].body)["confirm"]
    assert client.post(confirm).status_code == 400


def test_over_the_rate_limit_the_signer_gets_a_clear_429_page(seeded, client):
    token = csrf_token_from(client)
    statuses = [
        client.post(
            f"/c/{OPEN_SLUG}/sign", data=form_data(email=f"p{i}@example.org", csrf_token=token)
        ).status_code
        for i in range(4)
    ]
    assert statuses == [303, 303, 303, 429]
    response = client.post(f"/c/{OPEN_SLUG}/sign", data=form_data(csrf_token=token))
    assert "Too many attempts" in response.get_data(as_text=True)
    assert len(queued_mail()) == 3


def test_a_refused_signer_is_told_when_to_try_again_within_the_limits_window(seeded, client):
    token = csrf_token_from(client)
    for i in range(3):
        client.post(
            f"/c/{OPEN_SLUG}/sign", data=form_data(email=f"p{i}@example.org", csrf_token=token)
        )
    refused = client.post(f"/c/{OPEN_SLUG}/sign", data=form_data(csrf_token=token))
    assert refused.status_code == 429
    assert 0 < int(refused.headers["Retry-After"]) <= WINDOW_SECONDS


def test_secret_links_are_redacted_from_every_log(seeded, caplog):
    caplog.set_level(logging.INFO)
    access = logging.getLogger("gunicorn.access")
    access.info('%s "%s" %s', "127.0.0.1", "GET /s/abc123/confirm HTTP/1.1", "200")
    access.info("%(r)s %(s)s", {"r": "GET /s/def456/withdraw HTTP/1.1", "s": "200"})
    logging.getLogger("app").error("Exception on /s/ghi789/letter.pdf [GET]")
    for secret in ("abc123", "def456", "ghi789"):
        assert secret not in caplog.text
    assert caplog.text.count("/s/[redacted]/") == 3


def test_nothing_a_signer_typed_is_logged(seeded, client, caplog):
    caplog.set_level(logging.DEBUG)
    client.post(f"/c/{OPEN_SLUG}/sign", data=form_data(csrf_token=csrf_token_from(client)))
    assert "min-ji@example.org" not in caplog.text
    assert "Kim Min-ji" not in caplog.text


def test_behind_a_proxy_each_visitor_has_their_own_rate_limit(seeded):
    from tests.conftest import make_app

    app = make_app(
        seeded.config["SQLALCHEMY_DATABASE_URI"], PROXY_COUNT=1, SIGN_RATE_LIMIT="1 per minute"
    )
    client = app.test_client()

    def sign_from(address, email):
        return client.post(
            f"/c/{OPEN_SLUG}/sign",
            data=form_data(email=email),
            headers={"X-Forwarded-For": address},
        ).status_code

    assert sign_from("203.0.113.1", "a@example.org") == 303
    assert sign_from("203.0.113.1", "b@example.org") == 429
    assert sign_from("203.0.113.2", "c@example.org") == 303
