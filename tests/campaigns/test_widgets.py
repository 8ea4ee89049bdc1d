from wtforms import Form, SelectField
from wtforms.widgets import Select

from app.campaigns.widgets import RememberedSelect


def country_field(choices, data=None):
    class CountryForm(Form):
        country = SelectField("Country", widget=RememberedSelect(), validate_choice=False)

    form = CountryForm()
    form.country.choices = choices
    form.country.data = data
    return form.country


ENGLISH = [("", "Choose your country"), ("KR", "South Korea"), ("GB", "United Kingdom")]
KOREAN = [("", "국가를 선택하세요"), ("KR", "대한민국"), ("GB", "영국")]


def test_the_remembered_select_renders_exactly_as_wtforms_would():
    for choices, data in ((ENGLISH, None), (ENGLISH, "GB"), (KOREAN, "KR")):
        field = country_field(choices, data)
        expected = Select()(field, autocomplete="country")
        assert field(autocomplete="country") == expected
        assert field(autocomplete="country") == expected  # once more, from what it kept


def test_another_language_or_selection_is_not_given_a_kept_rendering():
    widget = RememberedSelect()

    def rendered(choices, data):
        field = country_field(choices, data)
        return widget(field)

    english, korean = rendered(ENGLISH, None), rendered(KOREAN, None)
    assert "South Korea" in english and "대한민국" not in english
    assert "대한민국" in korean and "South Korea" not in korean
    assert 'selected value="GB"' in rendered(ENGLISH, "GB") or 'value="GB" selected' in rendered(
        ENGLISH, "GB"
    )


def test_labels_are_escaped():
    field = country_field([("X", "<script>")])
    assert "<script>" not in field()
    assert "&lt;script&gt;" in field()
