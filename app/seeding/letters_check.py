"""Would every letter a campaign offers build? Checked before a seed is committed.

A letter is built from the campaign's declared facts, its recipients and the
templates; any of them can be wrong in a way the seed files alone do not show
(a fact whose claim fails verification, a template missing for a language a
recipient reads). So every campaign's letter is built once for each recipient
and each language that recipient reads, as a signer would ask for it, and the
first one that fails stops the seed.
"""

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.campaigns.models import Campaign
from app.facts.models import Fact
from app.letters.errors import LetterError
from app.letters.service import build_letter_html
from app.letters.signer import Signer
from app.seeding.loader import SeedError

# A signer who exists only for this check; nothing they "write" is kept.
_CHECK_SIGNER = dict(name="Seed check", city="", country="GB", message="")


def letters_that_fail(campaign) -> list[tuple[str, str, str]]:
    """(recipient key, language, problem) for each letter of the campaign that would not build."""
    failures = []
    for recipient in campaign.recipients:
        for language in recipient.languages or ["en"]:
            signer = Signer(language=language, **_CHECK_SIGNER)
            try:
                build_letter_html(campaign, recipient, signer, today=date(2000, 1, 1))
            except LetterError as error:
                failures.append((recipient.key, language, str(error)))
    return failures


def check_campaign_letters(session: Session, slugs: list[str]) -> None:
    """Raise SeedError naming the campaign, the recipient kind and the problem (which
    names the fact at fault) for the first letter that would not build."""
    session.flush()
    campaigns = session.scalars(
        select(Campaign)
        .where(Campaign.slug.in_(slugs))
        .options(
            selectinload(Campaign.facts).selectinload(Fact.article),
            selectinload(Campaign.recipients),
        )
        .execution_options(populate_existing=True)
    ).all()
    for campaign in sorted(campaigns, key=lambda c: slugs.index(c.slug)):
        kinds = {recipient.key: recipient.kind for recipient in campaign.recipients}
        for recipient_key, language, problem in letters_that_fail(campaign):
            raise SeedError(
                "seeds/campaigns.yaml",
                f"{campaign.slug}",
                f"its {kinds[recipient_key]} letter to {recipient_key} in {language!r} "
                f"would not build: {problem}",
            )
