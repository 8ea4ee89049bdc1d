"""The sign form. Every field has a rule, and every refusal a message in the
page's language, shown beside the field."""

import functools
from dataclasses import fields
from typing import Any

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from app.campaigns.widgets import RememberedSelect
from app.countries import COUNTRY_CODES, country_choices
from app.letters.signer import LETTER_LANGUAGES
from app.signatures.rules import (
    CITY_MAX,
    EMAIL_MAX,
    MESSAGE_MAX,
    NAME_MAX,
    has_control_characters,
    name_problem,
    validated_email,
)
from app.signatures.service import Submission

LETTER_LANGUAGE_NAMES = {"en": "English", "ko": "한국어 (Korean)", "zh": "中文 (Chinese)"}

NAME_MESSAGES = {
    "formula": _l("A name cannot start with =, +, - or @."),
    "url": _l("A name cannot contain a web address."),
    "control": _l("Remove the special characters from your name."),
}


class OneOf:
    """Like WTForms' AnyOf, with our own message and choices read at validation."""

    def __init__(self, choices, message):
        self.choices, self.message = choices, message

    def __call__(self, form, field):
        choices = self.choices() if callable(self.choices) else self.choices
        if field.data not in choices:
            raise ValidationError(self.message)


def plain_text(form, field):
    if field.data and has_control_characters(field.data):
        raise ValidationError(_l("Remove the special characters from this field."))


def no_control_characters_except_line_breaks(form, field):
    if field.data and has_control_characters(field.data, allow_line_breaks=True):
        raise ValidationError(_l("Remove the special characters from your message."))


def valid_name(form, field):
    problem = name_problem(field.data or "")
    if problem:
        raise ValidationError(NAME_MESSAGES[problem])


def valid_email(form, field):
    try:
        field.data = validated_email(field.data or "")
    except ValueError:
        raise ValidationError(
            _l("Enter an email address in the right format, like name@example.org.")
        ) from None


def strip(value):
    return value.strip() if isinstance(value, str) else value


@functools.cache
def country_select_choices(language: str) -> tuple:
    """The country list in `language`, its prompt first: built once per language."""
    return (("", _l("Choose your country")), *country_choices(language))


# Where a Submission's field is named apart from its form field (the form's
# names are a public contract).
FORM_FIELD_OF = {"recipient_key": "recipient"}
LANGUAGE_CHOICES = tuple(LETTER_LANGUAGE_NAMES.items())
RECIPIENT_PROMPT = _l("The Chinese embassy in my country, otherwise the UNHCR")


class SignForm(FlaskForm):
    class Meta:
        # CSRFProtect checks the token of every POST before any view runs
        # (app/__init__.py); checking it again here cost a second signature
        # verification per signature. The page renders the token itself.
        csrf = False

    name = StringField(
        _l("Full name"),
        filters=[strip],
        validators=[
            DataRequired(_l("Enter your name.")),
            Length(max=NAME_MAX, message=_l("A name can be at most %(max)d characters.")),
            valid_name,
        ],
    )
    email = StringField(
        _l("Email address"),
        filters=[strip],
        validators=[
            DataRequired(_l("Enter your email address.")),
            Length(
                max=EMAIL_MAX, message=_l("An email address can be at most %(max)d characters.")
            ),
            valid_email,
        ],
    )
    city = StringField(
        _l("Town or city"),
        filters=[strip],
        validators=[
            DataRequired(_l("Enter your town or city.")),
            Length(max=CITY_MAX, message=_l("A town or city can be at most %(max)d characters.")),
            plain_text,
        ],
    )
    country = SelectField(
        _l("Country"),
        validate_choice=False,
        widget=RememberedSelect(),
        validators=[
            DataRequired(_l("Choose your country.")),
            OneOf(COUNTRY_CODES, _l("Choose a country from the list.")),
        ],
    )
    language = SelectField(
        _l("Language of your letter"),
        validate_choice=False,
        default="en",
        validators=[
            DataRequired(_l("Choose the language of your letter.")),
            OneOf(LETTER_LANGUAGES, _l("Choose English, Korean or Chinese.")),
        ],
    )
    recipient = SelectField(
        _l("Send your letter to"),
        validate_choice=False,
        validators=[Optional()],
    )
    message = TextAreaField(
        _l("Your own words (optional)"),
        filters=[strip],
        validators=[
            Optional(),
            Length(max=MESSAGE_MAX, message=_l("Your message can be at most %(max)d characters.")),
            no_control_characters_except_line_breaks,
        ],
    )
    show_name = BooleanField(_l("Show my name publicly on this campaign"))
    include_in_delivery = BooleanField(
        _l("Include my name and country in the list delivered to the recipients")
    )
    consent = BooleanField(
        _l("I agree that my details are stored to count my signature and send me the links."),
        validators=[
            DataRequired(_l("Tick the box to agree, or your signature cannot be counted."))
        ],
    )
    # Left empty by people; bots that fill every field give themselves away.
    website = StringField(_l("Leave this field empty"), filters=[strip])

    def __init__(self, campaign, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.campaign = campaign
        interface_language = get_locale().language
        self.country.choices = country_select_choices(interface_language)
        self.language.choices = LANGUAGE_CHOICES
        if not self.is_submitted() and interface_language in LETTER_LANGUAGES:
            # A Korean reader gets a Korean letter unless they choose otherwise.
            self.language.data = interface_language
        offered = [(r.key, r.organization) for r in campaign.recipients]
        self.recipient.choices = [("", RECIPIENT_PROMPT), *offered]
        self.recipient.validators = [
            Optional(),
            OneOf([key for key, _ in offered], _l("Choose a recipient from the list.")),
        ]

    def submission(self, locale: str) -> Submission:
        """What the signer sent, once validated: each field of the Submission
        from the form field of the same name. An empty optional field is None."""
        values: dict[str, Any] = {}
        for field in fields(Submission):
            if field.name == "locale":
                continue
            data = self[FORM_FIELD_OF.get(field.name, field.name)].data
            values[field.name] = None if data == "" else data
        return Submission(locale=locale, **values)

    @property
    def is_bot(self) -> bool:
        return bool(self.website.data)
