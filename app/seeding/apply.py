"""Write a checked SeedBundle to the database.

Rows are matched by key, so running the seed again changes nothing and an
edited seed file updates only the rows it changed. Nothing here commits:
the command that seeds owns the transaction (`app.database.transaction`).
"""

from collections import Counter
from dataclasses import asdict
from typing import TypeVar

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from app.campaigns.models import Campaign, campaign_facts, campaign_recipients
from app.database import Base
from app.facts.models import Article, Fact
from app.letters.models import Recipient
from app.seeding.loader import SeedBundle


class SeedReport:
    """How many rows of each kind were created, updated or left unchanged."""

    def __init__(self):
        self.counts: dict[str, Counter] = {}

    def add(self, kind: str, outcome: str) -> None:
        self.counts.setdefault(kind, Counter())[outcome] += 1

    @property
    def changed(self) -> int:
        return sum(c["created"] + c["updated"] + c["deleted"] for c in self.counts.values())

    def lines(self) -> list[str]:
        return [
            f"{kind}: {c['created']} created, {c['updated']} updated, "
            f"{c['deleted']} deleted, {c['unchanged']} unchanged"
            for kind, c in self.counts.items()
        ]


M = TypeVar("M", bound=Base)


def _upsert(session: Session, model: type[M], key_field: str, values: dict) -> tuple[M, str]:
    row = session.scalar(select(model).where(getattr(model, key_field) == values[key_field]))
    if row is None:
        row = model(**values)
        session.add(row)
        return row, "created"
    changed = False
    for field, value in values.items():
        if getattr(row, field) != value:
            setattr(row, field, value)
            changed = True
    return row, "updated" if changed else "unchanged"


def _replace_links(
    session: Session,
    table,
    owner_column: str,
    owner_id: int,
    target_column: str,
    target_ids: list[int],
) -> bool:
    """Make the ordered link rows equal `target_ids`; says whether anything changed."""
    owner = table.c[owner_column]
    current = (
        session.execute(
            select(table.c[target_column]).where(owner == owner_id).order_by(table.c.position)
        )
        .scalars()
        .all()
    )
    if list(current) == target_ids:
        return False
    session.execute(delete(table).where(owner == owner_id))
    if target_ids:
        session.execute(
            insert(table),
            [
                {owner_column: owner_id, target_column: target_id, "position": position}
                for position, target_id in enumerate(target_ids)
            ],
        )
    return True


def apply_seeds(session: Session, bundle: SeedBundle) -> SeedReport:
    report = SeedReport()

    articles: dict[str, Article] = {}
    for article_seed in bundle.articles:
        article, outcome = _upsert(session, Article, "key", asdict(article_seed))
        articles[article_seed.key] = article
        report.add("articles", outcome)
    session.flush()

    facts: dict[str, Fact] = {}
    for fact_seed in bundle.facts:
        values = asdict(fact_seed)
        values["article_id"] = articles[values.pop("article")].id
        fact, outcome = _upsert(session, Fact, "key", values)
        facts[fact_seed.key] = fact
        report.add("facts", outcome)

    recipients: dict[str, Recipient] = {}
    for recipient_seed in bundle.recipients:
        recipient, outcome = _upsert(session, Recipient, "key", asdict(recipient_seed))
        recipients[recipient_seed.key] = recipient
        report.add("recipients", outcome)
    session.flush()

    for campaign_seed in bundle.campaigns:
        values = asdict(campaign_seed)
        fact_keys, recipient_keys = values.pop("facts"), values.pop("recipients")
        row, outcome = _upsert(session, Campaign, "slug", values)
        session.flush()
        links_changed = _replace_links(
            session,
            campaign_facts,
            "campaign_id",
            row.id,
            "fact_id",
            [facts[key].id for key in fact_keys],
        )
        links_changed |= _replace_links(
            session,
            campaign_recipients,
            "campaign_id",
            row.id,
            "recipient_id",
            [recipients[key].id for key in recipient_keys],
        )
        if outcome == "unchanged" and links_changed:
            outcome = "updated"
        report.add("campaigns", outcome)

    # Facts and articles belong to the seeds alone: one taken out of the seed
    # files goes. Recipients and campaigns may hold signatures, so they stay.
    stale_facts = session.scalars(select(Fact).where(Fact.key.not_in(list(facts)))).all()
    for fact in stale_facts:
        session.execute(delete(campaign_facts).where(campaign_facts.c.fact_id == fact.id))
        session.delete(fact)
        report.add("facts", "deleted")
    session.flush()
    seeded_article_keys = [seed.key for seed in bundle.articles]
    for article in session.scalars(select(Article).where(Article.key.not_in(seeded_article_keys))):
        session.delete(article)
        report.add("articles", "deleted")
    session.flush()
    return report
