"""The campaign page verifies each fact once per process and never reads the
articles' texts again until a fact or its article changes."""

import re

from sqlalchemy import event, select

from app.campaigns.models import Campaign
from app.extensions import db
from app.facts.models import Article, Fact

OPEN_SLUG = "stop-forced-returns"
# The column, whatever alias a statement gives its table.
ARTICLE_TEXT = re.compile(r"\barticles(_\d+)?\.text\b")


def first_fact() -> Fact:
    return db.session.scalar(select(Campaign).where(Campaign.slug == OPEN_SLUG)).facts[0]


def shown(client, fact_key: str) -> bool:
    return f'id="fact-{fact_key}"' in client.get(f"/c/{OPEN_SLUG}").get_data(as_text=True)


def test_the_page_reads_no_article_text_once_its_facts_are_verified(seeded, client):
    client.get(f"/c/{OPEN_SLUG}")
    statements = []

    def remember(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", remember)
    try:
        assert shown(client, first_fact().key)
    finally:
        event.remove(db.engine, "before_cursor_execute", remember)

    assert statements
    assert not [statement for statement in statements if ARTICLE_TEXT.search(statement)]


def test_a_fact_stops_being_shown_once_its_article_no_longer_holds_its_quote(seeded, client):
    fact = first_fact()
    assert shown(client, fact.key)

    article = db.session.get(Article, fact.article_id)
    article.text = article.text.replace(fact.quote.split()[-1], "elsewhere")
    db.session.commit()

    assert not shown(client, fact.key)


def test_a_fact_shown_again_once_its_quote_is_put_right(seeded, client):
    fact = first_fact()
    quote = fact.quote
    db.session.get(Fact, fact.id).quote = quote + " and more"
    db.session.commit()
    assert not shown(client, fact.key)

    db.session.get(Fact, fact.id).quote = quote
    db.session.commit()
    assert shown(client, fact.key)
