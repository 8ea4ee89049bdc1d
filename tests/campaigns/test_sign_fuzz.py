"""Arbitrary text in every field of the sign form never causes a 500."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.signing import HONEYPOT_FIELD, OPEN_SLUG, SIGN_FIELDS

FIELDS = (*SIGN_FIELDS, HONEYPOT_FIELD)
text = st.text(max_size=300) | st.sampled_from(
    ["", "=1+1", "KR", "en", "unhcr", "y", "a@b.co", "\x00", "\ud7ff", "<script>", "%(max)d"]
)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.fixed_dictionaries({}, optional={field: text for field in FIELDS}))
def test_any_text_in_any_field_never_causes_a_server_error(seeded, client, fields):
    response = client.post(f"/c/{OPEN_SLUG}/sign", data=fields)
    assert response.status_code in (303, 422), response.status_code
