import click
from flask.cli import AppGroup

from app.extensions import db
from app.signatures.rollups import advance_rollups, check_rollups, refresh_all_rollups

counts_cli = AppGroup("counts", help="The count rollups behind every public and organizer count.")


@counts_cli.command("refresh")
@click.argument("slug", required=False)
def refresh_command(slug: str | None):
    """Rebuild the counts of one campaign (or all) from the signatures, e.g. after a restore."""
    totals = refresh_all_rollups(db.session(), slug)
    if slug is not None and not totals:
        raise click.ClickException(f"No campaign {slug!r}.")
    for campaign, total in totals.items():
        click.echo(f"{campaign}: {total} confirmed")


@counts_cli.command("advance")
def advance_command():
    """Fold the latest confirmations and withdrawals into the rollup (every few seconds)."""
    report = advance_rollups(db.session())
    click.echo(f"{report.changes} changes folded into {report.rollup_rows} rollup rows.")


@counts_cli.command("check")
def check_command():
    """Recount every campaign from its signatures and repair any difference (nightly)."""
    report = check_rollups(db.session())
    repaired = ", ".join(report.repaired) or "none"
    click.echo(f"{report.campaigns} campaigns checked; repaired: {repaired}.")
