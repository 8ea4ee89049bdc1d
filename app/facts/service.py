import json
import math

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.facts.models import Fact
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
        if known.get(
            verification_key(fact), lambda fact=fact: verify_fact(fact).verified, seconds=math.inf
        )
    ]


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
