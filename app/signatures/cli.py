import click
from flask import current_app
from flask.cli import AppGroup

from app.database import transaction, utcnow
from app.extensions import db
from app.signatures.retention import delete_packs_of, run_retention

retention_cli = AppGroup("retention", help="Erase signer data that is no longer needed.")


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
