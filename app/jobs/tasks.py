"""What the jobs do: thin adapters from the queue to each area's rules.

Each takes the session first (the queue wrapper passes it, in an app
context) and reads its settings from the app's config.
"""

import logging
from datetime import timedelta

from flask import current_app

from app.database import transaction, utcnow
from app.letters.templates import LETTER_TEMPLATES_DIR
from app.organizer import pack_jobs
from app.outbox.sending import backoff_for, send_due_mail
from app.signatures.retention import delete_packs_of, run_retention

log = logging.getLogger(__name__)
# A pack asked for this long ago and still queued was never taken up.
PACK_PICKUP_SECONDS = 60
# A build running this long had its worker die under it.
PACK_BUILD_LIMIT = timedelta(hours=2)


def send_mail(session):
    """Send the mail that is due (queued right after signing)."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]  # a LocalProxy, typed as Flask
    report = send_due_mail(session, app.config, backoff_for(app))
    if report.sent or report.failed or report.given_up:
        log.info(
            "Mail: %s sent, %s to retry, %s given up.", report.sent, report.failed, report.given_up
        )
    return None


def sweep(session):
    """Every OUTBOX_SWEEP_SECONDS: send what is due, offer packs not taken up.

    This is what makes the queue optional for correctness: mail written while
    Redis or the worker was down, or whose job was lost, goes out here.
    """
    send_mail(session)
    jobs = current_app.extensions["jobs"]
    older_than = utcnow() - timedelta(seconds=PACK_PICKUP_SECONDS)
    for job_id in pack_jobs.queued_pack_job_ids(session, older_than=older_than):
        jobs.enqueue_pack(job_id)


def build_pack(session, job_id: int):
    config = current_app.config
    status = pack_jobs.build_pack(
        session,
        job_id,
        folder=config["DELIVERY_PACK_DIR"],
        templates_dir=LETTER_TEMPLATES_DIR,
        keep_hours=config["DELIVERY_PACK_HOURS"],
        chunk_size=config["DELIVERY_PACK_CHUNK_SIZE"],
        processes=config["DELIVERY_PACK_PROCESSES"],
    )
    log.info("Delivery pack %s: %s.", job_id, status)


def delete_expired_packs(session):
    config = current_app.config
    deleted = pack_jobs.delete_expired_packs(
        session,
        config["DELIVERY_PACK_DIR"],
        now=utcnow(),
        stale_after=PACK_BUILD_LIMIT,
    )
    if deleted:
        log.info("Delivery packs: %s expired files deleted.", deleted)


def retention(session):
    config = current_app.config
    with transaction(session):
        report = run_retention(
            session, now=utcnow(), days_after_close=config["RETENTION_DAYS_AFTER_CLOSE"]
        )
    with transaction(session):
        delete_packs_of(session, config["DELIVERY_PACK_DIR"], report.campaign_ids)
    log.info(
        "Retention: %s expired unconfirmed signatures deleted, %s erased in %s campaigns.",
        report.expired_pending_deleted,
        report.signatures_anonymized,
        report.campaigns_anonymized,
    )
