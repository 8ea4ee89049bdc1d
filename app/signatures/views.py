"""The signer's emailed links, /s/<token>/...: confirm, withdraw, the letter again
(as a PDF and as a page to print).

The token in the path is the signer's secret: these pages are never cached,
and an unknown or expired link answers the same 404 page.
"""

from flask import (
    Blueprint,
    abort,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask import session as cookie_session
from flask_babel import gettext as _

from app.campaigns.views import (
    LETTER_DRAFT,
    letter_preview_page,
    letter_response,
    limit_each_letter,
    limit_letters,
)
from app.database import transaction
from app.extensions import db
from app.letters.signer import Signer
from app.security import no_store
from app.signatures import service as signatures

bp = Blueprint("signatures", __name__)


def signature_or_404(token: str, *, for_confirming: bool = False):
    signature = signatures.find_by_token(db.session(), token, for_confirming=for_confirming)
    if signature is None:
        abort(make_response(render_template("signatures/invalid_link.html"), 404))
    return signature


@bp.route("/s/<token>/confirm", methods=["GET", "POST"])
@no_store
def confirm(token: str):
    signature = signature_or_404(token, for_confirming=True)
    campaign = signature.campaign
    # Only the POST changes anything: GET and the HEAD that mail scanners and
    # link previewers send (Flask answers HEAD with the GET branch) show the page.
    if request.method != "POST":
        return render_template(
            "signatures/confirm.html", campaign=campaign, signature=signature, token=token
        )
    with transaction(db.session):
        signatures.confirm(db.session(), signature)
    flash(_("Thank you. Your signature is confirmed and counted."), "success")
    return redirect(url_for("campaigns.show", slug=campaign.slug), code=303)


@bp.route("/s/<token>/withdraw", methods=["GET", "POST"])
@no_store
def withdraw(token: str):
    signature = signature_or_404(token)
    campaign = signature.campaign
    if request.method != "POST":
        return render_template("signatures/withdraw.html", campaign=campaign, token=token)
    with transaction(db.session):
        signatures.withdraw(db.session(), signature)
    cookie_session.pop(LETTER_DRAFT, None)
    flash(_("Your signature is withdrawn and your details are erased."), "success")
    return redirect(url_for("campaigns.show", slug=campaign.slug), code=303)


@bp.get("/s/<token>/letter.pdf")
@limit_letters
@limit_each_letter
def letter_from_link(token: str):
    signature = signature_or_404(token)
    recipient = signature.recipient
    return letter_response(
        signature.campaign, recipient.key if recipient else None, Signer.of(signature)
    )


@bp.get("/s/<token>/letter")
@limit_letters
@limit_each_letter
@no_store
def letter_preview_from_link(token: str):
    signature = signature_or_404(token)
    return letter_preview_page(
        signature.campaign,
        Signer.of(signature),
        recipient_key=signature.recipient.key if signature.recipient else None,
        pdf_url=url_for("signatures.letter_from_link", token=token),
        back_url=url_for("campaigns.show", slug=signature.campaign.slug),
        from_link=True,
    )
