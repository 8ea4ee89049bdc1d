from datetime import timedelta

from sqlalchemy import select

from app.database import utcnow
from app.signatures.models import Signature, SignatureToken
from tests.signing import (
    OPEN_SLUG,
    form_data,
    fresh_session,
    links_in,
    queued_mail,
    text_anywhere_in_the_database,
)


def sign_and_get_links(client, **changes) -> dict[str, str]:
    client.post(f"/c/{OPEN_SLUG}/sign", data=form_data(**changes))
    email = form_data(**changes)["email"]
    return links_in(queued_mail(email)[-1].body)


def counted(client) -> int:
    return client.get(f"/c/{OPEN_SLUG}/counts.json").get_json()["total"]


def test_opening_the_confirmation_link_shows_a_button_and_confirms_nothing(seeded, client):
    links = sign_and_get_links(client)
    response = client.get(links["confirm"])
    assert response.status_code == 200
    assert "Confirm my signature" in response.get_data(as_text=True)
    assert fresh_session().scalar(select(Signature)).status == "pending"
    assert counted(client) == 0


def test_pressing_the_button_confirms_and_the_count_goes_up(seeded, client):
    links = sign_and_get_links(client)
    response = client.post(links["confirm"])
    assert response.status_code == 303
    signature = fresh_session().scalar(select(Signature))
    assert signature.status == "confirmed" and signature.confirmed_at is not None
    assert counted(client) == 1


def test_confirming_twice_counts_once(seeded, client):
    links = sign_and_get_links(client)
    client.post(links["confirm"])
    client.post(links["confirm"])
    assert counted(client) == 1
    assert "already confirmed" in client.get(links["confirm"]).get_data(as_text=True)


def test_a_pending_signature_is_not_counted(seeded, client):
    sign_and_get_links(client)
    assert counted(client) == 0
    html = client.get(f"/c/{OPEN_SLUG}").get_data(as_text=True)
    assert "<strong>0</strong>" in html


def test_withdrawing_removes_the_signature_from_the_count_and_erases_its_data(seeded, client):
    links = sign_and_get_links(client, message="Please act.")
    client.post(links["confirm"])
    assert counted(client) == 1

    assert "Withdraw my signature" in client.get(links["withdraw"]).get_data(as_text=True)
    response = client.post(links["withdraw"])

    assert response.status_code == 303
    assert counted(client) == 0
    signature = fresh_session().scalar(select(Signature))
    assert signature.status == "withdrawn"
    assert (signature.name, signature.email, signature.email_canonical) == (None, None, None)
    assert (signature.city, signature.country, signature.message) == (None, None, None)
    assert fresh_session().scalars(select(SignatureToken)).all() == []


def test_after_withdrawing_the_links_no_longer_work(seeded, client):
    links = sign_and_get_links(client)
    client.post(links["withdraw"])
    for path in (links["confirm"], links["withdraw"]):
        response = client.get(path)
        assert response.status_code == 404
        assert "This link does not work" in response.get_data(as_text=True)


def test_after_withdrawing_the_person_may_sign_again(seeded, client):
    links = sign_and_get_links(client)
    client.post(links["withdraw"])
    sign_and_get_links(client)
    statuses = sorted(s.status for s in fresh_session().scalars(select(Signature)))
    assert statuses == ["pending", "withdrawn"]


def expire_links():
    session = fresh_session()
    for token in session.scalars(select(SignatureToken)):
        token.expires_at = utcnow() - timedelta(seconds=1)
    session.commit()


def test_an_expired_link_no_longer_confirms(seeded, client):
    links = sign_and_get_links(client)
    expire_links()
    assert client.get(links["confirm"]).status_code == 404
    assert client.post(links["confirm"]).status_code == 404
    assert counted(client) == 0


def test_an_expired_link_still_withdraws_and_downloads_the_letter(seeded, client):
    links = sign_and_get_links(client)
    client.post(links["confirm"])
    expire_links()
    assert client.get(links["letter"]).status_code == 200
    assert client.post(links["withdraw"]).status_code == 303
    assert counted(client) == 0


def test_an_unknown_token_is_a_clear_404(seeded, client):
    response = client.get("/s/not-a-real-token/confirm")
    assert response.status_code == 404
    assert "This link does not work" in response.get_data(as_text=True)


def test_tokens_are_stored_only_as_hashes(seeded, client):
    links = sign_and_get_links(client)
    token = links["confirm"].split("/")[2]
    stored = fresh_session().scalar(select(SignatureToken))
    assert token not in stored.token_hash
    assert len(stored.token_hash) == 64


def test_a_duplicate_signer_gets_new_working_links_by_mail(seeded, client):
    sign_and_get_links(client)
    links = sign_and_get_links(client)
    assert client.post(links["confirm"]).status_code == 303
    assert counted(client) == 1


def test_withdrawal_leaves_no_signer_details_anywhere_in_the_database_outbox_included(
    seeded, client
):
    name, city, message = "Qorvath Idrelle", "Vexmoor", "unmistakable plea 7731"
    client.post(
        f"/c/{OPEN_SLUG}/sign",
        data=form_data(name=name, email="leaving@example.org", city=city, message=message),
    )
    client.post(f"/c/{OPEN_SLUG}/sign", data=form_data(email="leaving@example.org"))
    assert text_anywhere_in_the_database(name, "leaving@example.org")  # the check can see them
    links = links_in(queued_mail()[0].body)

    client.post(links["withdraw"])

    assert text_anywhere_in_the_database(name, city, message, "leaving@example.org") == []
