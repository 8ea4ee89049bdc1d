"""The queue each configuration uses, and the jobs registered on it.

- Production (REDIS_URL set): RedisHuey, shared by every web process and
  every `flask jobs work`.
- The embedded default: SqliteHuey in a file under instance/; `make run`
  starts one worker beside the development server.
- Tests (JOBS_IMMEDIATE): Huey's immediate mode, jobs run at once in the
  caller, in memory.

A job receives ids only, never personal data: what the queue stores could
otherwise be read by anyone with access to Redis or the file.
"""

import functools
import importlib
import logging
import time
import traceback

from huey import MemoryHuey, RedisHuey, SqliteHuey
from huey.exceptions import TaskLockedException
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from app.extensions import db
from app.jobs.schedule import PERIODIC_JOBS

log = logging.getLogger(__name__)
# After the queue refused a job, skip it for this long: signing must stay
# fast while Redis is down, and the sweep catches up on its own.
QUEUE_DOWN_SECONDS = 10


def make_huey(config):
    name = config["JOBS_QUEUE_NAME"]
    if config["JOBS_IMMEDIATE"]:
        return MemoryHuey(name, immediate=True, results=False, utc=True)
    if config.get("JOBS_REDIS_URL"):
        from redis import ConnectionPool

        # Short time-outs: a web request that enqueues must not hang on Redis.
        # (The worker blocks for 1 s at a time reading the queue.)
        pool = ConnectionPool.from_url(
            config["JOBS_REDIS_URL"], socket_connect_timeout=2, socket_timeout=10
        )
        return RedisHuey(name, connection_pool=pool, results=False, utc=True)
    path = config["JOBS_SQLITE_FILE"]
    path.parent.mkdir(parents=True, exist_ok=True)
    return SqliteHuey(name, filename=str(path), results=False, utc=True)


class Jobs:
    """One app's queue: `jobs.enqueue_send_mail()`, `jobs.enqueue_pack(id)`."""

    def __init__(self, app):
        self.app = app
        self.huey = make_huey(app.config)
        self._queue_down_until = 0.0
        huey = self.huey
        self.send_mail = huey.task(name="send-mail")(self._in_app("send-mail", "send_mail"))
        # One pack at a time: a build takes minutes of CPU, and mail must keep
        # flowing on the other worker thread meanwhile. A build that finds the
        # lock taken stays queued, and the sweep offers it again.
        self.build_pack = huey.task(name="delivery-pack")(
            self._in_app("delivery-pack", "build_pack", locked=True)
        )
        self.periodic = {}
        for job in PERIODIC_JOBS:
            self.periodic[job.name] = huey.periodic_task(job.schedule(app.config), name=job.name)(
                self._in_app(job.name, job.target, locked=True)
            )

    # Enqueueing, from the web process. A failure is logged and swallowed:
    # the work is already recorded in the database, and a periodic sweep
    # enqueues it again.

    def enqueue_send_mail(self, delay: float = 0.0) -> bool:
        """A send-mail job now, or in `delay` seconds."""
        if delay > 0:
            return self._enqueue(functools.partial(self.send_mail.schedule, delay=delay))
        return self._enqueue(self.send_mail)

    def enqueue_pack(self, job_id: int) -> bool:
        return self._enqueue(self.build_pack, job_id)

    def _enqueue(self, task, *args) -> bool:
        if time.monotonic() < self._queue_down_until:
            return False
        try:
            task(*args)
        except Exception as error:
            if self.huey.immediate:
                raise  # in tests, a failing job is the test's failure
            self._queue_down_until = time.monotonic() + QUEUE_DOWN_SECONDS
            log.warning(
                "Job queue unavailable (%s); the periodic sweep will do the work.",
                type(error).__name__,
            )
            return False
        return True

    def run_periodic(self, name: str):
        """Run one periodic job now, here (`flask jobs run NAME`)."""
        return self.periodic[name].call_local()

    def _in_app(self, name: str, target: str, *, locked: bool = False):
        """The job `target`, called as target(session, *args) in an app context.

        A job that fails is logged with its kind and where it happened, never
        the error's text (a database error quotes the statement and its
        values). The worker carries on: mail stays queued and packs stay
        recorded in the database, so the next sweep or run picks them up.
        """
        # Runs of one locked job never overlap. A worker killed while holding
        # a lock leaves it behind; the worker flushes such locks as it starts.
        lock = self.huey.lock_task(name) if locked else None

        def run(*args):
            function = _resolve(target)
            with self.app.app_context():
                held = False
                try:
                    held = lock is not None and _acquire(lock, name)
                    return function(db.session(), *args)
                except TaskLockedException:
                    log.info("Job %s still running; this run is skipped.", name)
                except (DBAPIError, SQLAlchemyError) as error:
                    log.warning(
                        "Job %s: database unavailable or changed underneath (%s); "
                        "it runs again later.%s",
                        name,
                        type(error).__name__,
                        _where(error),
                    )
                except Exception as error:
                    if self.huey.immediate:
                        raise
                    log.error("Job %s failed (%s).%s", name, type(error).__name__, _where(error))
                finally:
                    if held:
                        _release(lock)
                    _discard_session()

        run.__name__ = name.replace("-", "_")
        run.__doc__ = f"The {name} job, run in an app context."
        return run


def _acquire(lock, name: str) -> bool:
    """Take the job's lock; raises TaskLockedException if another run holds it.

    If the lock's storage (Redis) is unreachable the job runs unlocked: every
    job's writes are claimed row by row in the database, so an overlap costs
    time, never a double send, and `flask jobs run` still works.
    """
    try:
        return lock.acquire()
    except TaskLockedException:
        raise
    except Exception as error:
        log.warning("Job %s runs without its lock (%s).", name, type(error).__name__)
        return False


def _release(lock) -> None:
    try:
        lock.release()
    except Exception as error:
        log.warning("A job lock could not be released (%s).", type(error).__name__)


def _discard_session() -> None:
    """End the job's session; on a connection the database dropped, even the
    rollback fails, and the pool replaces that connection on next use."""
    try:
        db.session.remove()
    except SQLAlchemyError as error:
        log.info("Session ended on a dropped connection (%s).", type(error).__name__)


def _resolve(target: str):
    if ":" not in target:
        target = f"app.jobs.tasks:{target}"
    module, _, attribute = target.partition(":")
    return getattr(importlib.import_module(module), attribute)


def _where(error: Exception) -> str:
    """The last frames of the traceback: files and lines, no values."""
    frames = traceback.extract_tb(error.__traceback__)[-3:]
    return "".join(f"\n  at {frame.filename}:{frame.lineno} in {frame.name}" for frame in frames)


def jobs_for(app) -> Jobs:
    return app.extensions["jobs"]
