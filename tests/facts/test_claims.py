from datetime import date
from decimal import Decimal

from app.facts.claims import claim_problems, numbers_in, value_problems


def numbers(text: str, language: str) -> set[int]:
    return {int(number) for number in numbers_in(text, language)}


def test_digits_count_with_or_without_thousands_separators():
    assert numbers("some 2,000 defectors and 8125 cases", "en") == {2000, 8125}


def test_english_number_words_and_months_are_numbers():
    assert numbers("a nine-year-old girl and two teenagers, on Feb. 8", "en") == {9, 2, 8}


def test_korean_man_and_native_numerals_with_a_counter_are_numbers():
    assert numbers("13만 명 이상, 10대 두 명, 1인당 1만 달러, 2천 명", "ko") == {
        130000,
        2,
        10000,
        2000,
    }


def test_chinese_wan_and_chinese_numerals_are_numbers_but_a_lone_yi_is_an_article():
    assert numbers("3万多名朝鲜人，一名9岁女孩，三代家人，四五十岁，数百人", "zh") == {
        30000,
        9,
        3,
        40,
        50,
    }


def test_a_year_of_the_facts_period_backs_a_date_the_quote_gives_without_one():
    claims = {"en": "on Feb. 8, 2012", "ko": "2012년 2월 8일", "zh": "2012年2月8日"}
    assert claim_problems(claims, "arrested on Feb. 8 in Shenyang", "February 2012") == []
    assert [str(p) for p in claim_problems(claims, "arrested on Feb. 8", "late 2023")] == [
        "claim states '2012', a number its quote does not state",
        "claim_ko states '2012', a number its quote does not state",
        "claim_zh states '2012', a number its quote does not state",
    ]


def test_a_hedge_is_kept_when_each_language_carries_it():
    quote = "Beijing had forcibly returned about 600 escapees"
    good = {"en": "about 600", "ko": "약 600명", "zh": "约600名"}
    bad = {"en": "600", "ko": "600명", "zh": "600名"}
    assert claim_problems(good, quote) == []
    assert {(p.language, p.word) for p in claim_problems(bad, quote)} == {
        ("en", "approximately"),
        ("ko", "approximately"),
        ("zh", "approximately"),
    }


def test_more_than_in_the_quote_needs_more_than_in_the_claim():
    quote = "the campaign has gathered more than 130,000 signatures"
    assert claim_problems({"ko": "13만 명 이상의 서명"}, quote) == []
    assert [p.word for p in claim_problems({"ko": "13만 명의 서명"}, quote)] == ["more than"]
    assert Decimal(130000) in numbers_in("13만 명", "ko")


def test_a_translation_that_drops_the_facts_value_fails_the_fact():
    quote = "Beijing had forcibly returned about 600 escapees"
    claims = {"en": "about 600 escapees", "ko": "약 600명", "zh": "约数百名脱北者"}
    assert [str(p) for p in value_problems(Decimal(600), claims, quote)] == [
        "claim_zh does not state the fact's value 600"
    ]


def test_a_value_the_quote_never_stated_fails_the_fact():
    assert [str(p) for p in value_problems(Decimal(2000), {"en": "2,000"}, "hundreds")] == [
        "quote does not state the fact's value 2000"
    ]


def test_a_date_value_needs_its_day_in_the_quote_and_its_year_in_every_claim():
    quote = "arrested by Chinese police on Feb. 8 in the city of Shenyang"
    good = {"en": "on Feb. 8, 2012", "ko": "2012년 2월 8일", "zh": "2012年2月8日"}
    assert value_problems(date(2012, 2, 8), good, quote) == []
    no_year = {"en": "on Feb. 8", "ko": "2012년 2월 8일"}
    assert [str(p) for p in value_problems(date(2012, 2, 8), no_year, quote)] == [
        "claim does not state the fact's value 2012-02-08"
    ]
    assert [p.language for p in value_problems(date(2012, 2, 9), good, quote)] == [
        "quote", "en", "ko", "zh"
    ]


def test_may_is_the_month_beside_a_day_and_a_verb_elsewhere():
    assert numbers("arrested on May 8 and on 9 May", "en") == {5, 8, 9}
    assert numbers("they may be sent back", "en") == set()
    quote = "police arrested them on May 8 in Shenyang"
    claims = {"en": "on May 8, 2012", "ko": "2012년 5월 8일", "zh": "2012年5月8日"}
    assert value_problems(date(2012, 5, 8), claims, quote) == []


def test_a_value_of_zero_is_checked_like_any_other():
    assert [str(p) for p in value_problems(Decimal(0), {"en": "none were freed"}, "0 freed")] == [
        "claim does not state the fact's value 0"
    ]
