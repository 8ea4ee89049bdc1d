"""Keep signers' secret links and details out of every log.

The links in a signer's mail carry a token in the path (/s/<token>/...). The
access log of any server, and Flask's own "Exception on <path>" line, would
otherwise write it down for anyone who reads the logs. A database error names
the values it choked on: SQLAlchemy's statement parameters are hidden by the
engine (hide_parameters), and PostgreSQL's own DETAIL lines ("Failing row
contains (..., name, email, ...)", "Key (email)=(...) already exists") are
cut here, from messages, arguments and logged tracebacks alike. The redaction
is done where log records are made, so it covers every logger and handler.
Form fields and email addresses are never logged at all.

Logging is configured here, once, when the app is created
(`configure_logging`); modules only ask for their logger.
"""

import logging
import re
from collections.abc import Callable

from flask.logging import default_handler

_TOKEN_IN_PATH = re.compile(r"/s/[^/\s]+/")
REDACTED = "/s/[redacted]/"
# The lines in which PostgreSQL repeats the values of a failed statement.
_DATABASE_DETAIL = re.compile(r"^(DETAIL|CONTEXT|HINT):.*$", re.MULTILINE)
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def redact(value):
    """`value` without tokens or database details; an error becomes its redacted text."""
    if isinstance(value, BaseException):
        value = str(value)
    if not isinstance(value, str):
        return value
    value = _DATABASE_DETAIL.sub(r"\1:  [redacted]", value)
    return _TOKEN_IN_PATH.sub(REDACTED, value)


def redact_record(record: logging.LogRecord) -> logging.LogRecord:
    record.msg = redact(record.msg)
    if isinstance(record.args, tuple):
        record.args = tuple(redact(arg) for arg in record.args)
    elif isinstance(record.args, dict):
        record.args = {key: redact(arg) for key, arg in record.args.items()}
    if record.exc_info and record.exc_info[0] is not None and not record.exc_text:
        # Formatters print exc_text when it is set, instead of formatting the
        # traceback (and the error's message) again themselves.
        record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
    return record


class _RedactingRecordFactory:
    """The record factory it wraps, with every record redacted."""

    def __init__(self, factory: Callable[..., logging.LogRecord]):
        self.factory = factory

    def __call__(self, *args, **kwargs) -> logging.LogRecord:
        return redact_record(self.factory(*args, **kwargs))


def keep_secrets_out_of_logs() -> None:
    factory = logging.getLogRecordFactory()
    if isinstance(factory, _RedactingRecordFactory):
        return
    logging.setLogRecordFactory(_RedactingRecordFactory(factory))


def configure_logging(app) -> None:
    """One handler, one format, the level from LOG_LEVEL, tokens redacted.

    Every logger (the app's modules, Flask's, Huey's, SQLAlchemy's warnings)
    writes through the root logger's handler. Flask would give the logger
    named after the app a handler of its own; the app is the package `app`,
    which every module's logger descends from, so each line would be printed
    by that handler and again by the root's. A process that has configured
    the root logger itself (a test runner, an embedding) keeps its handlers.
    """
    keep_secrets_out_of_logs()
    root = logging.getLogger()
    if not root.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter(LOG_FORMAT))
        root.addHandler(handler)
        root.setLevel(app.config["LOG_LEVEL"])
        # WeasyPrint reports every step of every rendering at INFO.
        logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
    app.logger.removeHandler(default_handler)
