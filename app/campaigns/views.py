import base64
import functools
import hashlib
import json
import logging
from dataclasses import asdict

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives.hashes import SHA256
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_wtf.csrf import generate_csrf

from app.campaigns.forms import SignForm
from app.campaigns.service import get_campaign, get_campaign_page, list_campaigns, today
from app.database import transaction
from app.extensions import db, limiter
from app.facts.service import only_verified
from app.i18n import requested_language
from app.letters.errors import LetterError
from app.letters.preview import letter_preview
from app.letters.routing import choose_recipient
from app.letters.service import download_headers, letter_file_name, letter_pdf
from app.letters.signer import Signer
from app.outbox.background import send_soon
from app.security import no_store
from app.short_cache import app_cache
from app.signatures import service as signatures
from app.signatures.counts import count_confirmed
from app.signatures.mail import SignerMail
from app.signatures.public import recent_public_signers

bp = Blueprint("campaigns", __name__)
log = logging.getLogger(__name__)

# What the thank-you page needs to offer the letter: the signer's own input,
# kept in their session cookie, never in a URL, and only for
# LETTER_DRAFT_MINUTES (a shared computer should not keep it). It is the same
# for a new signature and a duplicate, so the answer reveals nothing.
#
# The draft is encrypted (Fernet: AES with an HMAC, keyed from SECRET_KEY),
# not kept in a table: the cookie alone no longer shows the name, town or
# message to whoever sees it, and signing writes no extra row to clean up
# later. Fernet's own timestamp enforces the expiry; withdrawal drops it.
LETTER_DRAFT = "letter_draft"


@functools.lru_cache(maxsize=4)
def _draft_cipher(secret_key: str) -> Fernet:
    key = HKDF(algorithm=SHA256(), length=32, salt=None, info=b"letter-draft").derive(
        secret_key.encode()
    )
    return Fernet(base64.urlsafe_b64encode(key))


def draft_cipher() -> Fernet:
    return _draft_cipher(current_app.config["SECRET_KEY"])


def save_letter_draft(campaign, submission: signatures.Submission) -> None:
    draft = {
        "campaign": campaign.slug,
        "recipient": submission.recipient_key,
        "signer": asdict(submission.letter_signer()),
    }
    # UTF-8, not \u escapes: six bytes a Hangul syllable would push the
    # longest Korean draft past the 4 KB a browser keeps of a cookie.
    sealed = draft_cipher().encrypt(json.dumps(draft, ensure_ascii=False).encode())
    session[LETTER_DRAFT] = sealed.decode()


def letter_draft_for(campaign) -> dict | None:
    sealed = session.get(LETTER_DRAFT)
    if not isinstance(sealed, str):
        return None
    try:
        draft = json.loads(
            draft_cipher().decrypt(
                sealed.encode(), ttl=current_app.config["LETTER_DRAFT_MINUTES"] * 60
            )
        )
    except InvalidToken:  # expired, or not sealed with this key
        session.pop(LETTER_DRAFT, None)
        return None
    # A draft sealed in another shape (before a release) offers no letter.
    if draft.get("campaign") != campaign.slug or not isinstance(draft.get("signer"), dict):
        return None
    return draft


def campaign_or_404(slug: str):
    campaign = get_campaign(db.session(), slug)
    if campaign is None:
        abort(404)
    return campaign


def render_campaign(campaign, form, status=200):
    day = today()
    return (
        render_template(
            "campaigns/show.html",
            campaign=campaign,
            facts=only_verified(campaign.facts, app_cache(current_app, "verified facts", 1024)),
            today=day,
            confirmed=count_confirmed(db.session(), campaign.id),
            public_signers=recent_public_signers(db.session(), campaign.id),
            form=form,
            open_campaigns=open_campaigns_besides(campaign, day),
        ),
        status,
    )


def open_campaigns_besides(campaign, day) -> list:
    """Where a visitor to a closed campaign can sign instead."""
    if campaign.is_open_on(day):
        return []
    return [other for other in list_campaigns(db.session()) if other.is_open_on(day)]


