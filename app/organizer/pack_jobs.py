"""Delivery packs built by the job queue, offered for a while, then deleted.

An organizer starts a build; a worker runs the pack builder of
app.organizer.delivery into a file under DELIVERY_PACK_DIR, reporting how many
names it has laid out; the organizer downloads the file until it expires, when
the cleanup job deletes it. The file names signers, so it lives outside every
public folder, is readable by the server's user only, and is never kept longer
than the setting says.

`start_pack_job` writes in the caller's transaction. `build_pack` and
`delete_expired_packs` are jobs' whole bodies: each claim or status change
is its own short `transaction` (progress on a connection of its own), never
one held open while a pack is rendered.
"""

import logging
import math
import os
import secrets
import shutil
import tempfile
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy import ForeignKey, Index, String, func, or_, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from app.database import Base, UtcDateTime, rows_changed, transaction, utcnow
from app.organizer.delivery import CHUNK_SIZE, build_delivery_pack, named_signatory_count

log = logging.getLogger(__name__)

QUEUED, BUILDING, READY, FAILED, EXPIRED = "queued", "building", "ready", "failed", "expired"


class DeliveryPackJob(Base):
    """One build of one campaign's pack for one recipient. Never a signer's data."""

    __tablename__ = "delivery_pack_jobs"
    __table_args__ = (
        Index("ix_delivery_pack_jobs_campaign_created", "campaign_id", "created_at"),
        Index("ix_delivery_pack_jobs_status", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"))
    recipient_id: Mapped[int] = mapped_column(ForeignKey("recipients.id", ondelete="CASCADE"))
    organizer_id: Mapped[int | None] = mapped_column(
        ForeignKey("organizers.id", ondelete="SET NULL")
    )
    status: Mapped[str] = mapped_column(String(10), default=QUEUED)
    chunk_size: Mapped[int] = mapped_column(default=CHUNK_SIZE)
    names_total: Mapped[int] = mapped_column(default=0)
    names_done: Mapped[int] = mapped_column(default=0)
    # The file's name inside DELIVERY_PACK_DIR: random, so it cannot be guessed.
    file_name: Mapped[str | None] = mapped_column(String(100))
    file_bytes: Mapped[int | None] = mapped_column()
    # The kind of failure only (an exception's class name), never its text.
    error: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    expires_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    campaign = relationship("Campaign")
    recipient = relationship("Recipient")
    organizer = relationship("Organizer")

    @property
    def chunks_total(self) -> int:
        return math.ceil(self.names_total / self.chunk_size)

    @property
    def chunks_done(self) -> int:
        return math.ceil(self.names_done / self.chunk_size)

    @property
    def in_progress(self) -> bool:
        return self.status in (QUEUED, BUILDING)

    def is_downloadable(self, now: datetime) -> bool:
        return self.status == READY and self.expires_at is not None and self.expires_at > now


def start_pack_job(
    session: Session, campaign, recipient, organizer, *, now: datetime | None = None
):
    """A queued build, added to the caller's transaction (which also records the audit event)."""
    job = DeliveryPackJob(
        campaign_id=campaign.id,
        recipient_id=recipient.id,
        organizer_id=organizer.id if organizer is not None else None,
        status=QUEUED,
        created_at=now or utcnow(),
    )
    session.add(job)
    session.flush()
    return job


def campaign_pack_job(session: Session, campaign, job_id: int) -> DeliveryPackJob | None:
    """The job, only if it belongs to this campaign."""
    return session.scalar(
        select(DeliveryPackJob).where(
            DeliveryPackJob.id == job_id, DeliveryPackJob.campaign_id == campaign.id
        )
    )


def recent_pack_jobs(session: Session, campaign, limit: int = 5) -> list[DeliveryPackJob]:
    return list(
        session.scalars(
            select(DeliveryPackJob)
            .where(DeliveryPackJob.campaign_id == campaign.id)
            .order_by(DeliveryPackJob.created_at.desc(), DeliveryPackJob.id.desc())
            .limit(limit)
        )
    )


def latest_ready_pack(session: Session, campaign, recipient, *, now: datetime):
    return session.scalar(
        select(DeliveryPackJob)
        .where(
            DeliveryPackJob.campaign_id == campaign.id,
            DeliveryPackJob.recipient_id == recipient.id,
            DeliveryPackJob.status == READY,
            DeliveryPackJob.expires_at > now,
        )
        .order_by(DeliveryPackJob.finished_at.desc(), DeliveryPackJob.id.desc())
    )


def withdraw_packs(
    session: Session, *, campaign_id: int, recipient_id: int | None = None, now: datetime
) -> int:
    """Signatures that packs name or count have left the campaign: every pack
    for that recipient (for any, without one) built or being built stops
    being offered now, in the caller's transaction. A signer named in a pack
    withdrew, or organizers invalidated signatures it counts.

    Its time ends rather than its row: the clean-up job deletes the file, the
    dashboard shows it expired, and a build under way ends expired (see
    `build_pack`), since it may have read the signatures before they left.
    A build still waiting in the queue has read nothing: it is locked, not
    ended, so that its claim waits for this transaction and it reads the
    signatures as they are after it. The organizer builds the pack again.
    """
    of_recipient = (
        [DeliveryPackJob.recipient_id == recipient_id] if recipient_id is not None else []
    )
    session.execute(
        select(DeliveryPackJob.id)
        .where(
            DeliveryPackJob.campaign_id == campaign_id,
            *of_recipient,
            DeliveryPackJob.status == QUEUED,
        )
        .with_for_update()
    ).all()
    return rows_changed(
        session.execute(
            update(DeliveryPackJob)
            .where(
                DeliveryPackJob.campaign_id == campaign_id,
                *of_recipient,
                DeliveryPackJob.status.in_((BUILDING, READY)),
                or_(DeliveryPackJob.expires_at.is_(None), DeliveryPackJob.expires_at > now),
            )
            .values(expires_at=now)
        )
    )


def pack_path(folder: Path, job: DeliveryPackJob) -> Path:
    if job.file_name is None:
        raise ValueError(f"Delivery pack {job.id} has no file.")
    return Path(folder) / job.file_name


def build_pack(
    session: Session,
    job_id: int,
    *,
    folder: Path,
    templates_dir: Path,
    keep_hours: int,
    chunk_size: int = CHUNK_SIZE,
    processes: int = 1,
    on: date | None = None,
) -> str:
    """Build a queued job's pack; the job's status, as it ends.

    The job is claimed by one conditional UPDATE (queued to building), so a
    job delivered twice by the queue is built once. Progress is written on its
    own connection: the names are streamed from the database on the session's
    connection, and committing there would end that stream.
    """
    now = utcnow()
    with transaction(session):
        claimed = rows_changed(
            session.execute(
                update(DeliveryPackJob)
                .where(DeliveryPackJob.id == job_id, DeliveryPackJob.status == QUEUED)
                .values(status=BUILDING, started_at=now, chunk_size=chunk_size)
            )
        )
    if not claimed:
        return "not queued"
    job = session.get_one(DeliveryPackJob, job_id)  # claimed above, so it exists
    campaign, recipient = job.campaign, job.recipient
    total = named_signatory_count(session, campaign, recipient)
    _update_job(session, job_id, names_total=total)

    done = 0

    def progress(names: int) -> None:
        nonlocal done
        done += names
        _update_job(session, job_id, names_done=done)

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    partial = tempfile.NamedTemporaryFile(  # noqa: SIM115 (renamed or deleted below)
        dir=folder, prefix=".building-", suffix=".pdf", delete=False
    )
    try:
        os.chmod(partial.name, 0o600)
        with partial:
            build_delivery_pack(
                session,
                campaign,
                recipient,
                partial,
                templates_dir=templates_dir,
                on=on or now.date(),
                on_progress=progress,
                chunk_size=chunk_size,
                processes=processes,
                scratch_near=folder,
            )
        session.rollback()  # end the read; the names are no longer needed
        file_name = f"pack-{job_id}-{secrets.token_hex(12)}.pdf"
        os.replace(partial.name, folder / file_name)
    except Exception as error:
        session.rollback()
        Path(partial.name).unlink(missing_ok=True)
        _update_job(
            session, job_id, status=FAILED, error=type(error).__name__, finished_at=utcnow()
        )
        log.warning("Delivery pack %s failed: %s", job_id, type(error).__name__)
        raise
    finished = utcnow()
    _update_job(
        session,
        job_id,
        status=READY,
        names_done=done,
        file_name=file_name,
        file_bytes=(folder / file_name).stat().st_size,
        finished_at=finished,
        # Unless a signer named in it left while it was built.
        expires_at=func.coalesce(
            DeliveryPackJob.expires_at, finished + timedelta(hours=keep_hours)
        ),
    )
    return READY


def _update_job(session: Session, job_id: int, **values) -> None:
    # The engine's own connection, even when the session is bound to one.
    with session.get_bind().engine.begin() as connection:
        connection.execute(
            update(DeliveryPackJob).where(DeliveryPackJob.id == job_id).values(**values)
        )


def queued_pack_job_ids(session: Session, *, older_than: datetime) -> list[int]:
    """Builds that were asked for but not taken up, e.g. while the queue was down."""
    ids = session.scalars(
        select(DeliveryPackJob.id).where(
            DeliveryPackJob.status == QUEUED, DeliveryPackJob.created_at < older_than
        )
    ).all()
    session.rollback()
    return list(ids)


def delete_expired_packs(
    session: Session, folder: Path, *, now: datetime, stale_after: timedelta
) -> int:
    """Delete the files of packs past their time; fail builds that never finished.

    A build still "building" after `stale_after` had its worker die under it:
    whatever it wrote is removed and the organizer can start another.
    """
    folder = Path(folder)
    with transaction(session):
        expired = session.scalars(
            select(DeliveryPackJob).where(
                DeliveryPackJob.status == READY, DeliveryPackJob.expires_at <= now
            )
        ).all()
        for job in expired:
            if job.file_name:
                pack_path(folder, job).unlink(missing_ok=True)
            job.status, job.file_name = EXPIRED, None
        stale = session.scalars(
            select(DeliveryPackJob).where(
                DeliveryPackJob.status == BUILDING, DeliveryPackJob.started_at <= now - stale_after
            )
        ).all()
        for job in stale:
            job.status, job.error, job.finished_at = FAILED, "Interrupted", now
    if folder.is_dir():
        # What a killed build left behind: its partial file and its parts.
        for leftover in [*folder.glob(".building-*.pdf"), *folder.glob("pack-parts-*")]:
            if datetime.fromtimestamp(leftover.stat().st_mtime, now.tzinfo) <= now - stale_after:
                if leftover.is_dir():
                    shutil.rmtree(leftover, ignore_errors=True)
                else:
                    leftover.unlink(missing_ok=True)
    return len(expired)


def delete_campaign_packs(session: Session, folder: Path, campaign_id: int) -> int:
    """Retention and invalidation: a campaign whose signers are erased keeps no
    pack naming them."""
    jobs = session.scalars(
        select(DeliveryPackJob).where(
            DeliveryPackJob.campaign_id == campaign_id, DeliveryPackJob.file_name.is_not(None)
        )
    ).all()
    for job in jobs:
        pack_path(folder, job).unlink(missing_ok=True)
        job.status, job.file_name = EXPIRED, None
    return len(jobs)
