"""The real seed data as unsaved model objects, for letter tests that need no database."""

from dataclasses import asdict
from functools import cache

from app.campaigns.models import Campaign
from app.facts.models import Article, Fact
from app.letters.models import Recipient
from app.seeding.loader import load_seeds
from config import BASE_DIR


@cache
def _bundle():
    return load_seeds(BASE_DIR / "seeds")


def seed_world() -> tuple[dict[str, Campaign], dict[str, Recipient]]:
    """Fresh objects on each call, so a test may alter them freely."""
    bundle = _bundle()
    articles = {seed.key: Article(**asdict(seed)) for seed in bundle.articles}
    facts = {}
    for seed in bundle.facts:
        values = asdict(seed)
        values["article"] = articles[values.pop("article")]
        facts[seed.key] = Fact(**values)
    recipients = {seed.key: Recipient(**asdict(seed)) for seed in bundle.recipients}
    campaigns = {}
    for seed in bundle.campaigns:
        values = asdict(seed)
        fact_keys, recipient_keys = values.pop("facts"), values.pop("recipients")
        campaign = Campaign(**values)
        campaign.facts = [facts[key] for key in fact_keys]
        campaign.recipients = [recipients[key] for key in recipient_keys]
        campaigns[seed.slug] = campaign
    return campaigns, recipients
