import pytest
from babel.numbers import format_decimal

from app.numbers import format_count


@pytest.mark.parametrize("locale", ["en", "ko", "zh", "de", "hi", "ar"])
@pytest.mark.parametrize("number", [0, 7, 999, 1000, 12345, 1000000, 123456789, -4500])
def test_a_count_reads_as_babel_writes_it_in_every_locale(locale, number):
    assert format_count(number, locale) == format_decimal(number, locale=locale)
