"""Request hardening and response headers (app/security.py)."""

import pytest

from app import create_app
from app.extensions import db
from app.organizer import service as organizers
from app.organizer.views import safe_next
from tests.conftest import make_app
from tests.organizer.conftest import ALICE, CAMPAIGN_X, PASSWORD
from tests.signing import OPEN_SLUG, form_data, links_in, queued_mail


@pytest.fixture
def alice(seeded, client):
    organizers.create_organizer(db.session, ALICE, PASSWORD)
    organizers.grant(db.session, ALICE, CAMPAIGN_X, can_export_signatures=True)
    db.session.commit()
    assert (
        client.post("/organizer/login", data={"email": ALICE, "password": PASSWORD}).status_code
        == 302
    )
    return client


# Bad input in the URL: a 4xx, never a 500 (PostgreSQL refuses NUL in text).
@pytest.mark.parametrize(
    "path",
    [
        "/c/%00",
        "/c/%00/counts.json",
        "/c/%00/thanks",
        "/c/%00/letter.pdf",
        "/c/stop%00forced/sign",
        "/s/%00/confirm",
        "/s/%00/letter.pdf",
        "/organizer/c/%00/",
        "/organizer/c/%00/counts.csv",
        f"/organizer/c/{CAMPAIGN_X}/delivery.pdf?recipient=%00",
        "/?lang=%00",
        "/c/%0d%0a",
    ],
)
def test_a_control_character_in_the_url_is_a_4xx_never_a_500(alice, path):
    method = "POST" if path.endswith("/sign") else "GET"
    response = alice.open(path, method=method)
    assert 400 <= response.status_code < 500, response.status_code


def test_a_next_holding_a_line_break_is_a_4xx_never_a_500(seeded, client, alice):
    alice.post("/organizer/logout")
    response = alice.post(
        "/organizer/login?next=/organizer/%0d%0aSet-Cookie:%20x=y",
        data={"email": ALICE, "password": PASSWORD},
    )
    assert 400 <= response.status_code < 500


@pytest.mark.parametrize(
    "target",
    ["/organizer/\r\n", "/organizer/\\evil.example", "/organizer//evil.example", "/elsewhere/"],
)
def test_login_ignores_a_next_that_is_not_a_plain_organizer_path(target):
    assert safe_next(target) is None


def test_login_follows_a_plain_organizer_path_with_its_query():
    target = f"/organizer/c/{CAMPAIGN_X}/delivery.pdf?recipient=unhcr"
    assert safe_next(target) == target


def test_production_pages_tell_browsers_to_use_https_only(database_url, monkeypatch):
    for name, value in {
        "SECRET_KEY": "a-real-secret",
        "DATABASE_URL": database_url,
        "PUBLIC_BASE_URL": "https://petitions.example.org",
        "REDIS_URL": "redis://127.0.0.1:6379/15",
    }.items():
        monkeypatch.setenv(name, value)
    production = create_app("production")
    with production.app_context():
        response = production.test_client().get("/")
        db.engine.dispose()
    assert response.status_code == 200
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000"


def test_development_and_test_pages_send_no_hsts(app, client):
    assert "Strict-Transport-Security" not in client.get("/").headers


def no_store(response) -> bool:
    return response.headers.get("Cache-Control") == "no-store"


def test_the_sign_form_echoing_what_was_typed_is_never_cached(seeded, client):
    response = client.post(f"/c/{OPEN_SLUG}/sign", data=form_data(email="not an address"))
    assert response.status_code == 422
    assert "Kim Min-ji" in response.get_data(as_text=True)
    assert no_store(response)


def test_the_thank_you_confirm_and_withdraw_pages_are_never_cached(seeded, client):
    response = client.post(f"/c/{OPEN_SLUG}/sign", data=form_data())
    assert no_store(client.get(response.headers["Location"]))
    links = links_in(queued_mail(form_data()["email"])[0].body)
    assert no_store(client.get(links["confirm"]))
    assert no_store(client.get(links["withdraw"]))


def test_every_organizer_page_is_never_cached(alice):
    for page in ("/organizer/", f"/organizer/c/{CAMPAIGN_X}/", "/organizer/login"):
        assert no_store(alice.get(page)), page


def test_a_public_campaign_page_may_be_cached(seeded, client):
    assert not no_store(client.get(f"/c/{OPEN_SLUG}"))


def test_the_language_cookie_is_secure_when_the_session_cookie_is(database_url):
    secure = make_app(database_url, SESSION_COOKIE_SECURE=True)
    with secure.app_context():
        cookie = secure.test_client().get("/?lang=ko").headers["Set-Cookie"]
        db.engine.dispose()
    assert cookie.startswith("lang=ko;")
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
