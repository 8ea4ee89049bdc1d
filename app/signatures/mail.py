"""The mails a signer receives, written in the language they used the site in.

Part of the web layer, beside the views: it renders the site's mail templates
and links to the signatures blueprint's pages under PUBLIC_BASE_URL. The
signing rules never import it; the sign view hands it to
`signatures.service.sign` as the notifier.
"""

from flask import render_template
from flask_babel import force_locale
from flask_babel import gettext as _

from app.links import public_url


class SignerMail:
    """Writes the confirmation and already-signed mails with the signer's links."""

    def __init__(self, campaign):
        self.campaign = campaign

    def _links(self, token: str) -> dict:
        return {
            "confirm_url": public_url("signatures.confirm", token=token),
            "letter_url": public_url("signatures.letter_from_link", token=token),
            "withdraw_url": public_url("signatures.withdraw", token=token),
        }

    def _write(self, signature, token: str, template: str, subject):
        with force_locale(signature.locale):
            title = self.campaign.title_in(signature.locale)
            body = render_template(
                template,
                signature=signature,
                campaign_title=title,
                **self._links(token),
            )
            return signature.email, subject(title), body

    def confirmation(self, signature, token: str):
        return self._write(
            signature,
            token,
            "mail/confirm.txt",
            lambda title: _("Confirm your signature: %(title)s", title=title),
        )

    def already_signed(self, signature, token: str):
        return self._write(
            signature,
            token,
            "mail/already_signed.txt",
            lambda title: _("You have already signed: %(title)s", title=title),
        )
