import click
from flask import current_app
from flask.cli import AppGroup

from app.extensions import db
from app.outbox.sending import send_due_mail

outbox_cli = AppGroup("outbox", help="Send the queued mail.")


@outbox_cli.command("send")
def send_command():
    """Send the mail that is due once, then stop."""
    report = send_due_mail(db.session(), current_app.config)
    if report.server_unavailable:
        click.echo("The mail server is unavailable; the mail stays queued.")
    click.echo(f"{report.sent} sent, {report.failed} to retry, {report.given_up} given up.")


@outbox_cli.command("work")
@click.option("--workers", default=2, show_default=True, help="Worker threads.")
def work_command(workers: int):
    """The same as `flask jobs work`: mail, delivery packs and periodic jobs."""
    from app.jobs.cli import work

    work(workers, periodic=True, with_parent=False)
