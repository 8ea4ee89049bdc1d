"""Request hardening and response headers (app/security.py)."""

import pytest

from app.extensions import db
from app.organizer import service as organizers
from app.organizer.views import safe_next
from tests.organizer.conftest import ALICE, CAMPAIGN_X, PASSWORD


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
