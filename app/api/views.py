from flask import Blueprint, abort, jsonify
from sqlalchemy import select

from app.campaigns.models import Campaign
from app.extensions import db
from app.signatures.counts import campaign_counts

bp = Blueprint("api", __name__)


@bp.get("/c/<slug>/counts.json")
def counts(slug: str):
    # The campaign's row only: no facts or articles for a count.
    campaign = db.session.scalar(select(Campaign).where(Campaign.slug == slug))
    if campaign is None:
        abort(404)
    counts = campaign_counts(db.session(), campaign)
    response = jsonify(
        campaign=campaign.slug,
        goal=counts.goal,
        total=counts.confirmed,
        by_country=[{"country": code, "count": n} for code, n in counts.by_country],
        by_day=[{"date": day.isoformat(), "count": n} for day, n in counts.by_day],
    )
    # Exact within seconds of a confirmation, and cheap for any cache or
    # browser polling it to keep that long.
    response.headers["Cache-Control"] = "public, max-age=5"
    return response
