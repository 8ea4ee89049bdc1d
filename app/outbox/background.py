"""After signing: ask the job queue to send the mail just written.

The mail row was committed with the signature; this only speeds it up. If
the queue is unreachable the request still succeeds (a warning is logged,
naming no one) and the outbox sweep sends the mail within
OUTBOX_SWEEP_SECONDS.

One send-mail job sends every mail that is due, so a process asks for at
most one job now and one more at the end of each SEND_SOON_SECONDS, rather
than one per signature (a Redis round trip each): every mail committed
before a call here is due when some job asked for at or after that call
starts.
"""

import threading
import time

from app.jobs import jobs_for

SEND_SOON_SECONDS = 0.25


class MailNudge:
    """Per app: when its process last asked for a send-mail job, and whether
    one is already asked for at the end of that window."""

    def __init__(self, window: float = SEND_SOON_SECONDS):
        self.window = window
        self.lock = threading.Lock()
        self.asked_at = float("-inf")
        self.trailing_at = float("-inf")

    def plan(self, now: float) -> float | None:
        """Seconds from now the next job should start, or None if one is asked for."""
        with self.lock:
            if now - self.asked_at >= self.window:
                self.asked_at = now
                return 0.0
            if self.trailing_at <= now:
                self.trailing_at = self.asked_at + self.window
                return self.trailing_at - now
            return None


def send_soon(app) -> None:
    if not app.config["OUTBOX_SEND_IN_BACKGROUND"]:
        return
    nudge = app.extensions.setdefault("outbox_nudge", MailNudge())
    delay = nudge.plan(time.monotonic())
    if delay is not None:
        jobs_for(app).enqueue_send_mail(delay=delay)
