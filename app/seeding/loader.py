"""Read and check the seed files, touching no database.

Everything is checked before anything is written, so a bad seed stops with a
message naming the file and the entry and leaves the database as it was.
"""

import hashlib
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Literal, NoReturn, overload

import yaml

from app.countries import COUNTRY_CODES
from app.letters.models import ALL_COUNTRIES, RECIPIENT_KINDS
from app.letters.signer import LETTER_LANGUAGES

_KEY = re.compile(r"[a-z0-9][a-z0-9-]{0,79}")
# An address an officer can write back to: one @, a dot in the domain, no spaces.
_CONTACT = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
OTHER_LETTER_LANGUAGES = tuple(language for language in LETTER_LANGUAGES if language != "en")


class SeedError(Exception):
    def __init__(self, file: str, entry: str | None, problem: str):
        self.file, self.entry, self.problem = file, entry, problem
        where = f"{file}, entry {entry}" if entry else file
        super().__init__(f"{where}: {problem}")


@dataclass(frozen=True)
class ArticleSeed:
    key: str
    file_name: str
    outlet: str
    title: str
    period: str
    period_translations: dict
    text: str
    sha256: str
    furniture: dict


@dataclass(frozen=True)
class FactSeed:
    key: str
    article: str
    claim: str
    claim_translations: dict
    quote: str
    value_number: Decimal | None
    value_date: date | None
    as_of: str
    as_of_translations: dict


@dataclass(frozen=True)
class RecipientSeed:
    key: str
    kind: str
    organization: str
    address_lines: list
    salutations: dict
    languages: list
    countries: list


@dataclass(frozen=True)
class CampaignSeed:
    slug: str
    title: str
    summary: str
    translations: dict
    goal: int
    opens_on: date
    closes_on: date | None
    letter_kinds: list
    letter_facts: dict
    time_frame: dict
    organizer: dict
    facts: list
    recipients: list


@dataclass(frozen=True)
class SeedBundle:
    articles: list[ArticleSeed]
    facts: list[FactSeed]
    recipients: list[RecipientSeed]
    campaigns: list[CampaignSeed]


class _Entries:
    """Walks one seed file's entries, naming the file and entry in every error."""

    def __init__(self, seeds_dir: Path, file_name: str, key_field: str):
        self.file = f"seeds/{file_name}"
        self.key_field = key_field
        path = seeds_dir / file_name
        try:
            raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise SeedError(self.file, None, "file not found") from None
        except UnicodeDecodeError:
            raise SeedError(self.file, None, "not valid UTF-8") from None
        except yaml.YAMLError as error:
            raise SeedError(self.file, None, f"not valid YAML: {error}") from None
        if not isinstance(raw, list):
            raise SeedError(self.file, None, "expected a list of entries")
        self.raw = raw

    def __iter__(self):
        seen = set()
        for number, entry in enumerate(self.raw, start=1):
            label = f"#{number}"
            if not isinstance(entry, dict):
                raise SeedError(self.file, label, "expected a mapping of fields")
            key = entry.get(self.key_field)
            if isinstance(key, str):
                label = f"#{number} ({key})"
            yield _Entry(self.file, label, entry)
            if key in seen:
                raise SeedError(self.file, label, f"duplicate {self.key_field} {key!r}")
            seen.add(key)


