"""When periodic jobs fire: once per slot, however often the scheduler looks."""

from datetime import datetime, timedelta

from app.jobs.schedule import PERIODIC_JOBS, DailyAt, Every

START = datetime(2026, 12, 1, 2, 59, 50)  # naive UTC, as Huey passes it


def fires(schedule, seconds: int, step: int = 5) -> list[datetime]:
    """The moments `schedule` fires when looked at every `step` seconds."""
    moments = [START + timedelta(seconds=s) for s in range(0, seconds, step)]
    return [moment for moment in moments if schedule(moment)]


def test_an_every_30_seconds_job_runs_once_per_half_minute_when_looked_at_every_5_seconds():
    fired = fires(Every(30), seconds=120)
    assert len(fired) == 5  # at the first look, then at each new half minute
    assert all((b - a) <= timedelta(seconds=30) for a, b in zip(fired, fired[1:], strict=False))


def test_an_every_5_seconds_job_runs_at_every_look():
    assert len(fires(Every(5), seconds=60)) == 12


def test_a_daily_job_runs_once_at_its_hour_and_not_again_that_day():
    fired = fires(DailyAt(3), seconds=3 * 3600, step=5)
    assert fired == [datetime(2026, 12, 1, 3, 0, 0)]


def test_a_daily_job_runs_again_the_next_day():
    schedule = DailyAt(3)
    assert schedule(datetime(2026, 12, 1, 3, 0, 5))
    assert not schedule(datetime(2026, 12, 1, 23, 0))
    assert schedule(datetime(2026, 12, 2, 3, 0, 1))


def test_the_periodic_jobs_include_the_outbox_sweep_retention_and_pack_cleanup():
    names = {job.name for job in PERIODIC_JOBS}
    assert {"outbox-sweep", "retention", "delivery-pack-cleanup"} <= names
