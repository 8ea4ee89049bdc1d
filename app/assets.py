"""Static files: fingerprinted addresses, long caching, and the favicon.

Every `url_for("static", filename=...)` gets `?v=<hash of the file's bytes>`.
A response for the current fingerprint may then be kept for a year: a changed
file has a new address, so no browser keeps a stale stylesheet. Any other
request for a static file (no or an old fingerprint) is revalidated.
"""

import hashlib
from functools import cache
from pathlib import Path

from flask import Flask, current_app, request, send_from_directory

FINGERPRINT = "v"
ONE_YEAR = 365 * 24 * 3600


@cache
def _file_fingerprint(path: str, mtime_ns: int) -> str:
    # The modification time is part of the key, so an edited file gets a new
    # hash in development without a restart.
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:12]


def fingerprint(static_folder: str, filename: str) -> str | None:
    path = Path(static_folder) / filename
    try:
        mtime_ns = path.stat().st_mtime_ns
    except (FileNotFoundError, NotADirectoryError):
        return None
    return _file_fingerprint(str(path), mtime_ns)


def static_folder() -> str:
    folder = current_app.static_folder
    if folder is None:  # Flask(static_folder=None) would serve no assets at all
        raise RuntimeError("The app has no static folder.")
    return folder


def add_fingerprint(endpoint: str, values: dict) -> None:
    if endpoint != "static" or FINGERPRINT in values:
        return
    version = fingerprint(static_folder(), values.get("filename", ""))
    if version:
        values[FINGERPRINT] = version


def cache_static_files(response):
    if request.endpoint != "static" or response.status_code != 200:
        return response
    filename = (request.view_args or {}).get("filename", "")
    current = fingerprint(static_folder(), filename)
    if current and request.args.get(FINGERPRINT) == current:
        response.cache_control.public = True
        response.cache_control.max_age = ONE_YEAR
        response.cache_control.immutable = True
    else:
        response.cache_control.no_cache = True
        response.cache_control.max_age = None
    return response


def favicon():
    """Browsers ask for /favicon.ico on a first visit, whatever the page links to."""
    response = send_from_directory(
        static_folder(), "favicon.ico", mimetype="image/x-icon", max_age=7 * 24 * 3600
    )
    return response


def init_assets(app: Flask) -> None:
    # Block tags leave no blank lines and indentation behind: pages stay light.
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.url_defaults(add_fingerprint)
    app.after_request(cache_static_files)
    app.add_url_rule("/favicon.ico", "favicon", favicon)
