from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.facts.models import Fact
from app.facts.verification import Verification, verify_fact


def only_verified(facts: list[Fact]) -> list[Fact]:
    """The facts whose quotes are found in their articles, in the given order."""
    return [fact for fact in facts if verify_fact(fact).verified]


def verify_all_facts(session: Session) -> list[Verification]:
    facts = session.scalars(
        select(Fact).options(selectinload(Fact.article)).order_by(Fact.key)
    ).all()
    return [verify_fact(fact) for fact in facts]
