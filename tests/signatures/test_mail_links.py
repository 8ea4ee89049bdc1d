"""The links in a signer's mail come from PUBLIC_BASE_URL, never from the request."""

import pytest

from tests.signing import OPEN_SLUG, form_data, links_in, queued_mail

FORGED = "evil.example"


@pytest.fixture
def app_overrides():
    # Behind one proxy, as in production: X-Forwarded-* headers are believed.
    return {"PROXY_COUNT": 1}


def sign_with_forged_host(client, **changes):
    return client.post(
        f"/c/{OPEN_SLUG}/sign",
        data=form_data(**changes),
        base_url=f"http://{FORGED}",
        headers={"X-Forwarded-Host": FORGED, "X-Forwarded-Proto": "http"},
    )


def test_a_forged_host_never_reaches_the_confirmation_mail(seeded, client):
    assert sign_with_forged_host(client).status_code == 303
    (mail,) = queued_mail(form_data()["email"])
    assert FORGED not in mail.body
    links = links_in(mail.body)
    assert set(links) == {"confirm", "letter", "withdraw"}
    base = seeded.config["PUBLIC_BASE_URL"]
    for kind in ("confirm", "letter.pdf", "withdraw"):
        assert f"{base}/s/" in mail.body and f"/{kind}" in mail.body


def test_a_forged_host_never_reaches_the_already_signed_mail(seeded, client):
    client.post(f"/c/{OPEN_SLUG}/sign", data=form_data())
    response = sign_with_forged_host(client)
    assert response.status_code == 303
    assert FORGED not in response.headers["Location"]
    first, again = queued_mail(form_data()["email"])
    assert "already" in again.subject
    assert FORGED not in again.body
    assert again.body.count(seeded.config["PUBLIC_BASE_URL"] + "/s/") == 3
