"""`flask retention run` and `flask signatures invalidate`."""

import click
from flask import current_app
from flask.cli import AppGroup

from app.campaigns.service import get_campaign
from app.database import transaction, utcnow
from app.extensions import db
from app.organizer.pack_jobs import delete_campaign_packs
from app.organizer.service import record_audit_event
from app.signatures.invalidation import (
    InvalidationReport,
    NotAnAddress,
    addresses_in,
    invalidate_signatures,
)
from app.signatures.retention import delete_packs_of, run_retention

retention_cli = AppGroup("retention", help="Erase signer data that is no longer needed.")
signatures_cli = AppGroup("signatures", help="Organizers' work on a campaign's signatures.")


@retention_cli.command("run")
def run_command():
    """Delete expired unconfirmed signatures; erase signer details of long-closed campaigns."""
    config = current_app.config
    with transaction(db.session):
        report = run_retention(
            db.session(),
            now=utcnow(),
            days_after_close=config["RETENTION_DAYS_AFTER_CLOSE"],
            progress=lambda slug, erased: click.echo(f"  {slug}: {erased} signatures erased"),
        )
    with transaction(db.session):
        delete_packs_of(db.session(), config["DELIVERY_PACK_DIR"], report.campaign_ids)
    click.echo(
        f"{report.expired_pending_deleted} expired unconfirmed signatures deleted; "
        f"{report.signatures_anonymized} signatures erased in "
        f"{report.campaigns_anonymized} closed campaigns."
    )


@signatures_cli.command("invalidate")
@click.argument("slug")
# Addresses come from a file, never the command line: they stay out of the
# shell's history and of the process list.
@click.argument("address_file", metavar="FILE", type=click.File("r", encoding="utf-8-sig"))
@click.option("--dry-run", is_flag=True, help="Report what would be invalidated; change nothing.")
def invalidate_command(slug: str, address_file, dry_run: bool):
    """Take fraudulent signatures out of campaign SLUG.

    FILE lists their email addresses, one a line (`-`: standard input); blank
    lines and lines starting with # are skipped. Each pending or confirmed
    signature of those addresses is invalidated: it leaves the counts, keeps
    nothing of its signer, and its emailed links stop working. Withdrawn and
    invalidated signatures keep no address, so theirs match nothing. The
    address may sign again, and has to confirm again.
    """
    campaign = get_campaign(db.session(), slug)
    if campaign is None:
        raise click.ClickException(f"No campaign {slug!r}.")
    try:
        addresses = addresses_in(address_file)
    except NotAnAddress as error:
        # The line's number only: its text may be a signer's address.
        raise click.ClickException(
            f"Line {error.line_number} of {address_file.name} is not an email address; "
            "nothing was changed."
        ) from None
    except UnicodeDecodeError:
        raise click.ClickException(
            f"{address_file.name} is not UTF-8 text; nothing was changed."
        ) from None
    if dry_run:
        report = invalidate_signatures(db.session(), campaign, addresses, dry_run=True)
        db.session.rollback()
        click.echo("Dry run, nothing changed: " + described(report, dry_run=True))
        return
    with transaction(db.session):
        report = invalidate_signatures(db.session(), campaign, addresses)
        record_audit_event(
            db.session(),
            organizer=None,
            action="invalidate signatures",
            campaign=campaign,
            # The numbers only, never an address.
            detail=(
                f"invalidated {report.invalidated} ({report.were_confirmed} confirmed), "
                f"not found {report.not_found}, already out {report.already_out}; command line"
            ),
        )
    click.echo(described(report, dry_run=False))
    if report.were_confirmed:
        # A pack built before counts the invalidated signatures: it must not
        # be delivered. The invalidation already ended its time (and that of
        # any build under way); its file is deleted now, once that has
        # committed, as retention does, so a failed one leaves the packs.
        with transaction(db.session):
            deleted = delete_campaign_packs(
                db.session(), current_app.config["DELIVERY_PACK_DIR"], campaign.id
            )
        if deleted:
            them = "it" if deleted == 1 else "them"
            click.echo(
                f"{_count(deleted, 'delivery pack')} built before deleted; "
                f"build {them} again without these signatures."
            )


def described(report: InvalidationReport, *, dry_run: bool) -> str:
    """The report in a sentence, e.g. "3 signatures invalidated (2 were
    confirmed and have left the counts); 1 address matched no signature."."""
    invalidated = _count(report.invalidated, "signature")
    confirmed = report.were_confirmed
    if dry_run:
        parts = [f"{invalidated} would be invalidated"]
        if confirmed:
            verb = "is" if confirmed == 1 else "are"
            parts[0] += f" ({confirmed} {verb} confirmed and would leave the counts)"
    else:
        parts = [f"{invalidated} invalidated"]
        if confirmed:
            verb = "was" if confirmed == 1 else "were"
            has = "has" if confirmed == 1 else "have"
            parts[0] += f" ({confirmed} {verb} confirmed and {has} left the counts)"
    if report.not_found:
        matched = "matches" if dry_run else "matched"
        parts.append(f"{_count(report.not_found, 'address', 'addresses')} {matched} no signature")
    if report.already_out:
        verb = "was" if report.already_out == 1 else "were"
        parts.append(f"{report.already_out} {verb} already withdrawn or invalidated")
    return "; ".join(parts) + "."


def _count(n: int, singular: str, plural: str | None = None) -> str:
    return f"{n} {singular if n == 1 else plural or singular + 's'}"
