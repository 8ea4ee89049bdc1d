"""The rules a signature's fields follow, as plain functions.

The form uses them to explain a refusal beside the field; the service relies
on the form having applied them.
"""

import re
import unicodedata

from email_validator import EmailNotValidError, validate_email

from app.letters.signer import MESSAGE_MAX_LENGTH
from app.spreadsheets import starts_like_formula

NAME_MAX = 100
CITY_MAX = 100
EMAIL_MAX = 254
# The letter decides how long a message may be and which languages exist.
MESSAGE_MAX = MESSAGE_MAX_LENGTH

_URL_LIKE = re.compile(
    r"(?i)(://|\bwww\.|\b(https?|ftp|mailto):|"
    r"\b[a-z0-9-]+\.(com|net|org|info|biz|io|co|me|ru|cn|kr|jp|uk|xyz|top|ly|site|online)\b)"
)
_GMAIL_DOMAINS = {"gmail.com", "googlemail.com"}


# Zero-width (non-)joiners are format characters that some scripts need in names.
_ALLOWED_FORMAT_CHARACTERS = {"\u200c", "\u200d"}


def has_control_characters(text: str, *, allow_line_breaks: bool = False) -> bool:
    """Control, format, surrogate or private-use characters: never part of a name."""
    if text.isprintable():
        # Python's printable excludes every category below (and separators
        # other than the space), so most text is answered without a loop.
        return False
    allowed = _ALLOWED_FORMAT_CHARACTERS | ({"\n", "\r"} if allow_line_breaks else set())
    return any(
        unicodedata.category(char) in {"Cc", "Cf", "Cs", "Co"} and char not in allowed
        for char in text
    )


def name_problem(name: str) -> str | None:
    """Why a name is refused, as a key the form turns into a message, or None."""
    if starts_like_formula(name):
        return "formula"
    if _URL_LIKE.search(name):
        return "url"
    if has_control_characters(name):
        return "control"
    return None


def validated_email(email: str) -> str:
    """The address as its owner wrote it, syntax checked: only the domain is
    lower-cased (the local part's case is the mail server's business).

    Raises ValueError on bad syntax. No network look-ups: the confirmation mail
    is the real test of an address.
    """
    try:
        result = validate_email(email, check_deliverability=False)
    except EmailNotValidError as error:
        raise ValueError(str(error)) from None
    return result.normalized


def canonical_email(email: str) -> str:
    """The form of an address that decides duplicates.

    Lower case; the +tag dropped (name+x@example.org is name@example.org);
    for Gmail, dots in the local part ignored and googlemail.com read as gmail.com.
    """
    local, _, domain = email.strip().lower().rpartition("@")
    local = local.split("+", 1)[0]
    if domain in _GMAIL_DOMAINS:
        local = local.replace(".", "")
        domain = "gmail.com"
    return f"{local}@{domain}"
