import subprocess

from tests.signing import OPEN_SLUG, form_data, links_in, queued_mail


def pdf_text(data: bytes) -> str:
    result = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
    )
    return " ".join(result.stdout.decode("utf-8").split())


def assert_is_a_private_download(response):
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="letter-{OPEN_SLUG}.pdf"'
    )


def test_right_after_signing_the_signer_downloads_their_letter(seeded, client):
    client.post(f"/c/{OPEN_SLUG}/sign", data=form_data(name="김민지", country="GB"))
    response = client.get(f"/c/{OPEN_SLUG}/letter.pdf")
    assert_is_a_private_download(response)
    text = pdf_text(response.data)
    assert "김민지" in text
    assert "min-ji@example.org" not in text
    assert "49-51 Portland Place" in text


def test_a_duplicate_signer_gets_a_letter_just_the_same(seeded, client):
    client.post(f"/c/{OPEN_SLUG}/sign", data=form_data())
    other = seeded.test_client()
    other.post(f"/c/{OPEN_SLUG}/sign", data=form_data(name="Another Name"))
    response = other.get(f"/c/{OPEN_SLUG}/letter.pdf")
    assert_is_a_private_download(response)
    assert "Another Name" in pdf_text(response.data)


def test_without_signing_there_is_no_letter_to_download(seeded, client):
    assert client.get(f"/c/{OPEN_SLUG}/letter.pdf").status_code == 404


def test_the_emailed_link_downloads_the_letter_again(seeded, client):
    client.post(f"/c/{OPEN_SLUG}/sign", data=form_data(name="王小明", language="zh"))
    letter = links_in(queued_mail()[0].body)["letter"]
    response = seeded.test_client().get(letter)
    assert_is_a_private_download(response)
    text = pdf_text(response.data)
    assert "王小明" in text
    # The stored signature holds the address; the letter never shows it.
    assert form_data()["email"] not in text


def test_after_withdrawal_the_letter_link_no_longer_works(seeded, client):
    client.post(f"/c/{OPEN_SLUG}/sign", data=form_data())
    links = links_in(queued_mail()[0].body)
    client.post(links["withdraw"])
    assert client.get(links["letter"]).status_code == 404
    assert client.get(f"/c/{OPEN_SLUG}/letter.pdf").status_code == 404


def test_the_letter_from_the_session_is_offered_only_for_a_while(seeded, client, monkeypatch):
    import time

    client.post(f"/c/{OPEN_SLUG}/sign", data=form_data())
    later = time.time() + seeded.config["LETTER_DRAFT_MINUTES"] * 60 + 1
    monkeypatch.setattr(time, "time", lambda: later)
    assert client.get(f"/c/{OPEN_SLUG}/letter.pdf").status_code == 404
    assert "Download your letter" not in client.get(f"/c/{OPEN_SLUG}/thanks").get_data(as_text=True)
