"""Keep signers' secret links out of the logs.

The links in a signer's mail carry a token in the path (/s/<token>/...); the
web server's access log would otherwise write it down for anyone who reads
the logs. Form fields and email addresses are never logged at all.
"""

import logging
import re

_TOKEN_IN_PATH = re.compile(r"/s/[^/\s]+/")


class RedactTokens(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(
                _TOKEN_IN_PATH.sub("/s/[redacted]/", arg) if isinstance(arg, str) else arg
                for arg in record.args
            )
        if isinstance(record.msg, str):
            record.msg = _TOKEN_IN_PATH.sub("/s/[redacted]/", record.msg)
        return True


_FILTER = RedactTokens()


def keep_secrets_out_of_logs() -> None:
    for name in ("werkzeug", "gunicorn.access", "gunicorn.error"):
        logger = logging.getLogger(name)
        if _FILTER not in logger.filters:
            logger.addFilter(_FILTER)