@bp.get("/")
def index():
    return render_template(
        "campaigns/index.html", campaigns=list_campaigns(db.session()), today=today()
    )


# Stands for the visitor's CSRF token in a kept page. NUL: no text the page
# shows can hold it (PostgreSQL refuses it in text, URLs with it are refused).
TOKEN_SLOT = "\x00csrf-token\x00"  # noqa: S105 (a placeholder, not a secret)


@bp.get("/c/<slug>")
def show(slug: str):
    """The campaign page with a blank sign form.

    Every visitor in a language sees the same page but for their own CSRF
    token, so each process renders it once every CAMPAIGN_PAGE_CACHE_SECONDS
    and puts the token in. A page with a message for this visitor (after
    confirming or withdrawing) is always rendered afresh.
    """
    seconds = current_app.config["CAMPAIGN_PAGE_CACHE_SECONDS"]
    if seconds <= 0 or session.get("_flashes"):
        campaign = get_campaign_page(db.session(), slug)
        if campaign is None:
            abort(404)
        return render_campaign(campaign, SignForm(campaign, formdata=None))
    token = generate_csrf()
    pages = app_cache(current_app, "campaign pages")
    page = pages.get((slug, str(get_locale())), lambda: blank_page(slug, token), seconds=seconds)
    if page is None:
        abort(404)
    return page.replace(TOKEN_SLOT, token)


def blank_page(slug: str, token: str) -> str | None:
    """The page as any visitor sees it, with TOKEN_SLOT for the CSRF token."""
    campaign = get_campaign_page(db.session(), slug)
    if campaign is None:
        return None
    html, _ = render_campaign(campaign, SignForm(campaign, formdata=None))
    return html.replace(token, TOKEN_SLOT)


def sign_rate_limit() -> str:
    return current_app.config["SIGN_RATE_LIMIT"]


@bp.post("/c/<slug>/sign")
@limiter.limit(sign_rate_limit, methods=["POST"])
@no_store  # a refused form shows back what the signer typed
def sign(slug: str):
    # Only the campaign's row: its facts and articles are read only if the
    # form has to be shown again.
    campaign = signatures.signing_campaign(db.session(), slug)
    if campaign is None:
        abort(404)
    if not campaign.is_open_on(today()):
        flash(_("This campaign has closed and no longer takes signatures."), "error")
        return redirect(url_for("campaigns.show", slug=slug), code=303)
    form = SignForm(campaign)
    if not form.validate():
        return render_campaign(campaign_or_404(slug), form, status=422)
    submission = form.submission(locale=str(get_locale().language))
    if not (current_app.config["HONEYPOT_ENABLED"] and form.is_bot):
        try:
            with transaction(db.session):
                signatures.sign(
                    db.session(),
                    campaign,
                    submission,
                    SignerMail(campaign),
                    link_days=current_app.config["SIGNATURE_LINK_DAYS"],
                )
        except signatures.CampaignClosed:
            flash(_("This campaign has closed and no longer takes signatures."), "error")
            return redirect(url_for("campaigns.show", slug=slug), code=303)
        send_soon(current_app._get_current_object())  # type: ignore[attr-defined]  # a LocalProxy, typed as Flask
    save_letter_draft(campaign, submission)
    return redirect(url_for("campaigns.thanks", slug=slug), code=303)


@bp.post("/c/<slug>/sign/language")
@no_store  # the page shows back what the visitor typed
def sign_form_in_language(slug: str):
    """The sign form as the visitor filled it in, shown again in the language
    they switched to, with its errors in that language. Nothing is signed.

    On a refused form the language switcher is a button of the form itself
    (app/i18n.py), so what was typed, and what was changed since, comes in
    this POST body (CSRF-checked like every POST), never in a URL or a log.
    """
    language = requested_language()
    if language is None:
        abort(400)
    campaign = campaign_or_404(slug)
    if not campaign.is_open_on(today()):
        return redirect(url_for("campaigns.show", slug=slug, lang=language), code=303)
    form = SignForm(campaign)
    form.validate()
    return render_campaign(campaign, form)


