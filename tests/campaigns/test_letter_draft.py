"""The letter draft in the session cookie is unreadable without the server's key."""

import base64
import contextlib
import json
import re
import zlib

from flask.sessions import SecureCookieSessionInterface

from app.signatures.rules import CITY_MAX, MESSAGE_MAX, NAME_MAX
from tests.signing import OPEN_SLUG, form_data

SIGNER = {"name": "Pak Song-hui", "city": "Wonju", "message": "Remember my brother"}


def session_cookie(client, app) -> str:
    cookie = client.get_cookie(app.config.get("SESSION_COOKIE_NAME", "session"))
    assert cookie is not None
    return cookie.value


def every_decoding(value: str) -> list[str]:
    """The cookie as text in every way one could read it without the key."""
    texts = [value]
    payload = value.lstrip(".").split(".")[0]
    raw = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    texts.append(raw.decode("latin-1"))
    with contextlib.suppress(zlib.error):
        texts.append(zlib.decompress(raw).decode("utf-8", "replace"))
    for text in list(texts):
        for token in re.findall(r"[A-Za-z0-9_\-=]{20,}", text):
            with contextlib.suppress(ValueError):
                texts.append(
                    base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode("latin-1")
                )
    return texts


def test_the_session_cookie_holds_no_name_town_or_message_in_any_readable_form(seeded, client):
    client.post(f"/c/{OPEN_SLUG}/sign", data=form_data(**SIGNER))
    cookie = session_cookie(client, seeded)
    session = SecureCookieSessionInterface().get_signing_serializer(seeded).loads(cookie)
    readable = every_decoding(cookie) + [json.dumps(session, ensure_ascii=False)]
    for value in SIGNER.values():
        assert not [text for text in readable if value in text], value
    # And the letter is still there for the signer.
    assert client.get(f"/c/{OPEN_SLUG}/letter.pdf").status_code == 200


def test_a_tampered_draft_offers_no_letter_and_no_error(seeded, client):
    client.post(f"/c/{OPEN_SLUG}/sign", data=form_data(**SIGNER))
    with client.session_transaction() as session:
        session["letter_draft"] = session["letter_draft"][:-4] + "AAAA"
    assert client.get(f"/c/{OPEN_SLUG}/letter.pdf").status_code == 404


def test_a_draft_sealed_in_an_older_shape_offers_no_letter_and_no_error(seeded, client):
    from app.campaigns.views import draft_cipher

    client.post(f"/c/{OPEN_SLUG}/sign", data=form_data(**SIGNER))
    older = {"campaign": OPEN_SLUG, "name": "Pak Song-hui", "city": "Wonju", "country": "KR"}
    with seeded.test_request_context():
        sealed = draft_cipher().encrypt(json.dumps(older).encode()).decode()
    with client.session_transaction() as session:
        session["letter_draft"] = sealed
    assert client.get(f"/c/{OPEN_SLUG}/letter.pdf").status_code == 404
    assert client.get(f"/c/{OPEN_SLUG}/thanks").status_code == 200


def test_the_longest_korean_draft_still_fits_the_cookie_a_browser_keeps(seeded, client):
    # Browsers drop a cookie over 4,096 bytes without a word, and with it the
    # letter: the draft keeps Hangul as UTF-8, not six-byte \u escapes.
    client.post(
        f"/c/{OPEN_SLUG}/sign",
        data=form_data(
            name="김" * NAME_MAX, city="서" * CITY_MAX, message="가" * MESSAGE_MAX, language="ko"
        ),
    )
    assert len("session=" + session_cookie(client, seeded)) < 4093
    assert client.get(f"/c/{OPEN_SLUG}/letter").status_code == 200
