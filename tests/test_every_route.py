"""Every rule of the URL map, tried as a mail scanner, a link previewer or a
forger would: only a POST with a valid CSRF token may change anything, and no
Host or X-Forwarded-Host header ever reaches a page or a redirect.

The rules are read from the app itself, so a route added later is tried too;
a route with a new kind of argument fails below until it is given a value.
"""

import pytest
from sqlalchemy import select

from app.campaigns.models import Campaign
from app.database import utcnow
from app.extensions import db
from app.organizer import pack_jobs
from app.organizer import service as organizers
from app.organizer.delivery import campaign_recipient
from app.signatures import service as signatures
from app.signatures.models import PENDING
from tests.organizer.conftest import ALICE, CAMPAIGN_X, PASSWORD
from tests.signing import add_signature

FORGED_HOST = "evil.example"
QUERY = {"organizer.delivery_pdf": {"recipient": "unhcr"}}
NO_STATE_CHANGE_METHODS = ("HEAD", "OPTIONS", "PUT", "DELETE", "PATCH")


@pytest.fixture
def app_overrides():
    # PROXY_COUNT=1: the app believes one proxy's X-Forwarded-* headers, as in
    # production behind a reverse proxy, so a forged X-Forwarded-Host is tried too.
    return {"WTF_CSRF_ENABLED": True, "PROXY_COUNT": 1}


def csrf_token(client, path="/organizer/login") -> str:
    html = client.get(path).get_data(as_text=True)
    marker = 'name="csrf_token" type="hidden" value="'
    start = html.index(marker) + len(marker)
    return html[start : html.index('"', start)]


@pytest.fixture
def token(seeded):
    """The secret link of a pending signature on the campaign Alice runs."""
    signature = add_signature(CAMPAIGN_X, name="Pending Person", status=PENDING)
    token = signatures.issue_token(db.session, signature.id, days=30, now=utcnow())
    db.session.commit()
    return token


@pytest.fixture
def alice(seeded, client):
    """Logged in with a real CSRF token, so the organizer views themselves are reached."""
    organizers.create_organizer(db.session, ALICE, PASSWORD)
    organizers.grant(db.session, ALICE, CAMPAIGN_X, can_export_signatures=True)
    db.session.commit()
    response = client.post(
        "/organizer/login",
        data={"email": ALICE, "password": PASSWORD, "csrf_token": csrf_token(client)},
    )
    assert response.status_code == 302
    return client


@pytest.fixture
def pack_job_id(alice):
    """A delivery pack build of Alice's campaign, waiting for the worker."""
    campaign = db.session.scalar(select(Campaign).where(Campaign.slug == CAMPAIGN_X))
    job = pack_jobs.start_pack_job(
        db.session, campaign, campaign_recipient(campaign, "unhcr"), None
    )
    db.session.commit()
    return job.id


def urls(app, token, pack_job_id=0):
    """(rule, path, query) for every rule, its arguments filled with real values."""
    values = {
        "slug": CAMPAIGN_X,
        "token": token,
        "filename": "css/site.css",
        "job_id": pack_job_id,
    }
    for rule in app.url_map.iter_rules():
        missing = rule.arguments - values.keys()
        assert not missing, f"give {rule.rule} a value for {missing} in this test"
        path = app.url_map.bind("localhost").build(
            rule.endpoint, {name: values[name] for name in rule.arguments}
        )
        yield rule, path, QUERY.get(rule.endpoint, {})


def database_contents() -> dict:
    """Every row of every table, to compare before and after."""
    db.session.rollback()
    contents = {}
    for table in db.metadata.sorted_tables:
        rows = db.session.execute(select(table)).all()
        contents[table.name] = sorted(repr(tuple(row)) for row in rows)
    db.session.rollback()
    return contents


def test_no_request_but_a_post_with_a_csrf_token_changes_anything(app, alice, token, pack_job_id):
    before = database_contents()
    answers = {}
    for rule, path, query in urls(app, token, pack_job_id):
        for method in NO_STATE_CHANGE_METHODS:
            response = alice.open(path, method=method, query_string=query)
            answers[f"{method} {path}"] = response.status_code
        if "POST" in rule.methods:
            response = alice.post(path, query_string=query, data={"email": ALICE})
            answers[f"POST {path} without a CSRF token"] = response.status_code
            assert response.status_code == 400, path

    assert database_contents() == before
    assert not {request: code for request, code in answers.items() if code >= 500}


def test_a_head_request_never_confirms_or_withdraws_a_signature(app, client, token):
    for action in ("confirm", "withdraw"):
        assert client.head(f"/s/{token}/{action}").status_code == 200
    db.session.rollback()
    signature = signatures.find_by_token(db.session, token)
    assert signature is not None and signature.status == PENDING


def test_no_forged_host_reaches_a_page_or_a_redirect(app, alice, token, pack_job_id):
    seen = {}
    for rule, path, query in urls(app, token, pack_job_id):
        if "GET" not in rule.methods:
            continue
        response = alice.get(
            path,
            query_string=query,
            base_url=f"http://{FORGED_HOST}",
            headers={"X-Forwarded-Host": FORGED_HOST},
        )
        text = response.get_data(as_text=True) if response.mimetype.startswith("text") else ""
        if FORGED_HOST in text or FORGED_HOST in response.headers.get("Location", ""):
            seen[path] = response.status_code
    # Anonymous: the organizer pages redirect to the login page.
    anonymous = app.test_client()
    response = anonymous.get(
        f"/organizer/c/{CAMPAIGN_X}/",
        base_url=f"http://{FORGED_HOST}",
        headers={"X-Forwarded-Host": FORGED_HOST},
    )
    assert response.status_code == 302
    assert FORGED_HOST not in response.headers["Location"]
    assert seen == {}


def test_switching_the_sign_forms_language_changes_nothing_even_with_a_csrf_token(seeded, client):
    # The one POST with a valid token that must not change anything: it only
    # shows the form again, in another language.
    from tests.signing import form_data

    before = database_contents()
    token = csrf_token(client, f"/c/{CAMPAIGN_X}")
    response = client.post(
        f"/c/{CAMPAIGN_X}/sign/language",
        data=form_data(email="switcher@example.org", csrf_token=token, lang="ko"),
    )
    assert response.status_code == 200
    assert database_contents() == before
