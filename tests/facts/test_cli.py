from sqlalchemy import select

from app.extensions import db
from app.facts.models import Fact


def test_facts_verify_passes_on_the_seeds(seeded, runner):
    result = runner.invoke(args=["facts", "verify"])
    assert result.exit_code == 0, result.output
    assert "facts verified." in result.output
    assert "FAILED" not in result.output


def test_facts_verify_fails_naming_a_fact_whose_quote_was_altered(seeded, runner):
    fact = db.session.scalars(select(Fact).order_by(Fact.key)).first()
    words = fact.quote.split()
    words[len(words) // 2] = "altered"
    fact.quote = " ".join(words)
    db.session.commit()

    result = runner.invoke(args=["facts", "verify"])

    assert result.exit_code != 0
    assert f"FAILED    {fact.key}" in result.output
    assert f"failed verification (quote not found in the article): {fact.key}" in result.output


def test_facts_verify_on_an_empty_database_says_to_seed_first(app, runner):
    result = runner.invoke(args=["facts", "verify"])
    assert result.exit_code != 0
    assert "Run `flask seed` first." in result.output
