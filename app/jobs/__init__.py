"""Background work on a job queue (Huey): mail, delivery packs, periodic jobs.

`init_app` gives every app its queue (app.extensions["jobs"]); the web
process only enqueues, `flask jobs work` runs the jobs. See queue.py for the
storage each configuration uses and schedule.py for the periodic jobs.
"""

from app.jobs.queue import Jobs, jobs_for


def init_app(app) -> Jobs:
    jobs = Jobs(app)
    app.extensions["jobs"] = jobs
    return jobs


__all__ = ["Jobs", "init_app", "jobs_for"]
