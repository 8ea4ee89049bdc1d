"""The dashboard: totals, progress, tables and the chart per day."""

from datetime import UTC, datetime

from app.organizer.chart import signatures_per_day_svg
from app.signatures.models import PENDING
from tests.organizer.conftest import CAMPAIGN_X
from tests.signing import add_signature

BASE = f"/organizer/c/{CAMPAIGN_X}/"


def test_the_dashboard_shows_totals_progress_and_tables(organizers, alice):
    add_signature(name="Kim Min-jun", country="KR", recipient_key="cn-embassy-kr")
    add_signature(name="Jane Smith", country="GB", recipient_key="cn-embassy-gb")
    add_signature(
        name="Kim Ji-woo",
        country="KR",
        recipient_key="cn-embassy-kr",
        confirmed_at=datetime(2026, 11, 4, 8, 0, tzinfo=UTC),
    )
    add_signature(name="Pending Person", status=PENDING)
    html = alice.get(BASE).get_data(as_text=True)
    assert '<strong>3</strong>' in html
    assert "1 pending" in html
    assert '<progress class="progress__bar" max="10000" value="3"' in html
    by_country = html[html.index('id="by-country"') : html.index('id="recipient-heading"')]
    assert '<td>South Korea</td><td class="number">2</td>' in by_country
    assert '<td>United Kingdom</td><td class="number">1</td>' in by_country
    by_recipient = html[html.index('id="by-recipient"') : html.index('id="exports-heading"')]
    assert "Embassy" in by_recipient
    assert "Pending Person" not in html and "Kim Min-jun" not in html


def test_the_dashboard_draws_signatures_per_day_as_inline_svg_without_script(organizers, alice):
    add_signature(name="A", confirmed_at=datetime(2026, 11, 3, tzinfo=UTC))
    add_signature(name="B", confirmed_at=datetime(2026, 11, 3, tzinfo=UTC))
    add_signature(name="C", confirmed_at=datetime(2026, 11, 6, tzinfo=UTC))
    html = alice.get(BASE).get_data(as_text=True)
    svg = html[html.index("<svg") : html.index("</svg>")]
    assert svg.count("<rect") == 2
    assert "<title>2026-11-03: 2</title>" in svg
    assert "<script" not in html


def test_the_chart_has_a_title_and_description_and_escapes_them():
    svg = signatures_per_day_svg([], title="Per day <b>", desc="No signatures & none")
    assert 'role="img"' in svg
    assert '<title id="chart-title">Per day &lt;b&gt;</title>' in svg
    assert '<desc id="chart-desc">No signatures &amp; none</desc>' in svg
    assert "<rect" not in svg


def test_the_tallest_bar_fills_the_plot():
    from datetime import date

    svg = str(
        signatures_per_day_svg(
            [(date(2026, 11, 1), 5), (date(2026, 11, 2), 10)], title="t", desc="d"
        )
    )
    assert 'height="180.00"' in svg
    assert 'height="90.00"' in svg


def test_the_dashboard_in_korean_has_the_korean_title_and_country_names(organizers, alice):
    add_signature(name="Kim Min-jun", country="KR", recipient_key="cn-embassy-kr")
    add_signature(name="Anna Schmidt", country="DE", recipient_key="cn-embassy-de")
    html = alice.get(BASE + "?lang=ko").get_data(as_text=True)
    by_country = html[html.index('id="by-country"') : html.index('id="recipient-heading"')]
    assert "<td>대한민국</td>" in by_country and "<td>독일</td>" in by_country
    assert "<td>KR</td>" not in by_country and "<td>DE</td>" not in by_country
    assert "중국의 탈북민 강제송환을 멈춰 주십시오" in html


def test_the_chart_labels_are_page_text_outside_the_scaled_svg():
    from datetime import date

    html = str(
        signatures_per_day_svg(
            [(date(2026, 11, 1), 5), (date(2026, 11, 2), 1234)], title="t", desc="d"
        )
    )
    svg = html[html.index("<svg") : html.index("</svg>")]
    assert "<text" not in svg
    outside = html.replace(svg, "")
    assert "1,234" in outside and "2026-11-01" in outside and "2026-11-02" in outside
