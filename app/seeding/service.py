from pathlib import Path

from sqlalchemy.orm import Session

from app.seeding.apply import SeedReport, apply_seeds
from app.seeding.letters_check import check_campaign_letters
from app.seeding.loader import load_seeds


def seed(session: Session, seeds_dir: Path) -> SeedReport:
    """Load and check every seed file, then write them in one transaction.

    A bad seed raises SeedError before anything is written; any failure while
    writing rolls the whole transaction back, and so does a campaign whose
    letters would not build (checked on the written rows, before the commit).
    """
    bundle = load_seeds(seeds_dir)
    try:
        report = apply_seeds(session, bundle)
        check_campaign_letters(session, [campaign.slug for campaign in bundle.campaigns])
        session.commit()
    except Exception:
        session.rollback()
        raise
    return report
