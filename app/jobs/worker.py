"""The worker: Huey's consumer, with a scheduler that looks every few seconds.

Huey already keeps a worker alive through what it runs: a job that raises is
logged and the next one runs; a queue it cannot read (Redis down) is retried
with a growing pause. Jobs here also contain their own failures (queue.py),
so nothing a database, Redis or mail server outage does ends the worker.
"""

import logging
import os
import threading

from huey.consumer import Consumer, Scheduler

from app.jobs.queue import jobs_for

log = logging.getLogger(__name__)


def consumer_for(app, *, workers: int = 2, periodic: bool = True) -> Consumer:
    tick = app.config["JOBS_TICK_SECONDS"]

    class FrequentScheduler(Scheduler):
        # Huey looks for periodic jobs once a minute; the outbox sweep and the
        # count rollups want every few seconds (schedule.py keeps them to
        # once per slot).
        periodic_task_seconds = tick

    class JobConsumer(Consumer):
        scheduler_class = FrequentScheduler

    return JobConsumer(
        jobs_for(app).huey,
        workers=workers,
        periodic=periodic,
        worker_type="thread",
        scheduler_interval=1,
        # Poll an empty SQLite queue at most every 2 s (Redis blocks instead).
        max_delay=2.0,
        check_worker_health=True,
        # Locks left by a worker that was killed mid-job would block that job
        # for good; a starting worker clears them.
        flush_locks=True,
    )


def start_in_background(consumer: Consumer) -> None:
    """Start the scheduler and worker threads without taking the process's
    signals: for tests and for embedding."""
    consumer.scheduler.start()
    for _, thread in consumer.worker_threads:
        thread.start()


def stop_with_parent(consumer: Consumer, interval: float = 2.0) -> None:
    """Stop the worker once the process that started it is gone.

    `make run` starts the worker beside the development server; should make
    be killed outright, no worker is left behind sending mail.
    """
    parent = os.getppid()

    def watch():
        while not consumer.stop_flag.wait(interval):
            if os.getppid() != parent:
                log.info("The process that started the worker is gone; stopping.")
                os.kill(os.getpid(), consumer._graceful_sig)
                return

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()
