"""One round of sending, as the worker and `flask outbox send` run it.

While the mail server is unreachable the worker backs off: it does not try
again before the back-off has passed (2 s, doubling, at most
OUTBOX_BACKOFF_MAX_SECONDS), so an outage costs one failed connection per
back-off instead of one per signature. Mail waits in the outbox meanwhile and
goes out when the server returns.
"""

import logging
import threading
import time
from datetime import timedelta

from app.outbox.mailers import mailer_for
from app.outbox.service import DeliveryReport, deliver_due

log = logging.getLogger(__name__)


class ServerBackoff:
    def __init__(self, first: float = 2.0, longest: float = 60.0, clock=time.monotonic):
        self.first, self.longest, self.clock = first, longest, clock
        self.delay = 0.0
        self.retry_at = 0.0
        self._lock = threading.Lock()

    def ready(self) -> bool:
        return self.clock() >= self.retry_at

    def failed(self) -> float:
        with self._lock:
            self.delay = min(self.delay * 2 if self.delay else self.first, self.longest)
            self.retry_at = self.clock() + self.delay
            return self.delay

    def succeeded(self) -> None:
        with self._lock:
            if self.delay:
                log.info("Mail server reachable again; sending the queued mail.")
            self.delay, self.retry_at = 0.0, 0.0


def backoff_for(app) -> ServerBackoff:
    return app.extensions.setdefault(
        "outbox_backoff", ServerBackoff(longest=app.config["OUTBOX_BACKOFF_MAX_SECONDS"])
    )


def send_due_mail(session, config, backoff: ServerBackoff | None = None) -> DeliveryReport:
    """Send what is due, unless the mail server is in back-off."""
    if backoff is not None and not backoff.ready():
        return DeliveryReport(server_unavailable=True)
    report = DeliveryReport()
    while True:
        # Rounds of at most 100, until nothing due is left or the server is down.
        round_report = deliver_due(
            session,
            mailer_for(config),
            max_attempts=config["OUTBOX_MAX_ATTEMPTS"],
            retry_base=timedelta(seconds=config["OUTBOX_RETRY_SECONDS"]),
            claim_lease=timedelta(seconds=config["OUTBOX_CLAIM_SECONDS"]),
            duplicate_notice_limit=config["DUPLICATE_NOTICE_LIMIT"],
        )
        for field in ("sent", "failed", "given_up", "vanished", "skipped"):
            setattr(report, field, getattr(report, field) + getattr(round_report, field))
        if round_report.server_unavailable:
            report.server_unavailable = True
            if backoff is not None:
                delay = backoff.failed()
                log.warning("Mail server unavailable; next try in %.0f s.", delay)
            return report
        if backoff is not None and round_report.sent:
            backoff.succeeded()
        handled = round_report.sent + round_report.failed + round_report.given_up
        if handled + round_report.vanished < 100:
            return report
