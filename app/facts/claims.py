"""Does a claim say more than its quote? Numbers and hedges, in en, ko and zh.

A claim is a paraphrase or translation of a verbatim quote, so its words may
differ; two things may not:

- every number it states must be one the quote states (written in digits with
  or without thousands separators, in English words, as Korean 만 or Chinese 万,
  as a month name or an age), or a year of the period the fact describes;
- every hedge in the quote (about, some, more than, reportedly, believed,
  activists say, might ...) must survive, in the claim's own language.

The parsers read the handful of forms the letters use; a form they do not know
reads as no number, so a check can miss a figure but never invents one.
"""

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

_EN_UNITS = {
    "zero": 0, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40,
    "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
    "dozen": 12, "twice": 2,
}  # fmt: skip
# "one" is more often a pronoun ("including one scheduled ...", "no one") than a
# figure, so a claim's "one" is not read as 1; a quote's is, so that 한 명 can
# stand for its "one of".
# Ordinals count only where the quote has them ("second-largest" backs 두 번째, 第二).
_EN_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5}
_EN_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "march": 3, "apr": 4, "april": 4, "may": None,
    "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8, "sep": 9,
    "sept": 9, "september": 9, "oct": 10, "october": 10, "nov": 11, "november": 11,
    "dec": 12, "december": 12, "january": 1, "february": 2,
}  # fmt: skip
_EN_MAY_DATE = re.compile(r"\bMay\s+\d{1,2}\b|\b\d{1,2}\s+May\b")
_KO_NATIVE = {
    "한": 1, "두": 2, "세": 3, "네": 4, "다섯": 5, "여섯": 6, "일곱": 7, "여덟": 8,
    "아홉": 9, "열": 10,
}  # fmt: skip
_KO_COUNTERS = "명|차례|자녀|번|가지|사람|끼|살|대"
_ZH_DIGITS = {
    "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
    "八": 8, "九": 9,
}  # fmt: skip
_ZH_UNITS = {"十": 10, "百": 100, "千": 1000}

# Digits, with or without thousands separators, and a 만/万, 천/千 or 백/百 after them.
_DIGITS = re.compile(r"\d{1,3}(?:,\d{3})+(?!\d)|\d+(?:\.\d+)?")
_MYRIAD = re.compile(r"(\d+(?:\.\d+)?)\s*(만|万|천|千|백|百)")
_MULTIPLIERS = {"만": 10000, "万": 10000, "천": 1000, "千": 1000, "백": 100, "百": 100}
# Idioms written with a number that state no figure: "teens" (10대, 十几岁) and
# "per person" (1인당).
_TEEN_IDIOMS = re.compile(r"10대(?!\s*(?:와|과|,)?\s*\d)|十几岁|1인당")
# 数百 "hundreds", 几十 "decades", 十分 "very": no figure.
_ZH_NUMERAL = re.compile(r"(?<![数几])[零一二两三四五六七八九十百千]+(?![几分])")
_ZH_PAIR_TENS = re.compile(r"([二三四五六七八九])([三四五六七八九])十")


def _as_number(text: str) -> Decimal:
    return Decimal(text.replace(",", ""))


def _zh_numeral(text: str) -> int | None:
    """一百二十 -> 120; a lone 一 is the article "a" (一名, 一项), not a figure."""
    if text == "一" or (text.startswith("一") and len(text) > 1 and text[1] not in _ZH_UNITS):
        return None
    total, current = 0, 0
    for char in text:
        if char in _ZH_DIGITS:
            current = _ZH_DIGITS[char]
        else:
            total += (current or 1) * _ZH_UNITS[char]
            current = 0
    return total + current


