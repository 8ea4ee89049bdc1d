"""The sign form hands the signing rules one Submission of what was typed."""

from werkzeug.datastructures import MultiDict

from app.campaigns.forms import SignForm
from app.extensions import db
from app.signatures.service import signing_campaign
from tests.signing import OPEN_SLUG, form_data


def submitted(app, **changes):
    with app.test_request_context(f"/c/{OPEN_SLUG}/sign", method="POST"):
        form = SignForm(
            signing_campaign(db.session, OPEN_SLUG), formdata=MultiDict(form_data(**changes))
        )
        assert form.validate(), form.errors
        return form.submission(locale="ko")


def test_the_submission_carries_every_field_the_signer_filled_in(seeded):
    submission = submitted(
        seeded,
        name="Pak Song-hui",
        email="Song-Hui@Example.ORG",
        city="Wonju",
        country="DE",
        language="ko",
        recipient="unhcr",
        message="Remember my brother",
        show_name="y",
        include_in_delivery="y",
    )
    assert submission.name == "Pak Song-hui"
    assert submission.email == "Song-Hui@example.org"  # the domain as the form normalized it
    assert (submission.city, submission.country, submission.language) == ("Wonju", "DE", "ko")
    assert submission.recipient_key == "unhcr"
    assert submission.message == "Remember my brother"
    assert submission.show_name and submission.include_in_delivery
    assert submission.locale == "ko"


def test_optional_fields_left_empty_reach_the_rules_as_nothing(seeded):
    submission = submitted(seeded, recipient="", message="")
    assert submission.recipient_key is None
    assert submission.message is None
    assert not submission.show_name and not submission.include_in_delivery


def test_the_letter_sees_the_signer_without_their_email_or_choices(seeded):
    signer = submitted(seeded, message="").letter_signer()
    assert (signer.name, signer.city, signer.country, signer.language) == (
        "Kim Min-ji",
        "Seoul",
        "KR",
        "en",
    )
    assert signer.message == ""
    assert not hasattr(signer, "email")
