"""The letter as a page: what the PDF says, to read and print from the browser.

Opened from the thank-you page (the signer's own session) or from the emailed
link; never cached, limited like the PDFs, with nothing personal in its address.
"""

import re
import subprocess
from html import unescape

import pytest

from app.letters.preview import letter_body
from tests.signing import OPEN_SLUG, form_data, links_in, queued_mail

PREVIEW = f"/c/{OPEN_SLUG}/letter"


@pytest.fixture
def app_overrides():
    return {"LETTER_RATE_LIMIT": "3 per minute"}


def html_of(response) -> str:
    return response.get_data(as_text=True)


def words_of(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def sheet_of(html: str) -> str:
    start = html.index('<article class="letter-sheet')
    return html[start : html.index("</article>", start)]


def pdf_words(data: bytes) -> str:
    text = subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True)
    return " ".join(text.stdout.decode("utf-8").split())


def test_the_thank_you_page_offers_the_letter_page_beside_the_pdf(seeded, client):
    client.post(f"/c/{OPEN_SLUG}/sign", data=form_data())
    html = html_of(client.get(f"/c/{OPEN_SLUG}/thanks"))
    buttons = html[html.index('class="letter-action__buttons"') :]
    buttons = buttons[: buttons.index("</p>")]
    assert f'href="/c/{OPEN_SLUG}/letter.pdf"' in buttons
    assert f'href="{PREVIEW}">See and print your letter</a>' in buttons


def test_the_letter_page_shows_the_signers_letter_and_is_never_cached(seeded, client):
    client.post(
        f"/c/{OPEN_SLUG}/sign",
        data=form_data(name="Kim Min-ji", city="Busan", country="GB", message="Free them."),
    )
    response = client.get(PREVIEW)
    html = html_of(response)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    sheet = words_of(sheet_of(html))
    assert "Kim Min-ji" in sheet and "Busan" in sheet and "Free them." in sheet
    assert "49-51 Portland Place" in sheet
    assert "min-ji@example.org" not in html
    assert '<article class="letter-sheet letter-sheet--a4" lang="en">' in html
    assert f'href="/c/{OPEN_SLUG}/letter.pdf" download' in html
    assert "css/letter.css" in html


def test_the_letter_page_says_what_the_pdf_says(seeded, client):
    client.post(f"/c/{OPEN_SLUG}/sign", data=form_data(message="Please let them go."))
    sheet = words_of(sheet_of(html_of(client.get(PREVIEW))))
    pdf = pdf_words(client.get(f"/c/{OPEN_SLUG}/letter.pdf").data)
    # Every word of the PDF is on the page; only the numbers of its lists
    # ("3." before a source) are drawn by the browser rather than written.
    pdf = re.sub(r"(?<!\S)\d+\.(?=\s)", " ", pdf)
    sheet_words = set(re.findall(r"[\w'’-]+", sheet))
    missing = set(re.findall(r"[\w'’-]+", pdf)) - sheet_words
    assert missing == set()
    assert len(sheet_words) > 100


def test_a_korean_letter_is_shown_in_korean_within_a_korean_interface(seeded, client):
    client.get("/?lang=ko")
    client.post(f"/c/{OPEN_SLUG}/sign", data=form_data(name="김민지", language="ko", country="KR"))
    html = html_of(client.get(PREVIEW))
    assert '<html lang="ko">' in html
    assert "<h1>나의 편지</h1>" in html
    assert 'lang="ko">' in sheet_of(html)[:80]
    assert "김민지" in sheet_of(html)
    assert '<span class="kw">' not in html  # browsers keep Korean words whole themselves


def test_a_chinese_letter_and_a_us_letter_page(seeded, client):
    client.post(f"/c/{OPEN_SLUG}/sign", data=form_data(language="zh", country="US"))
    sheet = sheet_of(html_of(client.get(PREVIEW)))
    assert sheet.startswith('<article class="letter-sheet letter-sheet--letter" lang="zh">')


def test_without_a_signature_in_this_browser_there_is_no_letter_page(seeded, client):
    assert client.get(PREVIEW).status_code == 404
    other = seeded.test_client()
    client.post(f"/c/{OPEN_SLUG}/sign", data=form_data())
    assert other.get(PREVIEW).status_code == 404


def test_the_emailed_link_opens_the_letter_page_from_the_confirm_page(seeded, client):
    client.post(f"/c/{OPEN_SLUG}/sign", data=form_data(name="Link Signer"))
    links = links_in(queued_mail()[0].body)
    token_path = links["letter"].removesuffix(".pdf")
    confirm = html_of(seeded.test_client().get(links["confirm"]))
    assert f'href="{token_path}">See and print your letter</a>' in confirm

    response = seeded.test_client().get(token_path)
    html = html_of(response)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert "Link Signer" in sheet_of(html)
    assert f'href="{links["letter"]}" download' in html
    assert f'href="/c/{OPEN_SLUG}">Back to the campaign</a>' in html


def test_a_wrong_or_withdrawn_link_opens_no_letter(seeded, client):
    assert client.get("/s/not-a-token/letter").status_code == 404
    client.post(f"/c/{OPEN_SLUG}/sign", data=form_data(name="Leaving Signer"))
    links = links_in(queued_mail()[0].body)
    client.post(links["withdraw"])
    response = client.get(links["letter"].removesuffix(".pdf"))
    assert response.status_code == 404
    assert "Leaving Signer" not in html_of(response)


def test_letter_pages_count_against_the_same_limit_as_the_pdfs(seeded, client):
    client.post(f"/c/{OPEN_SLUG}/sign", data=form_data())
    statuses = [
        client.get(PREVIEW).status_code,
        client.get(f"/c/{OPEN_SLUG}/letter.pdf").status_code,
        client.get(PREVIEW).status_code,
        client.get(PREVIEW).status_code,
        client.get(f"/c/{OPEN_SLUG}/letter.pdf").status_code,
    ]
    assert statuses == [200, 200, 200, 429, 429]


def test_the_body_of_a_letter_is_what_its_document_holds_inside_body():
    html = (
        '<!doctype html><html lang="en"><head><style>p{}</style></head>'
        "<body>\n<p>Hi</p>\n</body></html>"
    )
    assert letter_body(html) == "<p>Hi</p>"
    with pytest.raises(ValueError):
        letter_body("<p>no body</p>")
