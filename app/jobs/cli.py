"""`flask jobs work` (the worker) and `flask jobs run NAME` (one periodic job now)."""

import click
from flask import current_app
from flask.cli import AppGroup

from app.jobs.queue import jobs_for
from app.jobs.schedule import PERIODIC_JOBS
from app.jobs.worker import consumer_for, stop_with_parent

jobs_cli = AppGroup("jobs", help="The job queue: mail, delivery packs, periodic jobs.")


def work(workers: int, periodic: bool, with_parent: bool) -> None:
    app = current_app._get_current_object()  # type: ignore[attr-defined]  # a LocalProxy, typed as Flask
    if app.config["JOBS_IMMEDIATE"]:
        raise click.ClickException("JOBS_IMMEDIATE is on: jobs run in the web process.")
    consumer = consumer_for(app, workers=workers, periodic=periodic)
    if with_parent:
        stop_with_parent(consumer)
    click.echo(f"Worker: {workers} threads, periodic jobs {'on' if periodic else 'off'}.")
    consumer.run()


@jobs_cli.command("work")
@click.option("--workers", default=2, show_default=True, help="Worker threads.")
@click.option(
    "--periodic/--no-periodic",
    default=True,
    help="Run the periodic jobs (sweep, retention, cleanup); give --no-periodic to extra workers.",
)
@click.option("--stop-with-parent", is_flag=True, help="Stop when the starting process ends.")
def work_command(workers: int, periodic: bool, stop_with_parent: bool):
    """Run queued and periodic jobs until stopped (Ctrl+C or SIGTERM)."""
    work(workers, periodic, stop_with_parent)


@jobs_cli.command("run")
@click.argument("name", type=click.Choice([job.name for job in PERIODIC_JOBS]))
def run_command(name: str):
    """Run one periodic job now, in this process."""
    jobs_for(current_app).run_periodic(name)
    click.echo(f"{name}: done.")
