"""An organizer's session ends on the server: a cookie copied before logout,
deactivation or a password change opens nothing afterwards."""

import pytest

from app.extensions import db
from app.organizer import service
from tests.organizer.conftest import ALICE, CAMPAIGN_X, PASSWORD, log_in

NEW_PASSWORD = "violet tundra lantern quietly"
PAGES = (
    "/organizer/",
    f"/organizer/c/{CAMPAIGN_X}/",
    f"/organizer/c/{CAMPAIGN_X}/counts.csv",
    f"/organizer/c/{CAMPAIGN_X}/signatures.csv",
)


def copied_session(app, client):
    """Another browser holding a copy of `client`'s session cookie."""
    thief = app.test_client()
    thief.set_cookie("session", client.get_cookie("session").value)
    return thief


def assert_sent_to_login(client):
    for page in PAGES:
        response = client.get(page)
        assert response.status_code == 302, page
        assert response.headers["Location"].startswith("/organizer/login"), page


def test_a_copied_session_works_while_the_organizer_is_logged_in(app, alice):
    thief = copied_session(app, alice)
    assert thief.get(f"/organizer/c/{CAMPAIGN_X}/counts.csv").status_code == 200


def test_a_session_saved_before_logout_opens_nothing_afterwards(app, alice):
    thief = copied_session(app, alice)
    assert alice.post("/organizer/logout").status_code == 302
    assert_sent_to_login(thief)
    assert_sent_to_login(alice)


def test_logging_in_again_does_not_revive_a_session_saved_before_logout(app, alice, client):
    thief = copied_session(app, alice)
    alice.post("/organizer/logout")
    assert log_in(client, ALICE).status_code == 302
    assert client.get("/organizer/").status_code == 200
    assert_sent_to_login(thief)


def test_a_session_saved_before_deactivation_opens_nothing_afterwards(app, alice, runner):
    thief = copied_session(app, alice)
    result = runner.invoke(args=["organizer", "deactivate", ALICE])
    assert result.exit_code == 0, result.output
    assert_sent_to_login(thief)


def test_a_session_saved_before_a_password_change_opens_nothing_afterwards(app, alice, runner):
    thief = copied_session(app, alice)
    result = runner.invoke(
        args=["organizer", "set-password", ALICE], input=f"{NEW_PASSWORD}\n{NEW_PASSWORD}\n"
    )
    assert result.exit_code == 0, result.output
    assert NEW_PASSWORD not in result.output
    assert_sent_to_login(thief)
    assert_sent_to_login(alice)
    assert log_in(app.test_client(), ALICE, PASSWORD).status_code == 200  # refused
    assert log_in(app.test_client(), ALICE, NEW_PASSWORD).status_code == 302


def test_set_password_refuses_a_weak_password_and_changes_nothing(organizers, runner):
    result = runner.invoke(
        args=["organizer", "set-password", ALICE], input="aaaaaaaaaaaa\naaaaaaaaaaaa\n"
    )
    assert result.exit_code != 0
    assert "too easy to guess" in result.output
    assert service.authenticate(db.session, ALICE, PASSWORD) is not None


def test_set_password_names_an_unknown_organizer(organizers, runner):
    result = runner.invoke(
        args=["organizer", "set-password", "nobody@example.org"],
        input=f"{NEW_PASSWORD}\n{NEW_PASSWORD}\n",
    )
    assert result.exit_code != 0
    assert "No organizer nobody@example.org" in result.output


@pytest.mark.parametrize("header", ["X-Forwarded-For", "User-Agent"])
def test_a_session_does_not_depend_on_headers_the_client_chooses(organizers, client, header):
    """Flask-Login's "strong" protection hashed a raw X-Forwarded-For and the
    User-Agent: anyone could set both to the victim's. The session version on
    the server is what ends sessions; these headers change nothing."""
    response = client.post(
        "/organizer/login",
        data={"email": ALICE, "password": PASSWORD},
        headers={header: "198.51.100.7"},
    )
    assert response.status_code == 302
    assert client.get("/organizer/", headers={header: "203.0.113.9"}).status_code == 200
