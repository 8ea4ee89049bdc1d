"""The periodic jobs, and when they run.

Each entry names a function `module:function` called as `function(session)`
in an app context; it commits its own work. To add one, add a line here, e.g.

    PeriodicJob("counts-rollup", every(seconds=5), "app.signatures.rollups:advance_rollups"),

Huey's own periodic tasks run on whole minutes; the worker's scheduler looks
every JOBS_TICK_SECONDS instead, and each schedule below fires at most once
per slot, so jobs can run every few seconds. Runs of one job never overlap
(a lock per job, cleared when a worker starts, in case one died holding it).
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime


class Every:
    """Fires once per `seconds`-long slot of the clock (and at the first look)."""

    def __init__(self, seconds: int):
        self.seconds = max(int(seconds), 1)
        self.last_slot: int | None = None

    def __call__(self, now: datetime) -> bool:
        slot = int(_aware(now).timestamp()) // self.seconds
        if slot == self.last_slot:
            return False
        self.last_slot = slot
        return True


class DailyAt:
    """Fires once a day, at the first look at or after hour:minute UTC."""

    def __init__(self, hour: int, minute: int = 0):
        self.hour, self.minute = hour, minute
        self.last_day: date | None = None

    def __call__(self, now: datetime) -> bool:
        now = _aware(now)
        due = (now.hour, now.minute) >= (self.hour, self.minute)
        if not due or now.date() == self.last_day:
            return False
        self.last_day = now.date()
        return True


def _aware(now: datetime) -> datetime:
    # Huey hands naive UTC datetimes to schedules.
    return now if now.tzinfo else now.replace(tzinfo=UTC)


def every(*, seconds: int | None = None, setting: str | None = None) -> Callable:
    """A schedule every N seconds, N given or read from a setting."""
    return lambda config: Every(seconds if seconds is not None else config[setting])


def daily(*, hour: int | None = None, setting: str | None = None, minute: int = 0) -> Callable:
    """A schedule once a day at an hour given or read from a setting (UTC)."""
    return lambda config: DailyAt(hour if hour is not None else config[setting], minute)


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    schedule: Callable  # config -> callable(now) -> bool
    target: str  # "module:function", imported when the job first runs


PERIODIC_JOBS = (
    PeriodicJob("outbox-sweep", every(setting="OUTBOX_SWEEP_SECONDS"), "app.jobs.tasks:sweep"),
    PeriodicJob("retention", daily(setting="RETENTION_HOUR_UTC"), "app.jobs.tasks:retention"),
    PeriodicJob("delivery-pack-cleanup", every(seconds=600), "app.jobs.tasks:delete_expired_packs"),
    # Counts are exact without the fold (reads add the pending changes); it
    # keeps the change table small, so reads stay fast.
    PeriodicJob(
        "counts-rollup",
        every(setting="COUNTS_ROLLUP_SECONDS"),
        "app.signatures.rollups:advance_rollups",
    ),
    PeriodicJob(
        "counts-self-check",
        daily(setting="COUNTS_CHECK_HOUR_UTC"),
        "app.signatures.rollups:check_rollups",
    ),
)
