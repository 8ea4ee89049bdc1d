"""After signing: ask the job queue to send the mail just written.

The mail row was committed with the signature; this only speeds it up. If
the queue is unreachable the request still succeeds (a warning is logged,
naming no one) and the outbox sweep sends the mail within
OUTBOX_SWEEP_SECONDS.
"""

from app.jobs import jobs_for


def send_soon(app) -> None:
    if not app.config["OUTBOX_SEND_IN_BACKGROUND"]:
        return
    jobs_for(app).enqueue_send_mail()
