import click
from flask import current_app
from flask.cli import with_appcontext

from app.database import transaction
from app.extensions import db
from app.seeding.loader import SeedError
from app.seeding.service import seed


@click.command("seed")
@with_appcontext
def seed_command():
    """Load articles, facts, recipients and campaigns from seeds/."""
    try:
        with transaction(db.session):
            report = seed(db.session(), current_app.config["SEEDS_DIR"])
    except SeedError as error:
        raise click.ClickException(f"Seed refused, nothing written. {error}") from None
    for line in report.lines():
        click.echo(line)
    click.echo("Seed data is up to date." if report.changed == 0 else "Seed data loaded.")
