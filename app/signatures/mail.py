"""The mails a signer receives, written in the language they used the site in.

Part of the web layer, beside the views: it renders the site's mail templates
and links to the signatures blueprint's pages under PUBLIC_BASE_URL. The
signing rules never import it; the sign view hands it to
`signatures.service.sign` as the notifier.

A mail is written for every signature, inside the signing request, so its
text is rendered once per process for each template, language, campaign
title and signature status, with markers where the signer's name and token
go; each mail then only fills those in. The markers cannot come from a
signer: the name marker is a private-use character, which the sign form
refuses in a name, and the token marker is random per process.
"""

import functools
import secrets
from dataclasses import dataclass

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _

from app.links import public_url

NAME_MARK = "\ue000name\ue000"
TOKEN_MARK = "tok" + secrets.token_hex(12)


@dataclass(frozen=True)
class _MarkedSigner:
    """What the mail templates read of a signature, with the name as a marker."""

    name: str
    status: str


def _links(token: str) -> dict:
    return {
        "confirm_url": public_url("signatures.confirm", token=token),
        "letter_url": public_url("signatures.letter_from_link", token=token),
        "withdraw_url": public_url("signatures.withdraw", token=token),
    }


@functools.lru_cache(maxsize=256)
def _marked_mail(
    base_url: str, template: str, subject: str, locale: str, title: str, status: str
) -> tuple[str, str]:
    """(subject, body) with the markers in; `base_url` keys the links' address."""
    with force_locale(locale):
        body = render_template(
            template,
            signature=_MarkedSigner(NAME_MARK, status),
            campaign_title=title,
            **_links(TOKEN_MARK),
        )
        return _(subject, title=title), body


def forget_marked_mail() -> None:
    """Drop the rendered texts, e.g. after the translations changed."""
    _marked_mail.cache_clear()


class SignerMail:
    """Writes the confirmation and already-signed mails with the signer's links."""

    def __init__(self, campaign):
        self.campaign = campaign

    def _write(self, signature, token: str, template: str, subject: str):
        subject_text, body = _marked_mail(
            current_app.config["PUBLIC_BASE_URL"],
            template,
            subject,
            signature.locale,
            self.campaign.title_in(signature.locale),
            signature.status,
        )
        # The token first: a name can hold no marker, but keep the order safe.
        body = body.replace(TOKEN_MARK, token).replace(NAME_MARK, signature.name)
        return signature.email, subject_text, body

    def confirmation(self, signature, token: str):
        return self._write(signature, token, "mail/confirm.txt", CONFIRM_SUBJECT)

    def already_signed(self, signature, token: str):
        return self._write(signature, token, "mail/already_signed.txt", ALREADY_SIGNED_SUBJECT)


def N_(message: str) -> str:  # noqa: N802 (the name pybabel extracts by default)
    """Marks a message for the catalogue; _marked_mail translates it."""
    return message


CONFIRM_SUBJECT = N_("Confirm your signature: %(title)s")
ALREADY_SIGNED_SUBJECT = N_("You have already signed: %(title)s")
