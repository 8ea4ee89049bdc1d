import base64
import functools
import hashlib
import json
import logging

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

from app.campaigns.forms import SignForm
from app.campaigns.service import get_campaign, list_campaigns, today
from app.extensions import db, limiter
from app.facts.service import only_verified
from app.letters.errors import LetterError
from app.letters.routing import choose_recipient
from app.letters.service import download_headers, letter_file_name, letter_pdf
from app.letters.signer import Signer
from app.outbox.background import send_soon
from app.security import no_store
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


def save_letter_draft(campaign, form) -> None:
    draft = {
        "campaign": campaign.slug,
        "name": form.name.data,
        "city": form.city.data,
        "country": form.country.data,
        "language": form.language.data,
        "recipient": form.recipient.data or None,
        "message": form.message.data or None,
    }
    session[LETTER_DRAFT] = draft_cipher().encrypt(json.dumps(draft).encode()).decode()


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
    return draft if draft.get("campaign") == campaign.slug else None


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
            facts=only_verified(campaign.facts),
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


@bp.get("/c/<slug>")
def show(slug: str):
    campaign = campaign_or_404(slug)
    return render_campaign(campaign, SignForm(campaign, formdata=None))


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
    if not (current_app.config["HONEYPOT_ENABLED"] and form.is_bot):
        submission = signatures.Submission(
            name=form.name.data,
            email=form.email.data,
            city=form.city.data,
            country=form.country.data,
            language=form.language.data,
            recipient_key=form.recipient.data or None,
            message=form.message.data or None,
            show_name=form.show_name.data,
            include_in_delivery=form.include_in_delivery.data,
            locale=str(get_locale().language),
        )
        try:
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
        send_soon(current_app._get_current_object())
    save_letter_draft(campaign, form)
    return redirect(url_for("campaigns.thanks", slug=slug), code=303)


@bp.get("/c/<slug>/thanks")
@no_store
def thanks(slug: str):
    campaign = campaign_or_404(slug)
    draft = letter_draft_for(campaign)
    # The address the letter goes to, so the page can say where to post it.
    recipient = (
        choose_recipient(campaign.recipients, draft["country"], draft["recipient"])
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
    secret = request.view_args.get("token") or session.get(LETTER_DRAFT) or ""
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
    draft = letter_draft_for(campaign)
    if draft is None:
        abort(404)
    return letter_response(
        campaign,
        recipient_key=draft["recipient"],
        name=draft["name"],
        city=draft["city"],
        country=draft["country"],
        language=draft["language"],
        message=draft["message"],
    )


def letter_response(campaign, *, recipient_key, name, city, country, language, message):
    recipient = choose_recipient(campaign.recipients, country, recipient_key)
    if recipient is None:
        abort(404)
    signer = Signer(name=name, city=city, country=country, language=language, message=message or "")
    try:
        pdf = letter_pdf(campaign, recipient, signer)
    except LetterError as error:
        # The error names the campaign, template or fact at fault, never the signer.
        log.error("Letter for campaign %s not built: %s", campaign.slug, error)
        abort(503)
    return Response(pdf, headers=download_headers(letter_file_name(campaign)))
