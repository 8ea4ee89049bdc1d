"""Which recipient a signer's letter goes to."""

from collections.abc import Sequence
from typing import Protocol, TypeVar


class Offered(Protocol):
    """What choosing reads of a recipient: a Recipient, or a lighter copy of one."""

    @property
    def id(self) -> int: ...
    @property
    def key(self) -> str: ...
    @property
    def kind(self) -> str: ...
    def serves(self, country: str) -> bool: ...


R = TypeVar("R", bound=Offered)


def default_recipient(offered: Sequence[R], country: str) -> R | None:
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


def choose_recipient(offered: Sequence[R], country: str, requested_key: str | None) -> R | None:
    """The recipient the signer asked for, if the campaign offers it, else the default."""
    if requested_key:
        for recipient in offered:
            if recipient.key == requested_key:
                return recipient
    return default_recipient(offered, country)
