from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from app.extensions import db
from app.facts.service import changed_articles, verify_all_facts

facts_cli = AppGroup("facts", help="Check the case facts against their articles.")


@facts_cli.command("verify")
def verify_command():
    """Print every fact with its status; fail naming each fact whose quote is not
    found or whose claims state a number or drop a hedge the quote does not,
    and each article whose file changed since it was seeded."""
    results = verify_all_facts(db.session())
    if not results:
        raise click.ClickException("No facts in the database. Run `flask seed` first.")
    for result in results:
        status = "verified" if result.verified else "FAILED  "
        click.echo(f"{status}  {result.fact_key}  ({result.article_key})")
        for reason in result.reasons():
            click.echo(f"          {result.fact_key}: {reason}")
    failed = [result.fact_key for result in results if not result.verified]
    changed = changed_articles(db.session(), Path(current_app.config["SEEDS_DIR"]) / "articles")
    for change in changed:
        click.echo(f"CHANGED   {change}")
    if changed:
        raise click.ClickException(
            f"{len(changed)} article(s) changed since seeding: "
            + ", ".join(change.article_key for change in changed)
        )
    if failed:
        raise click.ClickException(
            f"{len(failed)} of {len(results)} facts failed verification: {', '.join(failed)}"
        )
    click.echo(f"All {len(results)} facts verified.")
