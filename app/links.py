"""Absolute links, for mail: built from PUBLIC_BASE_URL and nothing else.

The request's Host and X-Forwarded-Host headers are chosen by whoever sends
the request; a link built from them would hand a signer's secret token to
another site. Pages and redirects use relative links (url_for without
_external), so only mail needs this.
"""

from urllib.parse import urlsplit

from flask import current_app


def public_url(endpoint: str, **values) -> str:
    """The absolute URL of `endpoint` under PUBLIC_BASE_URL (which may hold a path)."""
    base = urlsplit(current_app.config["PUBLIC_BASE_URL"])
    adapter = current_app.url_map.bind(
        base.netloc, script_name=base.path or "/", url_scheme=base.scheme
    )
    return adapter.build(endpoint, values, force_external=True)
