"""Switching the language of a refused sign form keeps what was typed.

The switcher on that page is a button of the form itself: it sends the form,
with its CSRF token and a `lang` field, to /c/<slug>/sign/language, which shows
the same form and errors again in the other language and signs nothing.
"""

import logging
import re

import pytest

from tests.signing import OPEN_SLUG, form_data, queued_mail

SWITCH = f"/c/{OPEN_SLUG}/sign/language"


@pytest.fixture
def app_overrides():
    return {"WTF_CSRF_ENABLED": True}


def html_of(response) -> str:
    return response.get_data(as_text=True)


def csrf_token_from(client) -> str:
    html = html_of(client.get(f"/c/{OPEN_SLUG}"))
    return html.split('name="csrf_token" type="hidden" value="', 1)[1].split('"', 1)[0]


def refused(client, **changes):
    """A sign form sent with a mistake in it, as the visitor sees it back."""
    data = form_data(csrf_token=csrf_token_from(client), **changes)
    response = client.post(f"/c/{OPEN_SLUG}/sign", data=data)
    assert response.status_code == 422
    return data, html_of(response)


def test_the_refused_form_switches_language_with_buttons_of_the_form_itself(seeded, client):
    _, html = refused(client, email="not an address")
    assert 'id="sign-form"' in html
    switcher = html[html.index('class="language-switcher"') : html.index("</nav>")]
    assert re.search(
        r'<button [^>]*type="submit" form="sign-form"'
        r' formaction="/c/stop-forced-returns/sign/language" formnovalidate'
        r' name="lang" value="ko" lang="ko">한국어</button>',
        switcher,
    )
    # No link that would drop what was typed, nor any address carrying it.
    assert "href=" not in switcher
    assert "min-ji" not in switcher.lower()


def test_the_switched_form_keeps_what_was_typed_and_shows_the_errors_in_korean(seeded, client):
    data, _ = refused(client, email="not an address", message="Free them.")
    response = client.post(SWITCH, data={**data, "lang": "ko"})
    html = html_of(response)

    assert response.status_code == 200
    assert '<html lang="ko">' in html
    assert re.search(r"<title>오류: ", html)
    assert "입력 내용을 확인해 주세요" in html
    korean_error = "name@example.org와 같은 올바른 형식의 이메일 주소를 입력하세요."
    assert f'<a href="#email">{korean_error}</a>' in html
    assert 'value="Kim Min-ji"' in html and 'value="not an address"' in html
    assert re.search(r">\s*Free them.</textarea>", html)
    assert 'value="KR" selected' in html or 'selected value="KR"' in html
    assert response.headers["Cache-Control"] == "no-store"
    # Switching back posts the form again, to English.
    assert 'name="lang" value="en" lang="en">English</button>' in html


def test_switching_signs_nothing_and_sends_no_mail_even_when_the_form_is_valid(seeded, client):
    data = form_data(csrf_token=csrf_token_from(client))
    response = client.post(SWITCH, data={**data, "lang": "ko"})
    html = html_of(response)
    assert response.status_code == 200
    assert "error-summary" not in html and not re.search(r"<title>오류", html)
    assert 'value="Kim Min-ji"' in html
    assert queued_mail() == []
    assert client.get(f"/c/{OPEN_SLUG}/letter.pdf").status_code == 404


def test_the_language_cookie_is_set_only_when_the_switch_is_accepted(seeded, client):
    data, _ = refused(client, name="")
    without_token = {key: value for key, value in data.items() if key != "csrf_token"}

    bad = client.post(SWITCH, data={**without_token, "lang": "ko"})
    assert bad.status_code == 400
    assert "lang=" not in bad.headers.get("Set-Cookie", "")
    assert '<html lang="en">' in html_of(client.get("/"))

    unknown = client.post(SWITCH, data={**data, "lang": "fr"})
    assert unknown.status_code == 400
    assert "lang=" not in unknown.headers.get("Set-Cookie", "")

    accepted = client.post(SWITCH, data={**data, "lang": "ko"})
    assert accepted.status_code == 200
    assert "lang=ko" in accepted.headers["Set-Cookie"]
    assert '<html lang="ko">' in html_of(client.get("/"))


def test_the_typed_details_reach_no_log(seeded, client, caplog):
    caplog.set_level(logging.DEBUG)
    data, _ = refused(client, email="secret-person@example.org", name="Secret Person", consent=None)
    client.post(SWITCH, data={**data, "lang": "ko"})
    assert "secret-person" not in caplog.text.lower()
    assert "Secret Person" not in caplog.text


def test_a_switch_for_an_unknown_campaign_is_a_404(seeded, client):
    data, _ = refused(client, name="")
    response = client.post("/c/no-such-campaign/sign/language", data={**data, "lang": "ko"})
    assert response.status_code == 404


def test_a_campaign_page_opened_without_a_submit_keeps_plain_language_links(seeded, client):
    html = html_of(client.get(f"/c/{OPEN_SLUG}"))
    assert f'href="/c/{OPEN_SLUG}?lang=ko"' in html
    assert 'name="lang"' not in html
