from tests.signing import OPEN_SLUG, add_signature


def test_the_campaign_page_names_only_confirmed_signers_who_chose_to_be_shown(seeded, client):
    add_signature(name="Shown Signer", show_name=True, city="Hidden Town")
    add_signature(name="Private Signer", show_name=False)
    add_signature(name="Pending Signer", show_name=True, status="pending")

    html = client.get(f"/c/{OPEN_SLUG}").get_data(as_text=True)

    assert "Shown Signer" in html
    assert "Private Signer" not in html
    assert "Pending Signer" not in html
    assert "Hidden Town" not in html


def test_with_no_one_shown_there_is_no_list(seeded, client):
    html = client.get(f"/c/{OPEN_SLUG}").get_data(as_text=True)
    assert "Recent signers" not in html