def numbers_in(text: str, language: str) -> dict[Decimal, str]:
    """Each number the text states, with the words that state it."""
    found: dict[Decimal, str] = {}
    text = _TEEN_IDIOMS.sub(" ", text)

    def add(value, words: str) -> None:
        if value is not None:
            found.setdefault(Decimal(value), words.strip())

    for match in _MYRIAD.finditer(text):
        add(_as_number(match.group(1)) * _MULTIPLIERS[match.group(2)], match.group(0))
    text = _MYRIAD.sub(" ", text)
    for match in _DIGITS.finditer(text):
        add(_as_number(match.group(0)), match.group(0))

    if language == "en":
        for word in re.findall(r"[A-Za-z]+", text):
            lower = word.lower()
            if lower in _EN_UNITS:
                add(_EN_UNITS[lower], word)
            elif lower in _EN_MONTHS and (lower != "may"):
                add(_EN_MONTHS[lower], word)
        # "may" is read as the month only beside a day: "May 8", "8 May".
        for match in _EN_MAY_DATE.finditer(text):
            add(5, match.group(0))
    elif language == "ko":
        native = "|".join(sorted(_KO_NATIVE, key=len, reverse=True))
        for match in re.finditer(rf"(?<![가-힣])({native})\s*(?:{_KO_COUNTERS})", text):
            add(_KO_NATIVE[match.group(1)], match.group(0))
    elif language == "zh":
        for match in _ZH_PAIR_TENS.finditer(text):
            add(_ZH_DIGITS[match.group(1)] * 10, match.group(0))
            add(_ZH_DIGITS[match.group(2)] * 10, match.group(0))
        for match in _ZH_NUMERAL.finditer(_ZH_PAIR_TENS.sub(" ", text)):
            add(_zh_numeral(match.group(0)), match.group(0))
    return found


def quote_numbers(quote: str) -> set[Decimal]:
    """What the quote states, read generously: its ordinals count too."""
    numbers = set(numbers_in(quote, "en"))
    if re.search(r"\bone\b", quote, re.IGNORECASE):
        numbers.add(Decimal(1))
    for word in re.findall(r"[A-Za-z]+", quote):
        if word.lower() in _EN_ORDINALS:
            numbers.add(Decimal(_EN_ORDINALS[word.lower()]))
    return numbers


# ---------------------------------------------------------------------------
# Hedges: a word in the quote, and the words that carry it in each language.
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Hedge:
    name: str
    in_quote: re.Pattern
    carried_by: dict[str, tuple[str, ...]]


def _words(pattern: str) -> re.Pattern:
    return re.compile(pattern, re.IGNORECASE)


_SMALL = "one|two|three|four|five|six|seven|eight|nine|ten|twenty|thirty|forty|fifty"
_NUMBER_AHEAD = rf"(?=\s*\$?\s*(?:\d|(?:{_SMALL}|a hundred)\b))"
_NUMBER_WORDS = rf"(?:\d[\d,]*|{_SMALL})"

HEDGES = (
    Hedge(
        "approximately",
        _words(
            rf"\b(?:about|around|some|approximately|roughly|nearly|almost){_NUMBER_AHEAD}"
            rf"|\b{_NUMBER_WORDS}\s+or\s+so\b"
        ),
        {
            "en": (
                "about",
                "around",
                "some",
                "approximately",
                "roughly",
                "nearly",
                "almost",
                "or so",
            ),
            "ko": ("약", "가량", "정도", "여 명", "여명", "쯤", "안팎", "남짓"),
            "zh": ("约", "左右", "大约", "近", "余"),
        },
    ),
    Hedge(
        "more than",
        _words(rf"\b(?:more than|over|upwards of|at least){_NUMBER_AHEAD}"),
        {
            "en": ("more than", "over", "upwards of", "at least"),
            "ko": ("이상", "넘는", "넘게", "넘어", "넘었"),
            "zh": ("多", "以上", "超过", "逾"),
        },
    ),
    Hedge(
        "reportedly",
        _words(r"\b(?:reportedly|allegedly|purportedly)\b"),
        {
            "en": ("reportedly", "allegedly", "purportedly"),
            "ko": ("것으로 알려", "것으로 전해", "전해진", "알려진"),
            "zh": ("据报", "据称", "据说", "据悉"),
        },
    ),
    Hedge(
        "believed",
        _words(r"\b(?:believed|thought|estimated)\s+to\b"),
        {
            "en": ("believed", "thought to", "estimated"),
            "ko": ("추정", "여겨", "알려져"),
            "zh": ("据信", "估计", "据估"),
        },
    ),
    Hedge(
        "activists say",
        _words(r"\bactivists\s+(?:say|said)\b|\baccording to activists\b"),
        {
            "en": ("activists say", "activists said", "according to activists"),
            "ko": ("활동가들은", "활동가들에 따르면", "활동가들이"),
            "zh": ("活动人士",),
        },
    ),
    Hedge(
        "might",
        # Not "could" or "likely": quotes use them for what is also in the claim's
        # plain statements, and a quote often runs a clause past what its claim says.
        _words(r"\b(?:may|might|possibly)\b(?!\s+not)"),
        {
            "en": ("may", "might", "could", "possibly", "likely"),
            "ko": ("수 있", "수도 있", "가능성", "수 있을"),
            "zh": ("可能", "或许", "也许", "或将"),
        },
    ),
)


