"""HTML to PDF with WeasyPrint: only the letter templates' own files, within a time limit."""

import mimetypes
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from app.letters.errors import RenderTimeoutError
from app.letters.templates import LETTER_TEMPLATES_DIR

# A one-page letter renders in well under a second; anything near this is broken.
RENDER_TIME_LIMIT_SECONDS = 10.0


class FetchRefused(ValueError):
    """The letter asked for a resource outside letter_templates/."""


class TemplateAssetFetcher(URLFetcher):
    """Serves `file:` URLs inside `root` (letter_templates/, or one folder of it)
    and refuses everything else: no network, no other file on the server.

    Every request is recorded, so a test can prove what the renderer asked for.
    `fail_on_errors`: a refused URL fails the render instead of being left out
    (the delivery pack, which holds people's names, wants that).
    """

    def __init__(self, root: Path = LETTER_TEMPLATES_DIR, *, fail_on_errors: bool = False):
        super().__init__(timeout=1, allowed_protocols=("file",), fail_on_errors=fail_on_errors)
        self.root = root.resolve()
        self.requested: list[str] = []
        self.refused: list[str] = []

    def fetch(self, url, headers=None):
        self.requested.append(url)
        path = self.template_asset_path(url)
        if path is None:
            self.refused.append(url)
            raise FetchRefused(f"Only the templates' own files are fetched, not {url!r}.")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})

    def template_asset_path(self, url: str) -> Path | None:
        parts = urlsplit(url)
        if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
            return None
        path = Path(unquote(parts.path)).resolve()
        if not path.is_relative_to(self.root) or not path.is_file():
            return None
        return path


_thread_state = threading.local()


def thread_font_config() -> FontConfiguration:
    """This thread's FontConfiguration, built once: building one costs a few ms a
    render, and a Pango font map is not to be shared between threads."""
    config = getattr(_thread_state, "font_config", None)
    if config is None:
        config = _thread_state.font_config = FontConfiguration()
    return config


def write_pdf(html: str, fetcher: TemplateAssetFetcher) -> bytes:
    """Render now, in this thread. Relative URLs resolve inside letter_templates/."""
    document = HTML(string=html, base_url=f"{LETTER_TEMPLATES_DIR}/", url_fetcher=fetcher)
    # No attachments, whatever the HTML says: a letter carries no embedded files.
    return document.write_pdf(font_config=thread_font_config(), attachments=[], pdf_forms=False)


# Renders run on these workers so the caller can stop waiting after the time limit,
# which works from any web server thread (unlike signal-based alarms).
_workers = ThreadPoolExecutor(max_workers=os.cpu_count() or 2, thread_name_prefix="letter-pdf")


def render_pdf(
    html: str,
    *,
    time_limit: float = RENDER_TIME_LIMIT_SECONDS,
    fetcher: TemplateAssetFetcher | None = None,
) -> bytes:
    """The PDF for a letter's HTML; RenderTimeoutError if it takes longer than `time_limit`.

    A render that overruns keeps its worker until it ends (a thread cannot be
    killed), but the caller is answered at the limit.
    """
    fetcher = fetcher or TemplateAssetFetcher()
    future = _workers.submit(write_pdf, html, fetcher)
    try:
        return future.result(timeout=time_limit)
    except FutureTimeout:
        future.cancel()
        raise RenderTimeoutError(
            f"Rendering the letter took longer than {time_limit:g} seconds."
        ) from None
