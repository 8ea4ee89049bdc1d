from flask import Blueprint, abort, render_template

from app.campaigns.service import get_campaign, list_campaigns, today
from app.extensions import db
from app.facts.service import only_verified

bp = Blueprint("campaigns", __name__)


@bp.get("/")
def index():
    return render_template(
        "campaigns/index.html", campaigns=list_campaigns(db.session), today=today()
    )


@bp.get("/c/<slug>")
def show(slug: str):
    campaign = get_campaign(db.session, slug)
    if campaign is None:
        abort(404)
    return render_template(
        "campaigns/show.html",
        campaign=campaign,
        facts=only_verified(campaign.facts),
        today=today(),
        confirmed=0,
    )
