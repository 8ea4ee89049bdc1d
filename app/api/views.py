"""Public JSON: counts only, never anything about a signer."""

from flask import Blueprint, abort, current_app
from sqlalchemy import select

from app.campaigns.models import Campaign
from app.extensions import db
from app.short_cache import app_cache
from app.signatures.counts import campaign_tally

bp = Blueprint("api", __name__)


@bp.get("/c/<slug>/counts.json")
def counts(slug: str):
    # The serialized answer by slug (None for no such campaign): a campaign
    # polled by thousands of visitors costs this process one read and one
    # serialization every COUNTS_CACHE_SECONDS, a made-up slug one lookup.
    bodies = app_cache(current_app, "counts.json", max_entries=512)
    seconds = current_app.config["COUNTS_CACHE_SECONDS"]
    body = bodies.get(slug, lambda: counts_body(slug), seconds=seconds)
    if body is None:
        abort(404)
    response = current_app.response_class(body, mimetype="application/json")
    # Cheap for any cache or browser polling it to keep: with the process's
    # own copy, what anyone sees is at most a few seconds behind.
    response.headers["Cache-Control"] = (
        f"public, max-age={current_app.config['COUNTS_MAX_AGE_SECONDS']}"
    )
    return response


def counts_body(slug: str) -> bytes | None:
    # The campaign's id and goal only: no facts or articles for a count.
    row = db.session.execute(
        select(Campaign.id, Campaign.slug, Campaign.goal).where(Campaign.slug == slug)
    ).first()
    if row is None:
        return None
    # Read now, not from another cache: the body is the only copy kept.
    tally = campaign_tally(db.session(), row.id)
    document = {
        "campaign": row.slug,
        "goal": row.goal,
        "total": tally.confirmed,
        "by_country": [{"country": code, "count": n} for code, n in tally.by_country],
        "by_day": [{"date": day.isoformat(), "count": n} for day, n in tally.by_day],
    }
    return (current_app.json.dumps(document) + "\n").encode()
