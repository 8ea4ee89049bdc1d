import time

import click
from flask import current_app
from flask.cli import AppGroup

from app.extensions import db
from app.outbox.mailers import mailer_for
from app.outbox.service import deliver_due

outbox_cli = AppGroup("outbox", help="Send the queued mail.")


def _deliver():
    return deliver_due(
        db.session,
        mailer_for(current_app.config),
        max_attempts=current_app.config["OUTBOX_MAX_ATTEMPTS"],
        duplicate_notice_limit=current_app.config["DUPLICATE_NOTICE_LIMIT"],
    )


@outbox_cli.command("send")
def send_command():
    """Send the mail that is due once, then stop."""
    report = _deliver()
    click.echo(f"{report.sent} sent, {report.failed} to retry, {report.given_up} given up.")


@outbox_cli.command("work")
@click.option("--interval", default=5.0, show_default=True, help="Seconds between rounds.")
def work_command(interval: float):
    """Keep sending queued mail until stopped (the production mail worker)."""
    click.echo("Sending queued mail; Ctrl+C stops.")
    while True:
        report = _deliver()
        if report.sent or report.failed or report.given_up:
            click.echo(f"{report.sent} sent, {report.failed} to retry, {report.given_up} given up.")
        db.session.remove()
        time.sleep(interval)
