"""`seed`: the seed files into the database, in the caller's transaction."""

from pathlib import Path

from sqlalchemy.orm import Session

from app.seeding.apply import SeedReport, apply_seeds
from app.seeding.letters_check import check_campaign_letters
from app.seeding.loader import load_seeds


def seed(session: Session, seeds_dir: Path) -> SeedReport:
    """Load and check every seed file, then write them in the caller's transaction.

    A bad seed raises SeedError before anything is written; a campaign whose
    letters would not build raises too (checked on the written rows), and
    the caller's transaction (`app.database.transaction`) rolls everything
    back. Nothing here commits.
    """
    bundle = load_seeds(seeds_dir)
    report = apply_seeds(session, bundle)
    check_campaign_letters(session, [campaign.slug for campaign in bundle.campaigns])
    return report
