"""The login form's rate limit and its CSRF protection."""

import pytest

from tests.organizer.conftest import ALICE, PASSWORD, log_in


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


def attempt(client, token, password, address):
    return client.post(
        "/organizer/login",
        data={"email": ALICE, "password": password, "csrf_token": token},
        headers={"X-Forwarded-For": address},
    ).status_code


def test_a_correct_password_from_a_new_address_logs_in_while_the_account_is_attacked(
    organizers, client
):
    token = csrf_token(client)
    attacks = [attempt(client, token, f"wrong guess {i}", "203.0.113.1") for i in range(4)]
    assert attacks == [200, 200, 200, 429]
    assert attempt(client, token, PASSWORD, "198.51.100.20") == 302


def test_an_address_that_failed_at_an_account_under_attack_waits_even_with_the_right_password(
    organizers, client
):
    token = csrf_token(client)
    # Three failures from three addresses: the account has had its limit.
    for i in range(3):
        assert attempt(client, token, "a wrong password", f"203.0.113.{i}") == 200
    # Each of those addresses now waits, whatever it sends.
    for i in range(3):
        assert attempt(client, token, PASSWORD, f"203.0.113.{i}") == 429
    # A new address gets one try: once it fails, it waits too.
    assert attempt(client, token, "another wrong one", "203.0.113.50") == 200
    assert attempt(client, token, PASSWORD, "203.0.113.50") == 429


def test_successful_logins_do_not_count_against_the_account(organizers, client):
    token = csrf_token(client)
    for i in range(5):
        assert attempt(client, token, PASSWORD, f"198.51.100.{i}") == 302
        client.post("/organizer/logout", data={"csrf_token": csrf_token(client)})
        token = csrf_token(client)
    assert attempt(client, token, PASSWORD, "198.51.100.99") == 302


@pytest.mark.parametrize("email", ["@", "alice\x00@example.org", "alice@@example.org"])
def test_a_login_email_in_the_wrong_format_is_refused_with_the_sign_forms_message(
    organizers, client, email
):
    response = client.post(
        "/organizer/login",
        data={"email": email, "password": PASSWORD, "csrf_token": csrf_token(client)},
    )
    assert response.status_code == 422
    assert "Enter an email address in the right format" in response.get_data(as_text=True)