class _Entry:
    def __init__(self, file: str, label: str, fields: dict):
        self.file, self.label, self.fields = file, label, fields

    def fail(self, problem: str) -> NoReturn:
        raise SeedError(self.file, self.label, problem)

    def only(self, allowed: set[str]) -> None:
        unknown = sorted(set(self.fields) - allowed)
        if unknown:
            self.fail(f"unknown field {unknown[0]!r}")

    @overload
    def text(self, name: str, *, required: Literal[True] = True, max_length: int = 5000) -> str: ...
    @overload
    def text(self, name: str, *, required: bool, max_length: int = 5000) -> str | None: ...
    def text(self, name: str, *, required: bool = True, max_length: int = 5000) -> str | None:
        value = self.fields.get(name)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.fail(f"missing field {name!r}")
            return None
        if not isinstance(value, str):
            self.fail(f"field {name!r} must be text")
        if len(value) > max_length:
            self.fail(f"field {name!r} is longer than {max_length} characters")
        return value.strip()

    def key(self, name: str) -> str:
        value = self.text(name, max_length=80)
        if not _KEY.fullmatch(value):
            self.fail(f"field {name!r} must be lowercase letters, digits and hyphens")
        return value

    def choice(self, name: str, choices) -> str:
        value = self.text(name)
        if value not in choices:
            self.fail(f"field {name!r} is {value!r}; expected one of {', '.join(choices)}")
        return value

    def text_list(self, name: str, *, choices=None, allow_empty: bool = False) -> list[str]:
        value = self.fields.get(name)
        if value is None:
            self.fail(f"missing field {name!r}")
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            self.fail(f"field {name!r} must be a list of text")
        if not value and not allow_empty:
            self.fail(f"field {name!r} must not be empty")
        for item in value:
            if choices is not None and item not in choices:
                self.fail(f"field {name!r} has {item!r}; expected one of {', '.join(choices)}")
        if len(set(value)) != len(value):
            self.fail(f"field {name!r} lists an item twice")
        return list(value)

    def day(self, name: str, *, required: bool = True) -> date | None:
        value = self.fields.get(name)
        if value is None:
            if required:
                self.fail(f"missing field {name!r}")
            return None
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            self.fail(f"field {name!r} must be a date (YYYY-MM-DD)")


