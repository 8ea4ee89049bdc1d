"""Keep signers' secret links out of every log.

The links in a signer's mail carry a token in the path (/s/<token>/...). The
access log of any server, and Flask's own "Exception on <path>" line, would
otherwise write it down for anyone who reads the logs. The redaction is done
where log records are made, so it covers every logger and handler. Form
fields and email addresses are never logged at all.
"""

import logging
import re

_TOKEN_IN_PATH = re.compile(r"/s/[^/\s]+/")
REDACTED = "/s/[redacted]/"


def redact(value):
    return _TOKEN_IN_PATH.sub(REDACTED, value) if isinstance(value, str) else value


def redact_record(record: logging.LogRecord) -> logging.LogRecord:
    record.msg = redact(record.msg)
    if isinstance(record.args, tuple):
        record.args = tuple(redact(arg) for arg in record.args)
    elif isinstance(record.args, dict):
        record.args = {key: redact(arg) for key, arg in record.args.items()}
    return record


def keep_secrets_out_of_logs() -> None:
    factory = logging.getLogRecordFactory()
    if getattr(factory, "redacts_tokens", False):
        return

    def make_record(*args, **kwargs):
        return redact_record(factory(*args, **kwargs))

    make_record.redacts_tokens = True
    logging.setLogRecordFactory(make_record)
