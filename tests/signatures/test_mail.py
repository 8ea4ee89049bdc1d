"""Each signer's mail carries their own name and their own links, in their language."""

from tests.signing import OPEN_SLUG, form_data, links_in, queued_mail


def sign(client, path=f"/c/{OPEN_SLUG}/sign", **changes):
    response = client.post(path, data=form_data(**changes))
    assert response.status_code == 303


def test_signers_one_after_another_each_get_only_their_own_name_and_links(seeded, client):
    sign(client, name="Kim Min-ji", email="min-ji@example.org")
    sign(client, name="Park Ji-ho", email="ji-ho@example.org")

    [first] = queued_mail("min-ji@example.org")
    [second] = queued_mail("ji-ho@example.org")

    assert first.body.startswith("Hello Kim Min-ji,")
    assert second.body.startswith("Hello Park Ji-ho,")
    assert "Park Ji-ho" not in first.body and "Kim Min-ji" not in second.body
    assert (
        set(links_in(first.body))
        == set(links_in(second.body))
        == {
            "confirm",
            "letter",
            "withdraw",
        }
    )
    assert not set(links_in(first.body).values()) & set(links_in(second.body).values())


def test_a_korean_signer_and_an_english_one_each_get_the_mail_in_their_language(seeded, client):
    sign(client, path=f"/c/{OPEN_SLUG}/sign?lang=ko", name="김민지", email="ko@example.org")
    sign(client, name="Kim Min-ji", email="en@example.org")

    [korean] = queued_mail("ko@example.org")
    [english] = queued_mail("en@example.org")

    assert "김민지" in korean.body and "Hello" not in korean.body
    assert english.body.startswith("Hello Kim Min-ji,")
    assert "Confirm your signature" in english.subject
    assert korean.subject != english.subject


def test_a_repeat_signer_still_pending_is_sent_the_confirm_link_again(seeded, client):
    sign(client)
    sign(client, name="Someone Else")

    first, again = queued_mail("min-ji@example.org")

    assert again.body.startswith("Hello Kim Min-ji,")  # the name on file, not the one typed
    assert "Someone Else" not in again.body
    assert set(links_in(again.body)) == {"confirm", "letter", "withdraw"}
