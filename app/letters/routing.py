"""Which recipient a signer's letter goes to."""

from app.letters.models import Recipient


def default_recipient(offered: list[Recipient], country: str) -> Recipient | None:
    """The Chinese embassy serving the signer's country, otherwise the UNHCR.

    Only recipients the campaign offers are considered; None if it offers neither.
    """
    for recipient in offered:
        if recipient.kind == "embassy" and recipient.serves(country):
            return recipient
    for recipient in offered:
        if recipient.kind == "unhcr":
            return recipient
    return None


def choose_recipient(offered: list[Recipient], country: str, requested_key: str | None):
    """The recipient the signer asked for, if the campaign offers it, else the default."""
    if requested_key:
        for recipient in offered:
            if recipient.key == requested_key:
                return recipient
    return default_recipient(offered, country)