def _load_periods(seeds_dir: Path) -> dict[str, dict]:
    """seeds/periods.yaml: each period phrase in the other letter languages."""
    file = "seeds/periods.yaml"
    try:
        raw = yaml.safe_load((seeds_dir / "periods.yaml").read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SeedError(file, None, "file not found") from None
    except yaml.YAMLError as error:
        raise SeedError(file, None, f"not valid YAML: {error}") from None
    if not isinstance(raw, dict):
        raise SeedError(file, None, "expected a mapping of periods to their translations")
    for period, translations in raw.items():
        if not isinstance(translations, dict) or any(
            not isinstance(translations.get(language), str) or not translations[language].strip()
            for language in OTHER_LETTER_LANGUAGES
        ):
            raise SeedError(
                file, repr(period), f"needs text for each of {', '.join(OTHER_LETTER_LANGUAGES)}"
            )
    return {
        str(period): {language: t[language].strip() for language in OTHER_LETTER_LANGUAGES}
        for period, t in raw.items()
    }


def _translated_period(entry: "_Entry", name: str, periods: dict[str, dict]) -> tuple[str, dict]:
    period = entry.text(name, max_length=100)
    if period not in periods:
        entry.fail(f"field {name!r} is {period!r}, which seeds/periods.yaml does not translate")
    return period, periods[period]


def _load_articles(seeds_dir: Path, periods: dict[str, dict]) -> list[ArticleSeed]:
    articles = []
    for entry in _Entries(seeds_dir, "articles.yaml", "key"):
        entry.only({"key", "file", "outlet", "title", "period", "furniture"})
        file_name = entry.text("file", max_length=200)
        if "/" in file_name or file_name.startswith("."):
            entry.fail("field 'file' must be a file name inside seeds/articles/")
        try:
            data = (seeds_dir / "articles" / file_name).read_bytes()
        except FileNotFoundError:
            entry.fail(f"article file seeds/articles/{file_name} not found")
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            entry.fail(f"article file seeds/articles/{file_name} is not valid UTF-8")
        furniture = entry.fields.get("furniture") or {}
        if not isinstance(furniture, dict) or set(furniture) - {"prefixes", "ends_at"}:
            entry.fail("field 'furniture' takes only 'prefixes' and 'ends_at'")
        prefixes = furniture.get("prefixes") or []
        if not isinstance(prefixes, list) or not all(isinstance(p, str) and p for p in prefixes):
            entry.fail("field 'furniture.prefixes' must be a list of text")
        ends_at = furniture.get("ends_at")
        if ends_at is not None and not isinstance(ends_at, str):
            entry.fail("field 'furniture.ends_at' must be text")
        period, period_translations = _translated_period(entry, "period", periods)
        articles.append(
            ArticleSeed(
                key=entry.key("key"),
                file_name=file_name,
                outlet=entry.text("outlet", max_length=200),
                # No title for a page without a headline: it is cited as untitled,
                # never by a line of its furniture.
                title=entry.text("title", required=False, max_length=300) or "",
                period=period,
                period_translations=period_translations,
                text=text,
                sha256=hashlib.sha256(data).hexdigest(),
                furniture={"prefixes": prefixes, "ends_at": ends_at},
            )
        )
    return articles


def _fact_value(entry: _Entry) -> tuple[Decimal | None, date | None]:
    value = entry.fields.get("value")
    if value is None:
        return None, None
    if isinstance(value, bool):
        entry.fail("field 'value' must be a number or a date")
    if isinstance(value, int | float):
        return Decimal(str(value)), None
    if isinstance(value, date):
        return None, value
    entry.fail("field 'value' must be a number or a date")


def _load_facts(
    seeds_dir: Path, article_keys: set[str], periods: dict[str, dict]
) -> list[FactSeed]:
    facts = []
    for entry in _Entries(seeds_dir, "facts.yaml", "key"):
        entry.only(
            {"key", "article", "claim", "claim_ko", "claim_zh", "quote", "value", "as_of"}
        )
        article = entry.text("article")
        if article not in article_keys:
            entry.fail(f"unknown article {article!r}")
        value_number, value_date = _fact_value(entry)
        as_of, as_of_translations = _translated_period(entry, "as_of", periods)
        translations = {
            language: entry.text(f"claim_{language}", required=False, max_length=1000)
            for language in ("ko", "zh")
        }
        facts.append(
            FactSeed(
                key=entry.key("key"),
                article=article,
                claim=entry.text("claim", max_length=1000),
                claim_translations={k: v for k, v in translations.items() if v},
                quote=entry.text("quote", max_length=2000),
                value_number=value_number,
                value_date=value_date,
                as_of=as_of,
                as_of_translations=as_of_translations,
            )
        )
    return facts


def _load_recipients(seeds_dir: Path) -> list[RecipientSeed]:
    recipients = []
    for entry in _Entries(seeds_dir, "recipients.yaml", "key"):
        entry.only(
            {"key", "kind", "organization", "address", "salutation", "languages", "countries"}
        )
        salutations = entry.fields.get("salutation")
        if not isinstance(salutations, dict) or "en" not in salutations:
            entry.fail("field 'salutation' must map languages to text, with at least 'en'")
        for language, text in salutations.items():
            if language not in LETTER_LANGUAGES or not isinstance(text, str) or not text.strip():
                entry.fail(f"field 'salutation' has a bad entry for {language!r}")
        countries = entry.fields.get("countries")
        if countries == ALL_COUNTRIES:
            countries = [ALL_COUNTRIES]
        else:
            countries = entry.text_list("countries", choices=sorted(COUNTRY_CODES))
        recipients.append(
            RecipientSeed(
                key=entry.key("key"),
                kind=entry.choice("kind", RECIPIENT_KINDS),
                organization=entry.text("organization", max_length=300),
                address_lines=entry.text_list("address"),
                salutations={k: v.strip() for k, v in salutations.items()},
                languages=entry.text_list("languages", choices=LETTER_LANGUAGES),
                countries=countries,
            )
        )
    return recipients


def _in_each_language(entry: "_Entry", value, name: str, languages=LETTER_LANGUAGES) -> dict:
    if not isinstance(value, dict):
        entry.fail(f"field {name!r} must give the text in each of {', '.join(languages)}")
    for language in languages:
        text = value.get(language)
        if not isinstance(text, str) or not text.strip():
            entry.fail(f"field {name!r} has no text in {language!r}")
    unknown = sorted(set(value) - set(languages))
    if unknown:
        entry.fail(f"field {name!r} has text in {unknown[0]!r}, not a letter language")
    return {language: value[language].strip() for language in languages}


def _letters(entry: "_Entry", facts: list[str], recipient_kinds: list[str]) -> dict:
    """{kind: [fact keys]}: each a campaign fact, one entry per recipient kind offered."""
    letters = entry.fields.get("letters")
    if not isinstance(letters, dict) or not letters:
        entry.fail("missing field 'letters' (the facts each kind of letter states)")
    for kind, keys in letters.items():
        if kind not in RECIPIENT_KINDS:
            entry.fail(
                f"field 'letters' has {kind!r}; expected one of {', '.join(RECIPIENT_KINDS)}"
            )
        if not isinstance(keys, list) or not keys or not all(isinstance(k, str) for k in keys):
            entry.fail(f"field 'letters.{kind}' must be a list of fact keys")
        if len(set(keys)) != len(keys):
            entry.fail(f"field 'letters.{kind}' lists a fact twice")
        for key in keys:
            if key not in facts:
                entry.fail(
                    f"the {kind} letter states fact {key!r}, which is not among the "
                    "campaign's facts"
                )
    for kind in recipient_kinds:
        if kind not in letters:
            entry.fail(f"it offers a recipient of kind {kind!r} but field 'letters' has no {kind}")
    return {kind: list(keys) for kind, keys in letters.items()}


def _organizer(entry: "_Entry") -> dict:
    organizer = entry.fields.get("organizer")
    if not isinstance(organizer, dict):
        entry.fail("missing field 'organizer' (who signs the delivery packs, and a contact)")
    unknown = sorted(set(organizer) - {"name", "contact"})
    if unknown:
        entry.fail(f"field 'organizer' has unknown field {unknown[0]!r}")
    contact = organizer.get("contact")
    if not isinstance(contact, str) or not _CONTACT.fullmatch(contact.strip()):
        entry.fail("field 'organizer.contact' must be an email address")
    name = _in_each_language(entry, organizer.get("name"), "organizer.name")
    return {"name": name, "contact": contact.strip()}


def _time_frame(entry: "_Entry") -> dict:
    frame = entry.fields.get("time_frame")
    if frame is None:
        return {}
    if not isinstance(frame, dict):
        entry.fail("field 'time_frame' must be a mapping")
    unknown = sorted(set(frame) - {"past_case", "period", "letter", "page"})
    if unknown:
        entry.fail(f"field 'time_frame' has unknown field {unknown[0]!r}")
    if not isinstance(frame.get("past_case"), bool):
        entry.fail("field 'time_frame.past_case' must be true or false")
    return {
        "past_case": frame["past_case"],
        **{
            part: _in_each_language(entry, frame.get(part), f"time_frame.{part}")
            for part in ("period", "letter", "page")
        },
    }


def _load_campaigns(
    seeds_dir: Path, fact_keys: set[str], recipient_kinds: dict[str, str]
) -> list[CampaignSeed]:
    campaigns = []
    for entry in _Entries(seeds_dir, "campaigns.yaml", "slug"):
        entry.only(
            {
                "slug",
                "title",
                "title_ko",
                "title_zh",
                "summary",
                "summary_ko",
                "summary_zh",
                "goal",
                "opens",
                "closes",
                "facts",
                "recipients",
                "letters",
                "organizer",
                "time_frame",
            }
        )
        goal = entry.fields.get("goal")
        if not isinstance(goal, int) or isinstance(goal, bool) or goal < 1:
            entry.fail("field 'goal' must be a whole number above zero")
        opens_on, closes_on = entry.day("opens"), entry.day("closes", required=False)
        if closes_on is not None and closes_on < opens_on:
            entry.fail("field 'closes' is before 'opens'")
        facts = entry.text_list("facts")
        for key in facts:
            if key not in fact_keys:
                entry.fail(f"unknown fact {key!r}")
        recipients = entry.text_list("recipients")
        for key in recipients:
            if key not in recipient_kinds:
                entry.fail(f"unknown recipient {key!r}")
        kinds = list(dict.fromkeys(recipient_kinds[key] for key in recipients))
        letters = _letters(entry, facts, kinds)
        # Korean for the site and the letters; Chinese for the delivery packs.
        translations = {}
        for language in ("ko", "zh"):
            texts = {
                "title": entry.text(f"title_{language}", required=False, max_length=200),
                "summary": entry.text(f"summary_{language}", required=False),
            }
            if any(texts.values()):
                translations[language] = texts
        campaigns.append(
            CampaignSeed(
                slug=entry.key("slug"),
                title=entry.text("title", max_length=200),
                summary=entry.text("summary"),
                translations=translations,
                goal=goal,
                opens_on=opens_on,
                closes_on=closes_on,
                letter_kinds=list(letters),
                letter_facts=letters,
                time_frame=_time_frame(entry),
                organizer=_organizer(entry),
                facts=facts,
                recipients=recipients,
            )
        )
    return campaigns


def load_seeds(seeds_dir: Path) -> SeedBundle:
    """Read every seed file and check it; raises SeedError on the first problem."""
    seeds_dir = Path(seeds_dir)
    periods = _load_periods(seeds_dir)
    articles = _load_articles(seeds_dir, periods)
    facts = _load_facts(seeds_dir, {a.key for a in articles}, periods)
    recipients = _load_recipients(seeds_dir)
    campaigns = _load_campaigns(
        seeds_dir, {f.key for f in facts}, {r.key: r.kind for r in recipients}
    )
    return SeedBundle(articles, facts, recipients, campaigns)
