from datetime import UTC, date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.campaigns.models import Campaign
from app.facts.models import Article, Fact


def today() -> date:
    return datetime.now(UTC).date()


def list_campaigns(session: Session) -> list[Campaign]:
    """Every campaign: the open ones first, then the rest, newest first."""
    campaigns = session.scalars(select(Campaign).order_by(Campaign.opens_on.desc())).all()
    day = today()
    return sorted(campaigns, key=lambda campaign: not campaign.is_open_on(day))


def get_campaign(session: Session, slug: str) -> Campaign | None:
    return session.scalar(
        select(Campaign)
        .where(Campaign.slug == slug)
        .options(selectinload(Campaign.facts).selectinload(Fact.article))
    )


def get_campaign_page(session: Session, slug: str) -> Campaign | None:
    """The campaign with what its page shows, in three small statements: its
    facts with their articles' citations (never the articles' texts, which
    only verification reads, once per process) and its recipients."""
    return session.scalar(
        select(Campaign)
        .where(Campaign.slug == slug)
        .options(
            selectinload(Campaign.facts).joinedload(Fact.article).defer(Article.text),
            selectinload(Campaign.recipients),
        )
    )