def hedges_in(quote: str) -> list[Hedge]:
    return [hedge for hedge in HEDGES if hedge.in_quote.search(quote)]


def carries(claim: str, language: str, hedge: Hedge) -> bool:
    words = hedge.carried_by[language]
    if language == "en":
        return any(re.search(rf"\b{re.escape(word)}\b", claim, re.IGNORECASE) for word in words)
    return any(word in claim for word in words)


# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ClaimProblem:
    """One way a claim says more than its quote: which claim, which word."""

    language: str  # "quote" when the quote itself lacks the fact's value
    check: str  # "number" | "hedge" | "value"
    word: str

    def __str__(self) -> str:
        field = {"en": "claim", "quote": "quote"}.get(self.language, f"claim_{self.language}")
        if self.check == "number":
            return f"{field} states {self.word!r}, a number its quote does not state"
        if self.check == "value":
            return f"{field} does not state the fact's value {self.word}"
        return f"{field} drops the quote's hedge {self.word!r}"


def value_problems(
    value: Decimal | date | None, claims: dict[str, str], quote: str
) -> list[ClaimProblem]:
    """Where the fact's structured value is missing: from its quote or a claim.

    The value is the figure (or the date) the fact is about, so a translation
    that drops it, or a quote that never had it, fails the fact. Of a date, the
    quote must state the month and day (articles often leave the year to their
    dateline); every claim, the year too.
    """
    if value is None:
        return []
    if isinstance(value, date):
        in_quote = {Decimal(value.month), Decimal(value.day)}
        in_claims = in_quote | {Decimal(value.year)}
    else:
        in_quote = in_claims = {value}
    # 600, not the database's 600.00; a date as 2012-02-08.
    shown = str(value) if isinstance(value, date) else f"{value.normalize():f}"
    problems = []
    if not in_quote <= quote_numbers(quote):
        problems.append(ClaimProblem("quote", "value", shown))
    for language, claim in claims.items():
        if claim and not in_claims <= set(numbers_in(claim, language)):
            problems.append(ClaimProblem(language, "value", shown))
    return problems


def claim_problems(claims: dict[str, str], quote: str, as_of: str = "") -> list[ClaimProblem]:
    """What each claim ({language: text}) states beyond its quote.

    A number is backed when the quote states it, or when it is a year of the
    period the fact describes (`as_of`): "on Feb. 8" may show as "on Feb. 8, 2012".
    """
    backed = quote_numbers(quote)
    backed |= {number for number in numbers_in(as_of, "en") if number >= 1000}
    hedges = hedges_in(quote)
    problems = []
    for language, claim in claims.items():
        if not claim:
            continue
        for number, words in numbers_in(claim, language).items():
            if number not in backed:
                problems.append(ClaimProblem(language, "number", words))
        for hedge in hedges:
            if not carries(claim, language, hedge):
                problems.append(ClaimProblem(language, "hedge", hedge.name))
    return problems
