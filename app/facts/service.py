import hashlib
import json
import math
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.facts.models import Article, Fact
from app.facts.verification import Verification, verify_fact
from app.short_cache import ShortCache


def only_verified(facts: list[Fact], known: ShortCache | None = None) -> list[Fact]:
    """The facts whose quotes are found in their articles, in the given order.

    With `known`, each outcome is kept under everything it depends on (see
    `verification_key`), so a page verifies each fact once per process and
    needs its article's text only then; editing the fact or its article
    changes the key, and the fact is verified again on the next view.
    """
    if known is None:
        return [fact for fact in facts if verify_fact(fact).verified]
    return [
        fact
        for fact in facts
        if known.get(verification_key(fact), partial(_is_verified, fact), seconds=math.inf)
    ]


def _is_verified(fact: Fact) -> bool:
    return verify_fact(fact).verified


def verification_key(fact: Fact) -> tuple:
    """What a fact's verification depends on, without reading the article's text.

    The text stands in by its article's id, checksum and last update: the
    seed (and any change through the models) rewrites `updated_at` whenever
    a row changes.
    """
    article = fact.article
    return (
        fact.id,
        fact.quote,
        fact.claim,
        json.dumps(fact.claim_translations or {}, sort_keys=True),
        fact.as_of,
        fact.value_number,
        fact.value_date,
        article.id,
        article.sha256,
        article.updated_at,
        json.dumps(article.furniture or {}, sort_keys=True),
    )


def verify_all_facts(session: Session) -> list[Verification]:
    facts = session.scalars(
        select(Fact).options(selectinload(Fact.article)).order_by(Fact.key)
    ).all()
    return [verify_fact(fact) for fact in facts]


@dataclass(frozen=True)
class ArticleChange:
    """An article whose file or stored text no longer matches what was seeded."""

    article_key: str
    file_name: str
    problem: str

    def __str__(self) -> str:
        return f"article {self.article_key!r} (seeds/articles/{self.file_name}): {self.problem}"


def changed_articles(session: Session, articles_dir: Path) -> list[ArticleChange]:
    """Articles whose file was edited, removed, or whose stored text was altered
    since seeding, by the sha256 taken when the file was loaded.

    A fact's quote is checked against the stored text; this says whether that
    text is still the saved page, byte for byte.
    """
    changes = []
    for article in session.scalars(select(Article).order_by(Article.key)):
        path = articles_dir / article.file_name
        if hashlib.sha256(article.text.encode("utf-8")).hexdigest() != article.sha256:
            problem = "the stored text differs from the file that was seeded"
        elif not path.is_file():
            problem = "the file is missing"
        elif hashlib.sha256(path.read_bytes()).hexdigest() != article.sha256:
            problem = "the file was edited after seeding; run `flask seed` to check it again"
        else:
            continue
        changes.append(ArticleChange(article.key, article.file_name, problem))
    return changes
