import pytest

from app.countries import COUNTRY_CODES
from app.signatures.rules import (
    canonical_email,
    has_control_characters,
    name_problem,
    validated_email,
)


@pytest.mark.parametrize(
    ("address", "canonical"),
    [
        ("Min-Ji@Example.ORG", "min-ji@example.org"),
        ("min-ji+petition@example.org", "min-ji@example.org"),
        ("min.ji@gmail.com", "minji@gmail.com"),
        ("Min.Ji+x@GoogleMail.com", "minji@gmail.com"),
        ("min.ji@example.org", "min.ji@example.org"),
    ],
)
def test_the_canonical_email_decides_duplicates(address, canonical):
    assert canonical_email(address) == canonical


@pytest.mark.parametrize(
    "address", ["not-an-address", "a@b", "a@@example.org", "a b@example.org", ""]
)
def test_a_malformed_email_is_refused(address):
    with pytest.raises(ValueError):
        validated_email(address)


def test_an_email_is_checked_without_the_network():
    assert validated_email("someone@no-such-domain.invalid-tld-example") == (
        "someone@no-such-domain.invalid-tld-example"
    )


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ('=HYPERLINK("http://x")', "formula"),
        ("+1 555", "formula"),
        ("-Kim", "formula"),
        ("@kim", "formula"),
        ("Kim http://spam.example", "url"),
        ("Kim www.spam", "url"),
        ("Visit spam.com", "url"),
        ("Kim\u0000", "control"),
        ("Kim\nLee", "control"),
    ],
)
def test_names_that_are_formulas_links_or_control_characters_are_refused(name, problem):
    assert name_problem(name) == problem


@pytest.mark.parametrize(
    "name", ["김민지", "王小明", "Anne-Marie O'Neil", "St. John Smith", "Kim Jr."]
)
def test_real_names_in_any_script_are_accepted(name):
    assert name_problem(name) is None


def test_line_breaks_are_allowed_only_where_asked():
    assert has_control_characters("a\nb")
    assert not has_control_characters("a\nb", allow_line_breaks=True)


def test_the_country_list_is_iso_3166_without_regions():
    assert {"KR", "GB", "US", "CN", "KP"} <= COUNTRY_CODES
    assert not {"EU", "UN", "ZZ", "001"} & COUNTRY_CODES
