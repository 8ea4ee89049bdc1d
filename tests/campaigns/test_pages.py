import re

from sqlalchemy import select

from app.campaigns.models import Campaign
from app.extensions import db
from app.facts.models import Fact

OPEN_SLUG = "stop-forced-returns"
CLOSED_SLUG = "save-my-friend-2012"


def page_text(response) -> str:
    return response.get_data(as_text=True)


def test_the_home_page_lists_open_and_closed_campaigns(seeded, client):
    response = client.get("/")
    assert response.status_code == 200
    html = page_text(response)
    for campaign in db.session.scalars(select(Campaign)):
        assert f'href="/c/{campaign.slug}"' in html
    assert html.index(OPEN_SLUG) < html.index(CLOSED_SLUG)
    assert "Open" in html and "Closed" in html


def test_a_campaign_page_shows_title_goal_progress_and_facts(seeded, client):
    campaign = db.session.scalar(select(Campaign).where(Campaign.slug == OPEN_SLUG))
    html = page_text(client.get(f"/c/{OPEN_SLUG}"))
    assert campaign.title.replace("'", "&#39;") in html
    assert "<progress" in html
    assert f"goal of {campaign.goal:,}" in html
    for fact in campaign.facts:
        assert f'id="fact-{fact.key}"' in html


def test_each_fact_shows_its_quote_and_source_with_an_approximate_period(seeded, client):
    fact = db.session.scalar(select(Campaign).where(Campaign.slug == OPEN_SLUG)).facts[0]
    html = page_text(client.get(f"/c/{OPEN_SLUG}"))
    item = html[html.index(f'id="fact-{fact.key}"') :]
    item = item[: item.index("</li>")]
    assert fact.quote.replace('"', "&#34;").replace("'", "&#39;")[:60] in item
    assert fact.article.outlet in item
    assert fact.article.title.replace("'", "&#39;") in item
    assert f"approximately {fact.article.period}" in item


def test_a_closed_campaign_is_shown_as_a_closed_archive(seeded, client):
    html = page_text(client.get(f"/c/{CLOSED_SLUG}"))
    assert "Closed on" in html
    assert "kept as an archive" in html


def test_a_fact_whose_quote_is_altered_by_one_word_disappears_from_the_page(seeded, client):
    fact = db.session.scalar(select(Campaign).where(Campaign.slug == OPEN_SLUG)).facts[0]
    assert f'id="fact-{fact.key}"' in page_text(client.get(f"/c/{OPEN_SLUG}"))

    words = fact.quote.split()
    words[-1] = "elsewhere"
    db.session.get(Fact, fact.id).quote = " ".join(words)
    db.session.commit()

    html = page_text(client.get(f"/c/{OPEN_SLUG}"))
    assert f'id="fact-{fact.key}"' not in html
    assert " ".join(words) not in html


def test_an_unknown_campaign_is_a_404_page(seeded, client):
    response = client.get("/c/no-such-campaign")
    assert response.status_code == 404
    assert "Page not found" in page_text(response)


def test_pages_load_nothing_from_other_sites(seeded, client):
    for path in ("/", f"/c/{OPEN_SLUG}"):
        response = client.get(path)
        html = page_text(response)
        assert not re.search(r'(src|href)="(https?:)?//', html)
        assert "default-src 'self'" in response.headers["Content-Security-Policy"]


def test_the_stylesheet_is_served_by_the_app(app, client):
    response = client.get("/static/css/site.css")
    assert response.status_code == 200
    assert "@import" not in page_text(response)
    assert "url(http" not in page_text(response)


def test_the_page_is_in_korean_when_the_browser_asks_for_it(seeded, client):
    campaign = db.session.scalar(select(Campaign).where(Campaign.slug == OPEN_SLUG))
    html = page_text(client.get(f"/c/{OPEN_SLUG}", headers={"Accept-Language": "ko-KR,ko;q=0.9"}))
    assert '<html lang="ko">' in html
    assert campaign.title_in("ko") in html


def test_the_language_switcher_is_remembered(seeded, client):
    client.get("/?lang=ko")
    html = page_text(client.get("/"))
    assert '<html lang="ko">' in html


def test_a_past_case_page_says_it_states_what_was_reported_then_in_the_visitors_language(
    seeded, client
):
    html = page_text(client.get("/c/shenyang-seven"))
    assert "This campaign is about a case reported at some time between 2017 and 2021." in html
    assert "the reports do not say what became of the people detained" in html
    korean = page_text(client.get("/c/shenyang-seven?lang=ko"))
    assert "이 캠페인은 2017년에서 2021년 사이에 보도된 사건을 다룹니다." in korean


def test_a_page_says_its_statements_are_backed_by_quotes_not_quoted_word_for_word(seeded, client):
    html = page_text(client.get(f"/c/{OPEN_SLUG}"))
    assert "word for word" not in html
    assert "Each statement is backed by a verbatim quote from a published article" in html


def test_an_article_without_a_headline_is_cited_as_untitled_never_by_its_photo_caption(
    seeded, client
):
    html = page_text(client.get("/c/shenyang-seven"))
    assert "Photo: iStock" not in html
    assert "being held in China after fleeing their country" not in html
    assert "Source: untitled," in re.sub(r"\s+", " ", html)
