import hashlib
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.facts.models import Article, Fact
from app.facts.verification import Verification, verify_fact


def only_verified(facts: list[Fact]) -> list[Fact]:
    """The facts whose quotes are found in their articles, in the given order."""
    return [fact for fact in facts if verify_fact(fact).verified]


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
