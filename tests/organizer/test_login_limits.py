"""The login form's rate limit and its CSRF protection."""

import pytest

from tests.organizer.conftest import ALICE, log_in


@pytest.fixture
def app_overrides():
    return {
        "ORGANIZER_LOGIN_RATE_LIMIT": "3 per 15 minutes",
        "WTF_CSRF_ENABLED": True,
        "PROXY_COUNT": 1,  # so each X-Forwarded-For below is a visitor of its own
    }


def csrf_token(client) -> str:
    html = client.get("/organizer/login").get_data(as_text=True)
    marker = 'name="csrf_token" type="hidden" value="'
    start = html.index(marker) + len(marker)
    return html[start : html.index('"', start)]


def test_a_login_post_without_a_csrf_token_is_refused(organizers, client):
    response = log_in(client, ALICE)
    assert response.status_code == 400
    assert client.get("/organizer/").status_code == 302


def test_a_login_post_with_the_csrf_token_succeeds(organizers, client):
    token = csrf_token(client)
    response = client.post(
        "/organizer/login",
        data={"email": ALICE, "password": "correct horse battery staple", "csrf_token": token},
    )
    assert response.status_code == 302


def test_login_attempts_are_limited_with_a_429_page(organizers, client):
    token = csrf_token(client)
    data = {"email": ALICE, "password": "a wrong password", "csrf_token": token}
    for _ in range(3):
        assert client.post("/organizer/login", data=data).status_code == 200
    response = client.post("/organizer/login", data=data)
    assert response.status_code == 429
    assert "Too many attempts" in response.get_data(as_text=True)
    # Even the right password waits now.
    data["password"] = "correct horse battery staple"
    assert client.post("/organizer/login", data=data).status_code == 429


def test_changing_address_does_not_buy_more_guesses_at_one_account(organizers, client):
    token = csrf_token(client)
    data = {"email": ALICE, "password": "a wrong password", "csrf_token": token}
    statuses = [
        client.post(
            "/organizer/login", data=data, headers={"X-Forwarded-For": f"203.0.113.{i}"}
        ).status_code
        for i in range(4)
    ]
    assert statuses == [200, 200, 200, 429]
