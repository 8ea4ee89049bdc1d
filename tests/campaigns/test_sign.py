import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.signatures.models import Signature
from tests.signing import (
    CLOSED_SLUG,
    OPEN_SLUG,
    SIGN_FIELDS,
    deliver_queued_mail,
    form_data,
    fresh_session,
    queued_mail,
)


def signature_count() -> int:
    return fresh_session().scalar(select(func.count()).select_from(Signature))


def sign(client, slug=OPEN_SLUG, headers=None, **changes):
    return client.post(f"/c/{slug}/sign", data=form_data(**changes), headers=headers or {})


def test_the_campaign_page_offers_the_sign_form_with_privacy_choices_off(seeded, client):
    html = client.get(f"/c/{OPEN_SLUG}").get_data(as_text=True)
    for field in SIGN_FIELDS:
        assert f'name="{field}"' in html
    assert 'name="show_name" type="checkbox" value="y" checked' not in html
    assert "checked" not in html


def test_signing_answers_303_to_the_thank_you_page_and_stores_a_pending_signature(seeded, client):
    response = sign(client)
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/c/{OPEN_SLUG}/thanks")
    signature = db.session.scalar(select(Signature))
    assert signature.status == "pending"
    assert signature.email_canonical == "min-ji@example.org"
    assert signature.show_name is False and signature.include_in_delivery is False


def test_the_thank_you_page_says_to_check_the_mail_and_offers_the_letter(seeded, client):
    sign(client)
    html = client.get(f"/c/{OPEN_SLUG}/thanks").get_data(as_text=True)
    assert "Check your email" in html
    assert f"/c/{OPEN_SLUG}/letter.pdf" in html


def test_signing_queues_a_mail_with_confirm_letter_and_withdraw_links(seeded, client):
    sign(client)
    [mail] = queued_mail("min-ji@example.org")
    assert "/s/" in mail.body
    assert mail.body.count("/s/") == 3


def test_the_default_recipient_is_the_embassy_serving_the_signers_country(seeded, client):
    sign(client, country="GB")
    assert db.session.scalar(select(Signature)).recipient.key == "cn-embassy-gb"


def test_a_signer_without_an_embassy_writes_to_the_unhcr(seeded, client):
    sign(client, country="FR")
    assert db.session.scalar(select(Signature)).recipient.key == "unhcr"


def test_a_signer_may_choose_an_offered_recipient(seeded, client):
    sign(client, recipient="ohchr")
    assert db.session.scalar(select(Signature)).recipient.key == "ohchr"


def test_a_duplicate_gets_the_same_answer_and_leaves_one_row(seeded, client):
    first = sign(client)
    second = sign(client, email="Min-Ji+again@Example.org", name="Someone Else")
    assert (first.status_code, first.headers["Location"]) == (
        second.status_code,
        second.headers["Location"],
    )
    assert signature_count() == 1
    assert db.session.scalar(select(Signature)).name == "Kim Min-ji"


def test_a_duplicate_signer_is_mailed_at_most_the_configured_number_of_times(seeded, client):
    seeded.config["DUPLICATE_NOTICE_LIMIT"] = 2
    for _ in range(5):
        sign(client)
    mails = deliver_queued_mail(seeded)
    assert [to for to, _, _ in mails] == ["min-ji@example.org"] * (1 + 2)
    assert "already" in mails[1][1]


def test_repeat_signings_past_the_limit_leave_no_mail_or_address_behind(seeded, client):
    seeded.config["DUPLICATE_NOTICE_LIMIT"] = 1
    for _ in range(3):
        sign(client)
    deliver_queued_mail(seeded)
    assert deliver_queued_mail(seeded) == []
    assert [(m.to_address, m.body) for m in queued_mail()] == [(None, None)] * 3


def test_the_gmail_dots_and_plus_tags_make_one_person(seeded, client):
    sign(client, email="min.ji@gmail.com")
    sign(client, email="MinJi+x@googlemail.com")
    assert signature_count() == 1


def test_the_same_person_may_sign_another_campaign(seeded, client):
    sign(client)
    sign(client, slug="shenyang-seven")  # closed: refused
    assert signature_count() == 1


def test_a_closed_campaign_refuses_signatures_with_a_clear_message(seeded, client):
    response = sign(client, slug=CLOSED_SLUG)
    assert signature_count() == 0
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "This campaign has closed and no longer takes signatures." in html


def test_the_honeypot_is_answered_like_a_signature_but_stores_nothing(seeded, client):
    response = sign(client, website="http://spam.example")
    assert response.status_code == 303
    assert signature_count() == 0
    assert queued_mail() == []


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name": ""}, "name", "Enter your name."),
        ({"name": "x" * 101}, "name", "A name can be at most 100 characters."),
        ({"name": "=cmd()"}, "name", "A name cannot start with =, +, - or @."),
        ({"name": "Kim www.spam.example"}, "name", "A name cannot contain a web address."),
        ({"email": "not-an-address"}, "email", "Enter an email address in the right format"),
        ({"email": "a" * 250 + "@example.org"}, "email", "An email address can be at most 254"),
        ({"city": ""}, "city", "Enter your town or city."),
        ({"city": "c" * 101}, "city", "A town or city can be at most 100 characters."),
        ({"country": "XX"}, "country", "Choose a country from the list."),
        ({"country": ""}, "country", "Choose your country."),
        ({"language": "fr"}, "language", "Choose English, Korean or Chinese."),
        ({"recipient": "nobody"}, "recipient", "Choose a recipient from the list."),
        ({"message": "m" * 601}, "message", "Your message can be at most 600 characters."),
        ({"consent": None}, "consent", "Tick the box to agree"),
    ],
)
def test_bad_input_is_refused_beside_the_field_keeping_what_was_typed(
    seeded, client, changes, field, message
):
    response = sign(client, **changes)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f'id="{field}-error"' in html
    assert message in html
    assert signature_count() == 0
    if field != "city":
        assert 'value="Seoul"' in html


def test_errors_are_in_korean_on_the_korean_page(seeded, client):
    response = sign(client, name="", headers={"Accept-Language": "ko"})
    html = response.get_data(as_text=True)
    assert "이름을 입력하세요." in html


def test_country_names_are_in_the_pages_language(seeded, client):
    english = client.get(f"/c/{OPEN_SLUG}").get_data(as_text=True)
    korean = client.get(f"/c/{OPEN_SLUG}?lang=ko").get_data(as_text=True)
    assert '<option value="KR">South Korea</option>' in english
    assert '<option value="KR">대한민국</option>' in korean


def test_no_personal_data_appears_in_the_redirect(seeded, client):
    response = sign(client)
    location = response.headers["Location"]
    assert "min-ji" not in location.lower() and "Kim" not in location


def test_what_the_signer_typed_is_what_is_stored(seeded, client):
    sign(
        client,
        name="Pak Song-hui",
        city="Wonju",
        country="DE",
        language="zh",
        message="Remember my brother",
        show_name="y",
        headers={"Accept-Language": "ko"},
    )
    signature = fresh_session().scalar(select(Signature))
    assert (signature.name, signature.city, signature.country) == ("Pak Song-hui", "Wonju", "DE")
    assert (signature.language, signature.locale) == ("zh", "ko")
    assert signature.message == "Remember my brother"
    assert signature.show_name and not signature.include_in_delivery
