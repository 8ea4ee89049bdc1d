"""Who may see what: login, logout, sessions and the grants."""

import pytest

from tests.organizer.conftest import ALICE, CAMPAIGN_X, CAMPAIGN_Y, PASSWORD, log_in

CAMPAIGN_ROUTES = (
    "",
    "counts.csv",
    "counts.json",
    "signatures.csv",
    "delivery.pdf?recipient=unhcr",
)


def test_the_login_page_has_a_form(app, client):
    response = client.get("/organizer/login")
    assert response.status_code == 200
    assert 'name="email"' in response.get_data(as_text=True)


def test_an_anonymous_visitor_is_sent_to_the_login_page(organizers, client):
    for path in ["/organizer/"] + [f"/organizer/c/{CAMPAIGN_X}/{r}" for r in CAMPAIGN_ROUTES]:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response.headers["Location"].startswith("/organizer/login"), path


def test_a_wrong_password_is_refused_with_the_same_message_as_an_unknown_email(organizers, client):
    wrong_password = log_in(client, ALICE, "not the password at all").get_data(as_text=True)
    unknown_email = log_in(client, "nobody@example.org").get_data(as_text=True)
    assert "The email address or password is not right." in wrong_password
    assert "The email address or password is not right." in unknown_email
    assert client.get("/organizer/").status_code == 302


def test_an_organizer_sees_their_campaigns_and_not_the_others(alice):
    html = alice.get("/organizer/").get_data(as_text=True)
    assert f"/organizer/c/{CAMPAIGN_X}/" in html
    assert f"/organizer/c/{CAMPAIGN_Y}/" not in html


@pytest.mark.parametrize("route", CAMPAIGN_ROUTES)
def test_a_campaign_not_granted_is_a_404_on_every_route(alice, route):
    # Granted: a page, or (delivery.pdf with no pack built yet) a redirect to one.
    assert alice.get(f"/organizer/c/{CAMPAIGN_X}/{route}").status_code in (200, 302)
    assert alice.get(f"/organizer/c/{CAMPAIGN_Y}/{route}").status_code == 404
    assert alice.get(f"/organizer/c/no-such-campaign/{route}").status_code == 404


def test_the_other_organizer_is_kept_out_of_the_first_ones_campaign(bob):
    assert bob.get(f"/organizer/c/{CAMPAIGN_Y}/").status_code == 200
    for route in CAMPAIGN_ROUTES:
        assert bob.get(f"/organizer/c/{CAMPAIGN_X}/{route}").status_code == 404, route


def test_a_grant_without_the_signatures_right_sees_counts_only(bob):
    base = f"/organizer/c/{CAMPAIGN_Y}/"
    assert "signatures.csv" not in bob.get(base).get_data(as_text=True)
    assert bob.get(base + "counts.csv").status_code == 200
    assert bob.get(base + "signatures.csv").status_code == 403
    assert bob.get(base + "delivery.pdf?recipient=unhcr").status_code == 403


def test_logging_out_ends_the_session(alice):
    assert alice.get("/organizer/").status_code == 200
    response = alice.post("/organizer/logout")
    assert response.status_code == 302
    response = alice.get(f"/organizer/c/{CAMPAIGN_X}/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/organizer/login")


def test_logging_in_starts_a_new_session(organizers, client):
    with client.session_transaction() as session:
        session["left_from_before"] = "yes"
    before = client.get_cookie("session").value
    log_in(client, ALICE)
    after = client.get_cookie("session").value
    assert after != before
    with client.session_transaction() as session:
        assert "left_from_before" not in session
        assert session["_user_id"]


def test_login_follows_next_only_inside_the_organizer_pages(organizers, client):
    response = client.post(
        f"/organizer/login?next=/organizer/c/{CAMPAIGN_X}/",
        data={"email": ALICE, "password": PASSWORD},
    )
    assert response.headers["Location"] == f"/organizer/c/{CAMPAIGN_X}/"
    client.post("/organizer/logout")
    response = client.post(
        "/organizer/login?next=//evil.example/organizer/",
        data={"email": ALICE, "password": PASSWORD},
    )
    assert response.headers["Location"] == "/organizer/"


def test_an_inactive_organizer_is_logged_out(alice):
    from sqlalchemy import select

    from app.extensions import db
    from app.organizer.models import Organizer

    db.session.scalar(select(Organizer).where(Organizer.email == ALICE)).active = False
    db.session.commit()
    assert alice.get("/organizer/").status_code == 302
