"""`flask organizer ...` (accounts and grants), `flask export counts`, `flask delivery-pack`."""

import json
from datetime import UTC, datetime

import click
from flask import current_app
from flask.cli import AppGroup

from app.campaigns.models import Campaign
from app.campaigns.service import get_campaign
from app.database import transaction
from app.extensions import db
from app.letters.signer import LETTER_LANGUAGES
from app.letters.templates import LETTER_TEMPLATES_DIR
from app.organizer import exports, service
from app.organizer.delivery import (
    build_delivery_pack,
    campaign_recipient,
    named_signatory_count,
)

organizer_cli = AppGroup("organizer", help="Organizer accounts and their campaigns.")
export_cli = AppGroup("export", help="Export a campaign's counts.")


@organizer_cli.command("create")
@click.argument("email")
@click.password_option(help="Prompted for when not given; at least 12 characters, hard to guess.")
def create_command(email: str, password: str):
    """Create an organizer who can log in with EMAIL."""
    try:
        with transaction(db.session):
            organizer = service.create_organizer(db.session(), email, password)
    except service.OrganizerError as error:
        raise click.ClickException(str(error)) from None
    click.echo(
        f"Organizer {organizer.email} created. Grant campaigns with `flask organizer grant`."
    )


@organizer_cli.command("set-password")
@click.argument("email")
@click.password_option(help="Prompted for when not given; at least 12 characters, hard to guess.")
def set_password_command(email: str, password: str):
    """Give organizer EMAIL a new password; their open sessions end."""
    try:
        with transaction(db.session):
            organizer = service.set_password(db.session(), email, password)
    except service.OrganizerError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"{organizer.email} has a new password; their open sessions have ended.")


@organizer_cli.command("grant")
@click.argument("email")
@click.argument("slug")
@click.option(
    "--signatures/--counts-only",
    "can_export_signatures",
    default=False,
    help="Also allow signatures.csv and the delivery pack, which name signers.",
)
def grant_command(email: str, slug: str, can_export_signatures: bool):
    """Let organizer EMAIL see campaign SLUG."""
    try:
        with transaction(db.session):
            service.grant(db.session(), email, slug, can_export_signatures=can_export_signatures)
    except service.OrganizerError as error:
        raise click.ClickException(str(error)) from None
    right = "counts and signer names" if can_export_signatures else "counts only"
    click.echo(f"{service.account_email(email)} may now see {slug} ({right}).")


@organizer_cli.command("revoke")
@click.argument("email")
@click.argument("slug")
def revoke_command(email: str, slug: str):
    """Take campaign SLUG away from organizer EMAIL."""
    try:
        with transaction(db.session):
            revoked = service.revoke(db.session(), email, slug)
    except service.OrganizerError as error:
        raise click.ClickException(str(error)) from None
    email = service.account_email(email)
    click.echo(f"{email} no longer sees {slug}." if revoked else f"{email} did not have {slug}.")


@organizer_cli.command("deactivate")
@click.argument("email")
def deactivate_command(email: str):
    """Lock organizer EMAIL out; their open sessions end at the next request."""
    try:
        with transaction(db.session):
            organizer = service.deactivate(db.session(), email)
    except service.OrganizerError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"{organizer.email} can no longer log in.")


@export_cli.command("counts")
@click.argument("slug")
@click.option("--format", "output_format", type=click.Choice(["csv", "json"]), default="csv")
@click.option("--output", type=click.File("w", encoding="utf-8"), default="-")
def export_counts_command(slug: str, output_format: str, output):
    """Write campaign SLUG's counts (by country, day and recipient)."""
    campaign = get_campaign_or_fail(slug)
    report = exports.counts_report(db.session(), campaign)
    with transaction(db.session):
        service.record_audit_event(
            db.session(),
            organizer=None,
            action=f"export counts.{output_format}",
            campaign=campaign,
            detail="command line",
        )
    if output_format == "csv":
        output.write(exports.counts_csv(report))
    else:
        output.write(json.dumps(exports.counts_json(report), indent=2, ensure_ascii=False) + "\n")


@click.command("delivery-pack")
@click.argument("slug")
@click.option("--recipient", "recipient_key", required=True, help="The recipient's key.")
@click.option("--output", type=click.Path(dir_okay=False, writable=True), required=True)
@click.option(
    "--language",
    type=click.Choice(LETTER_LANGUAGES),
    help="One the recipient reads; its first language if not given.",
)
def delivery_pack_command(slug: str, recipient_key: str, output: str, language: str | None):
    """Build campaign SLUG's delivery pack for one recipient as a PDF."""
    campaign = get_campaign_or_fail(slug)
    recipient = campaign_recipient(campaign, recipient_key)
    if recipient is None:
        keys = ", ".join(r.key for r in campaign.recipients)
        raise click.ClickException(f"{slug} has no recipient {recipient_key!r}; it has: {keys}.")
    if language and language not in recipient.languages:
        raise click.ClickException(
            f"{recipient.key} reads {', '.join(recipient.languages)}, not {language!r}."
        )
    with transaction(db.session):
        service.record_audit_event(
            db.session(),
            organizer=None,
            action="delivery pack",
            campaign=campaign,
            detail=f"recipient {recipient.key}, command line",
        )
    named = named_signatory_count(db.session(), campaign, recipient)
    with (
        open(output, "wb") as pdf,
        click.progressbar(length=named, label="Signatories", show_pos=True) as bar,
    ):
        contents = build_delivery_pack(
            db.session(),
            campaign,
            recipient,
            pdf,
            templates_dir=LETTER_TEMPLATES_DIR,
            on=datetime.now(UTC).date(),
            on_progress=bar.update,
            language=language,
            chunk_size=current_app.config["DELIVERY_PACK_CHUNK_SIZE"],
            processes=current_app.config["DELIVERY_PACK_PROCESSES"],
        )
    click.echo(
        f"{output}: {contents.total:,} signatures to {recipient.organization}, "
        f"{contents.named:,} named, {contents.counted_only:,} counted only."
    )


def get_campaign_or_fail(slug: str) -> Campaign:
    campaign = get_campaign(db.session(), slug)
    if campaign is None:
        raise click.ClickException(f"No campaign {slug!r}.")
    return campaign