@bp.get("/c/<slug>/thanks")
@no_store
def thanks(slug: str):
    campaign = campaign_or_404(slug)
    draft = letter_draft_for(campaign)
    # The address the letter goes to, so the page can say where to post it.
    recipient = (
        choose_recipient(campaign.recipients, draft["signer"]["country"], draft["recipient"])
        if draft
        else None
    )
    return render_template(
        "campaigns/thanks.html",
        campaign=campaign,
        has_letter=draft is not None,
        recipient=recipient,
    )


def letter_rate_limit() -> str:
    return current_app.config["LETTER_RATE_LIMIT"]


def letter_key() -> str:
    """One limit per letter as well as per visitor, so one draft cookie or
    link replayed from many addresses is limited too. A hash: the key is
    stored in Redis, and the token is private."""
    secret = (request.view_args or {}).get("token") or session.get(LETTER_DRAFT) or ""
    return "letter:" + hashlib.sha256(str(secret).encode()).hexdigest()[:32]


# A letter is a PDF rendered on demand: tens of milliseconds of a worker's
# CPU. Per visitor and per letter, so nobody can keep the workers busy with it.
limit_letters = limiter.shared_limit(letter_rate_limit, scope="letters")
limit_each_letter = limiter.limit(letter_rate_limit, key_func=letter_key)


@bp.get("/c/<slug>/letter.pdf")
@limit_letters
@limit_each_letter
def letter_after_signing(slug: str):
    """The letter for what the signer just submitted, from their session."""
    campaign = campaign_or_404(slug)
    return letter_response(campaign, *draft_letter_or_404(campaign))


def draft_letter_or_404(campaign) -> tuple[str | None, Signer]:
    """The recipient key and signer of the letter in this visitor's session."""
    draft = letter_draft_for(campaign)
    if draft is None:
        abort(404)
    return draft["recipient"], Signer(**draft["signer"])


def build_letter(render, campaign, recipient_key: str | None, signer: Signer):
    """`render(campaign, recipient, signer)` for the recipient this signer
    writes to: a 404 when there is none, a 503 when the letter cannot be built."""
    recipient = choose_recipient(campaign.recipients, signer.country, recipient_key)
    if recipient is None:
        abort(404)
    try:
        return render(campaign, recipient, signer)
    except LetterError as error:
        # The error names the campaign, template or fact at fault, never the signer.
        log.error("Letter for campaign %s not built: %s", campaign.slug, error)
        abort(503)


def letter_response(campaign, recipient_key: str | None, signer: Signer):
    pdf = build_letter(letter_pdf, campaign, recipient_key, signer)
    return Response(pdf, headers=download_headers(letter_file_name(campaign)))


# The letter as a page, to read before printing and to print from the
# browser: limited like the PDFs (the same budget per visitor), never cached,
# and the signer's details come only from their own session or their link.
@bp.get("/c/<slug>/letter")
@limit_letters
@limit_each_letter
@no_store
def letter_preview_after_signing(slug: str):
    campaign = campaign_or_404(slug)
    recipient_key, signer = draft_letter_or_404(campaign)
    return letter_preview_page(
        campaign,
        signer,
        recipient_key=recipient_key,
        pdf_url=url_for("campaigns.letter_after_signing", slug=slug),
        back_url=url_for("campaigns.thanks", slug=slug),
        from_link=False,
    )


def letter_preview_page(campaign, signer, *, recipient_key, pdf_url, back_url, from_link):
    letter = build_letter(letter_preview, campaign, recipient_key, signer)
    return render_template(
        "campaigns/letter.html",
        campaign=campaign,
        letter=letter,
        pdf_url=pdf_url,
        back_url=back_url,
        from_link=from_link,
    )
