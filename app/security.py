"""Request checks made before any view, and the headers on every response."""

import functools
import ipaddress
import logging
import os
import re

import click
from flask import abort, current_app, make_response, request

# No path segment (slug, token) or query value of this app holds a control
# character. PostgreSQL refuses NUL in text outright (a 500 if it got that
# far), and CR or LF copied into a header would split it.
_CONTROL_CHARACTER = re.compile(r"[\x00-\x1f\x7f]")


def refuse_control_characters_in_urls():
    if _CONTROL_CHARACTER.search(request.path):
        abort(404)  # no page has such a name
    for key, value in request.args.items(multi=True):
        if _CONTROL_CHARACTER.search(key) or _CONTROL_CHARACTER.search(value):
            abort(400)


CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "img-src 'self' data:",
        "style-src 'self'",
        "script-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "object-src 'none'",
    ]
)


def no_store(view):
    """For a page that shows personal data or a secret link (what a signer
    typed, a confirm or withdraw page): no browser or proxy keeps a copy."""

    @functools.wraps(view)
    def view_not_stored(*args, **kwargs):
        response = make_response(view(*args, **kwargs))
        response.headers["Cache-Control"] = "no-store"
        return response

    return view_not_stored


def set_security_headers(response):
    if request.blueprint == "organizer":
        # Every organizer page shows what only that organizer may see.
        response.headers["Cache-Control"] = "no-store"
    max_age = current_app.config["HSTS_MAX_AGE"]
    if max_age:
        response.headers.setdefault("Strict-Transport-Security", f"max-age={max_age}")
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("X-Frame-Options", "DENY")
    return response


def listens_beyond_localhost(host: str) -> bool:
    if host == "localhost":
        return False
    try:
        return not ipaddress.ip_address(host).is_loopback
    except ValueError:
        return True  # a host name other than localhost, or a network interface's


def warn_when_served_beyond_localhost(logger: logging.Logger) -> None:
    """Say so when `flask run` listens where other machines can reach it.

    The development server, its console mail and its debugger are for one
    developer's machine. Called while `flask run` loads the app, from which
    the host it was given (--host or FLASK_RUN_HOST) is read. With the
    reloader, the process it restarts stays quiet: one warning is enough.
    """
    context = click.get_current_context(silent=True)
    if context is None or context.info_name != "run":
        return
    host = context.params.get("host") or "127.0.0.1"
    if listens_beyond_localhost(host) and os.environ.get("WERKZEUG_RUN_MAIN") != "true":
        logger.warning(
            "The development server is listening on %s, reachable from other machines. "
            "It is not made to face a network: serve the app with gunicorn and "
            "APP_CONFIG=production (see the README) instead.",
            host,
        )
