from flask import Blueprint, abort, jsonify

from app.campaigns.service import get_campaign
from app.extensions import db
from app.signatures.counts import campaign_counts

bp = Blueprint("api", __name__)


@bp.get("/c/<slug>/counts.json")
def counts(slug: str):
    campaign = get_campaign(db.session, slug)
    if campaign is None:
        abort(404)
    counts = campaign_counts(db.session, campaign)
    response = jsonify(
        campaign=campaign.slug,
        goal=counts.goal,
        total=counts.confirmed,
        by_country=[{"country": code, "count": n} for code, n in counts.by_country],
        by_day=[{"date": day.isoformat(), "count": n} for day, n in counts.by_day],
    )
    response.headers["Cache-Control"] = "public, max-age=30"
    return response
