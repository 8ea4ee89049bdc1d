"""The public pages' markup: form attributes, error pages, language links,
the Korean defaults, closed campaigns and the thank-you page."""

import re

from babel import Locale

from app.countries import COUNTRY_CODES, collation_key, country_choices
from tests.signing import OPEN_SLUG, add_signature, form_data

CLOSED_SLUG = "save-my-friend-2012"


def html_of(response) -> str:
    return response.get_data(as_text=True)


def test_untouched_fields_carry_no_none_attributes(seeded, client):
    html = html_of(client.get(f"/c/{OPEN_SLUG}"))
    assert '="None"' not in html
    assert "aria-invalid" not in html


def test_a_failed_submit_marks_only_the_wrong_fields_invalid_including_consent(seeded, client):
    response = client.post(f"/c/{OPEN_SLUG}/sign", data=form_data(email="nope", consent=None))
    html = html_of(response)
    assert response.status_code == 422
    assert '="None"' not in html
    invalid = set(re.findall(r'<(?:input|select|textarea)[^>]*aria-invalid="true"[^>]*>', html))
    ids = {re.search(r'\sid="([^"]+)"', tag).group(1) for tag in invalid}
    assert ids == {"email", "consent"}
    assert 'aria-describedby="consent-error"' in html


def test_a_failed_submit_is_titled_as_an_error_with_the_summary_first(seeded, client):
    html = html_of(client.post(f"/c/{OPEN_SLUG}/sign", data=form_data(name="")))
    assert re.search(r"<title>Error: ", html)
    summary = html.index('class="error-summary"')
    assert summary < html.index("<h1>") < html.index('id="sign"')
    assert "autofocus" in html[summary : summary + 200]
    assert '<a href="#name">Enter your name.</a>' in html


def test_the_language_link_on_a_refused_sign_post_opens_the_campaign_page(seeded, client):
    # A 400 has no form to send again (the refused form itself switches by
    # posting, see test_sign_form_language.py): its link opens a page that exists.
    response = client.post(f"/c/{OPEN_SLUG}/sign?x=%01", data=form_data(name=""))
    html = html_of(response)
    assert response.status_code == 400
    assert f'href="/c/{OPEN_SLUG}?lang=ko"' in html
    assert "/sign?lang=" not in html
    assert client.get(f"/c/{OPEN_SLUG}?lang=ko").status_code == 200


def test_a_refused_request_does_not_change_the_language(seeded, client):
    response = client.get(f"/c/{OPEN_SLUG}/sign?lang=ko")
    assert response.status_code == 405
    assert "lang=" not in response.headers.get("Set-Cookie", "")
    assert '<html lang="en">' in html_of(client.get("/"))


def test_the_letter_language_follows_the_korean_interface(seeded, client):
    korean = html_of(client.get(f"/c/{OPEN_SLUG}?lang=ko"))
    assert re.search(r'<option selected value="ko">|<option value="ko" selected>', korean)
    english = html_of(client.get(f"/c/{OPEN_SLUG}?lang=en"))
    assert re.search(r'<option selected value="en">|<option value="en" selected>', english)


def test_a_korean_signer_who_chose_english_keeps_english_after_an_error(seeded, client):
    html = html_of(
        client.post(f"/c/{OPEN_SLUG}/sign?lang=ko", data=form_data(name="", language="en"))
    )
    assert re.search(r'<option selected value="en">|<option value="en" selected>', html)


def test_the_country_list_is_iso_3166_countries_named_in_the_pages_language(seeded, client):
    html = html_of(client.get(f"/c/{OPEN_SLUG}?lang=ko"))
    select = html[html.index('id="country"') : html.index("</select>", html.index('id="country"'))]
    options = re.findall(r'<option value="([A-Z]{2})">([^<]+)</option>', select)
    assert {code for code, _ in options} == COUNTRY_CODES
    assert len(options) == 249
    names = [name for _, name in options]
    assert not [name for name in names if re.fullmatch(r"[A-Z]{2}", name)]
    assert ("KR", "대한민국") in options
    assert ("KP", "북한") in options
    assert names == sorted(names, key=collation_key)
    # CLDR territories that are not ISO 3166-1 countries: Ascension, Clipperton,
    # Sark, Diego Garcia, Ceuta and Melilla, the Canaries, Tristan da Cunha.
    assert not {"AC", "CP", "CQ", "DG", "EA", "IC", "TA", "EU", "XK"} & COUNTRY_CODES


def test_english_country_names_sort_with_accents_beside_their_letter():
    names = [name for _, name in country_choices("en")]
    assert names.index("Åland Islands") < names.index("Albania")
    assert names.index("Côte d’Ivoire") < names.index("Croatia")
    assert names[0] == "Afghanistan"


def test_every_country_has_a_cldr_name_in_korean():
    korean = Locale("ko").territories
    assert all(code in korean for code in COUNTRY_CODES)


def closed_notice(html: str) -> str:
    notice = html[html.index('id="closed-heading"') :]
    return notice[: notice.index("</section>")]


def test_a_closed_campaign_says_when_it_closed_and_links_the_open_one(seeded, client):
    html = html_of(client.get(f"/c/{CLOSED_SLUG}"))
    notice = closed_notice(html)
    assert "It closed on December 31, 2025 and no longer takes signatures" in notice
    assert f'href="/c/{OPEN_SLUG}#sign"' in notice
    assert 'action="/c/' not in html  # no sign form
    assert "<progress" not in html  # no empty progress bar for an archive


def test_a_closed_campaign_with_signatures_says_what_it_gathered(seeded, client):
    add_signature(slug=CLOSED_SLUG)
    html = html_of(client.get(f"/c/{CLOSED_SLUG}"))
    assert "Confirmed signatures on this site: 1 of a goal of 3,000." in closed_notice(html)
    assert "<progress" in html


def test_the_open_campaign_puts_the_call_to_action_before_the_facts(seeded, client):
    html = html_of(client.get(f"/c/{OPEN_SLUG}"))
    cta = html.index('href="#sign"')
    assert html.index("<h1>") < cta < html.index('id="facts-heading"') < html.index('id="sign"')
    assert html.index("<progress") < cta
    assert '<details class="fact__details">' in html


def test_the_thank_you_page_offers_the_letter_next_steps_the_address_and_plain_share_links(
    seeded, client
):
    client.post(f"/c/{OPEN_SLUG}/sign", data=form_data())
    html = html_of(client.get(f"/c/{OPEN_SLUG}/thanks"))
    assert f'href="/c/{OPEN_SLUG}/letter.pdf"' in html
    assert html.index("letter.pdf") < html.index('id="next-heading"')
    assert "Embassy of the People" in html and "<address" in html  # KR signer's default
    assert f'value="https://petitions.test/c/{OPEN_SLUG}"' in html
    mailto = re.search(r'href="(mailto:[^"]+)"', html).group(1)
    assert f"petitions.test%2Fc%2F{OPEN_SLUG}" in mailto
    assert not re.search(r'(src|href)="https?://', html)


def test_the_share_address_comes_from_the_configured_public_url(seeded, client):
    seeded.config["PUBLIC_BASE_URL"] = "https://letters.example.org"
    client.post(f"/c/{OPEN_SLUG}/sign", data=form_data())
    html = html_of(client.get(f"/c/{OPEN_SLUG}/thanks", headers={"Host": "evil.example"}))
    assert f'value="https://letters.example.org/c/{OPEN_SLUG}"' in html
    assert "evil.example" not in html
