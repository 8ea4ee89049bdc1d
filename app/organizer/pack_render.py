"""Rendering the delivery pack's parts, in this process or in a few others.

The pack's HTML is written by app.organizer.delivery (the words, the names);
here each part becomes a PDF file in a scratch folder, so neither the
parts' layouts nor their PDFs pile up in memory. With `processes` > 1 the
parts are laid out in that many worker processes at once: WeasyPrint's layout
is the pack's cost (about a millisecond a name) and uses one core.

Workers start from a fork server that has already imported WeasyPrint, so
they share its memory instead of importing their own, and are safe to start
from the job worker's threads. No worker touches the database: it receives
HTML and returns a file name. At most two parts per worker are in flight, so
the names never all sit in memory at once.
"""

import multiprocessing
import os
import tempfile
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

_renderer = None


class PartRenderer:
    """HTML to a PDF file, with the pack's fetcher and one font configuration
    (a new one per part would load the fonts again each time)."""

    def __init__(self, folder: Path, fetcher_class):
        from weasyprint.text.fonts import FontConfiguration

        self.folder = Path(folder)
        self.fetcher = fetcher_class(self.folder)
        self.fonts = FontConfiguration()

    def render(self, html: str, path: str) -> str:
        from weasyprint import HTML

        document = HTML(string=html, base_url=str(self.folder) + "/", url_fetcher=self.fetcher)
        document.render(font_config=self.fonts).write_pdf(path)
        return path


def _start_worker(folder: str, fetcher_class) -> None:
    global _renderer
    _renderer = PartRenderer(Path(folder), fetcher_class)


def _render_in_worker(html: str, path: str) -> str:
    return _renderer.render(html, path)


def render_parts(
    parts: Iterable[tuple[str, int]],
    *,
    folder: Path,
    fetcher_class,
    scratch: Path,
    processes: int = 1,
) -> Iterator[tuple[Path, int]]:
    """(pdf_path, names) for each (html, names) of `parts`, in order."""
    numbered = (
        (html, names, str(scratch / f"part-{n:06d}.pdf")) for n, (html, names) in enumerate(parts)
    )
    if processes <= 1:
        renderer = PartRenderer(folder, fetcher_class)
        for html, names, path in numbered:
            yield Path(renderer.render(html, path)), names
        return
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["weasyprint", "app.organizer.pack_render"])
    with ProcessPoolExecutor(
        max_workers=processes,
        mp_context=context,
        initializer=_start_worker,
        initargs=(str(folder), fetcher_class),
    ) as pool:
        pending = deque()
        for html, names, path in numbered:
            pending.append((pool.submit(_render_in_worker, html, path), names))
            if len(pending) >= 2 * processes:
                future, count = pending.popleft()
                yield Path(future.result()), count
        while pending:
            future, count = pending.popleft()
            yield Path(future.result()), count


def scratch_folder(near: Path | None = None) -> tempfile.TemporaryDirectory:
    """A private scratch folder for the parts, removed when closed."""
    if near is not None:
        os.makedirs(near, mode=0o700, exist_ok=True)
    return tempfile.TemporaryDirectory(prefix="pack-parts-", dir=near)
