from datetime import UTC, datetime, timedelta

from app.campaigns.service import get_campaign
from app.extensions import db
from tests.conftest import make_app
from tests.signing import CLOSED_SLUG, OPEN_SLUG, add_signature


def test_counts_json_gives_total_by_country_by_day_and_goal(seeded, client):
    campaign = get_campaign(db.session, OPEN_SLUG)
    day_one = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
    add_signature(name="A", country="KR", confirmed_at=day_one)
    add_signature(name="B", country="KR", confirmed_at=day_one + timedelta(days=1))
    add_signature(name="C", country="GB", confirmed_at=day_one + timedelta(days=1))
    add_signature(name="D", country="US", status="pending")
    add_signature(name="E", country="US", status="withdrawn")
    add_signature(name="F", country="US", status="invalidated")

    data = client.get(f"/c/{OPEN_SLUG}/counts.json").get_json()

    assert data == {
        "campaign": OPEN_SLUG,
        "goal": campaign.goal,
        "total": 3,
        "by_country": [{"country": "KR", "count": 2}, {"country": "GB", "count": 1}],
        "by_day": [{"date": "2026-11-20", "count": 1}, {"date": "2026-11-21", "count": 2}],
    }


def test_counts_json_names_no_signer(seeded, client):
    add_signature(email="secret.person@x.org")
    body = client.get(f"/c/{OPEN_SLUG}/counts.json").get_data(as_text=True)
    assert "secret.person" not in body


def test_an_archived_campaign_still_has_counts(seeded, client):
    assert client.get(f"/c/{CLOSED_SLUG}/counts.json").get_json()["total"] == 0


def test_counts_json_for_an_unknown_campaign_is_404(seeded, client):
    assert client.get("/c/nope/counts.json").status_code == 404


def test_a_day_is_a_utc_day_whatever_the_database_time_zone(seeded):
    url = seeded.config["SQLALCHEMY_DATABASE_URI"]
    options = {"pool_pre_ping": True}
    if url.startswith("postgresql"):
        # A server whose own time zone is a day ahead at 23:30 UTC.
        options["connect_args"] = {"options": "-c timezone=Asia/Seoul"}
    app = make_app(url, SQLALCHEMY_ENGINE_OPTIONS=options)
    add_signature(name="Late", confirmed_at=datetime(2026, 11, 20, 23, 30, tzinfo=UTC))

    by_day = app.test_client().get(f"/c/{OPEN_SLUG}/counts.json").get_json()["by_day"]

    assert by_day == [{"date": "2026-11-20", "count": 1}]


def test_counts_json_may_be_kept_by_browsers_and_proxies_for_a_few_seconds(seeded, client):
    response = client.get(f"/c/{OPEN_SLUG}/counts.json")
    assert response.headers["Cache-Control"] == "public, max-age=3"
    assert response.mimetype == "application/json"


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def kept_for_two_seconds(app, cache_name: str) -> Clock:
    """Turn the process's short cache on, on a clock the test moves."""
    from app.short_cache import app_cache

    app.config["COUNTS_CACHE_SECONDS"] = 2
    clock = Clock()
    app_cache(app, cache_name).clock = clock
    return clock


def test_a_confirmation_reaches_counts_json_once_the_kept_copy_is_two_seconds_old(seeded, client):
    clock = kept_for_two_seconds(seeded, "counts.json")
    assert client.get(f"/c/{OPEN_SLUG}/counts.json").get_json()["total"] == 0

    add_signature(name="New", country="KR")
    clock.now += 1.5
    assert client.get(f"/c/{OPEN_SLUG}/counts.json").get_json()["total"] == 0
    clock.now += 1
    data = client.get(f"/c/{OPEN_SLUG}/counts.json").get_json()
    assert data["total"] == 1
    assert data["by_country"] == [{"country": "KR", "count": 1}]


def test_an_unknown_campaign_stays_a_404_while_counts_are_kept(seeded, client):
    kept_for_two_seconds(seeded, "counts.json")
    assert client.get("/c/nope/counts.json").status_code == 404
    assert client.get("/c/nope/counts.json").status_code == 404
