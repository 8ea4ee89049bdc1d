from pathlib import Path

import click
from flask.cli import AppGroup
from sqlalchemy import select

from app.campaigns.models import Campaign
from app.extensions import db
from app.letters.errors import LetterError
from app.letters.models import Recipient
from app.letters.service import build_letter_html, render_letter_pdf
from app.letters.signer import LETTER_LANGUAGES, Signer

letters_cli = AppGroup("letters", help="Build personalized appeal letters.")


@letters_cli.command("render")
@click.option("--campaign", "slug", required=True, help="Campaign slug.")
@click.option("--recipient", "recipient_key", required=True, help="Recipient key.")
@click.option("--name", required=True, help="The signer's name.")
@click.option("--city", default="", help="The signer's city.")
@click.option("--country", required=True, help="ISO 3166-1 alpha-2 code, e.g. GB.")
@click.option("--language", type=click.Choice(LETTER_LANGUAGES), default="en", show_default=True)
@click.option("--message", default="", help="The signer's personal message.")
@click.option("--date", "day", type=click.DateTime(["%Y-%m-%d"]), help="Letter date (today).")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
@click.option("--html", "as_html", is_flag=True, help="Write the HTML instead of the PDF.")
def render_command(
    slug, recipient_key, name, city, country, language, message, day, output, as_html
):
    """Write one letter to --output."""
    campaign = db.session.scalar(select(Campaign).where(Campaign.slug == slug))
    if campaign is None:
        raise click.ClickException(f"No campaign {slug!r}.")
    recipient = next((r for r in campaign.recipients if r.key == recipient_key), None)
    if recipient is None:
        known = db.session.scalar(select(Recipient).where(Recipient.key == recipient_key))
        problem = "is not offered by this campaign" if known else "does not exist"
        offered = ", ".join(r.key for r in campaign.recipients)
        raise click.ClickException(
            f"Recipient {recipient_key!r} {problem}. Campaign {slug!r} offers: {offered}."
        )
    signer = Signer(
        name=name, city=city, country=country.upper(), language=language, message=message
    )
    try:
        html = build_letter_html(campaign, recipient, signer, today=day.date() if day else None)
        if as_html:
            output.write_text(html, encoding="utf-8")
        else:
            output.write_bytes(render_letter_pdf(html))
    except LetterError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Wrote {output}")
