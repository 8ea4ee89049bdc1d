from pathlib import Path

from sqlalchemy.orm import Session

from app.seeding.apply import SeedReport, apply_seeds
from app.seeding.loader import load_seeds


def seed(session: Session, seeds_dir: Path) -> SeedReport:
    """Load and check every seed file, then write them in one transaction.

    A bad seed raises SeedError before anything is written; any failure while
    writing rolls the whole transaction back.
    """
    bundle = load_seeds(seeds_dir)
    try:
        report = apply_seeds(session, bundle)
        session.commit()
    except Exception:
        session.rollback()
        raise
    return report
