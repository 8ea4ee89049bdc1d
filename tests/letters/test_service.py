from app.letters.service import download_headers, letter_file_name
from app.letters.signer import Signer

SIGNER = Signer(name="김영희", city="Seoul", country="KR", language="ko")


def test_the_file_name_comes_from_the_campaign_never_the_signer(world):
    campaigns, _ = world
    name = letter_file_name(campaigns["stop-forced-returns"])
    assert name == "letter-stop-forced-returns.pdf"
    assert name.isascii()


def test_the_download_is_an_attachment_that_no_cache_keeps():
    headers = download_headers("letter-stop-forced-returns.pdf")
    assert headers["Content-Disposition"] == 'attachment; filename="letter-stop-forced-returns.pdf"'
    assert headers["Cache-Control"] == "no-store"
    assert headers["Content-Type"] == "application/pdf"


def test_a_file_name_cannot_break_out_of_its_header():
    headers = download_headers('a"; filename=evil\r\n.pdf')
    assert headers["Content-Disposition"] == 'attachment; filename="a-filename-evil-.pdf"'
