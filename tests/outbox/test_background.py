"""After a burst of signatures, every mail still has a send job that starts
after it was written, without one job (a Redis round trip) per signature."""

from app.outbox.background import MailNudge


def asked(nudge, moments):
    """When each asked-for job starts, for calls at these moments."""
    starts = []
    for now in moments:
        delay = nudge.plan(now)
        if delay is not None:
            starts.append(now + delay)
    return starts


def test_a_lone_signature_asks_for_a_job_at_once():
    assert asked(MailNudge(window=0.25), [10.0]) == [10.0]


def test_a_burst_asks_for_one_job_now_and_one_at_the_end_of_the_window():
    moments = [10.0 + i * 0.01 for i in range(20)]  # 20 signatures in 0.2 s
    starts = asked(MailNudge(window=0.25), moments)
    assert starts == [10.0, 10.25]


def test_every_signature_of_a_long_burst_has_a_job_starting_within_the_window_after_it():
    moments = [10.0 + i * 0.003 for i in range(1000)]  # three seconds of signing
    starts = asked(MailNudge(window=0.25), moments)
    assert all(any(m <= start <= m + 0.25 for start in starts) for m in moments)
    assert len(starts) <= 2 * (3 / 0.25) + 2


def test_signatures_further_apart_than_the_window_each_ask_at_once():
    assert asked(MailNudge(window=0.25), [10.0, 11.0, 12.0]) == [10.0, 11.0, 12.0]
