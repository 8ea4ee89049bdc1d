"""The delivery pack's parts rendered to PDF files, in this process or in a few others.

Each part is HTML that app.organizer.delivery wrote with its pages already
broken and numbered, so parts render independently: with `processes` > 1 they
are laid out on that many cores at once (WeasyPrint's layout uses one core),
this process rendering its share beside the workers.
Each part is written to a file in a private scratch folder as soon as it is
rendered, so neither the parts' layouts nor their PDFs pile up in memory.

Workers start from a fork server that has already imported WeasyPrint, and
are safe to start from the job worker's threads (a plain fork of a threaded
process is not).
No worker touches the database: it receives HTML and returns a page count.
At most two parts per worker are in flight, so the names of a long list never
all sit in the queue at once.
"""

import multiprocessing
import os
import tempfile
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path

from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration

_renderer: "PartRenderer | None" = None  # one per render worker process


class PartRenderer:
    """HTML to a PDF file with the pack's fetcher and one font configuration
    (a new one per part would load the fonts again each time)."""

    def __init__(self, folder: Path, make_fetcher):
        self.folder = Path(folder)
        self.make_fetcher = make_fetcher
        self.fetcher = make_fetcher(self.folder)
        self.fonts = FontConfiguration()

    def render(self, html: str):
        document = HTML(string=html, base_url=f"{self.folder}/", url_fetcher=self.fetcher)
        return document.render(font_config=self.fonts)

    def write(self, html: str, path: str) -> int:
        """Render `html` to the PDF file `path`; its number of pages."""
        document = self.render(html)
        document.write_pdf(path)
        return len(document.pages)


def _start_worker(folder: str, make_fetcher) -> None:
    global _renderer
    _renderer = PartRenderer(Path(folder), make_fetcher)


def _write_in_worker(html: str, path: str) -> int:
    if _renderer is None:
        raise RuntimeError("a render worker started without _start_worker")
    return _renderer.write(html, path)


def render_parts(
    parts: Iterable[str],
    *,
    renderer: PartRenderer,
    scratch: Path,
    processes: int = 1,
) -> Iterator[tuple[Path, int]]:
    """(pdf_path, pages) for each HTML part of `parts`, in order.

    With `processes` > 1, this process renders every so many parts itself and
    `processes` - 1 workers render the others meanwhile: the builder has
    WeasyPrint loaded already, and a process fewer is about 150 MB less.
    """
    numbered = ((html, str(scratch / f"part-{n:06d}.pdf")) for n, html in enumerate(parts))
    if processes <= 1:
        for html, path in numbered:
            yield Path(path), renderer.write(html, path)
        return
    context = multiprocessing.get_context("forkserver")
    # WeasyPrint only: the workers import no more of the app than they unpickle.
    context.set_forkserver_preload(["weasyprint"])
    with ProcessPoolExecutor(
        max_workers=processes - 1,
        mp_context=context,
        initializer=_start_worker,
        initargs=(str(renderer.folder), renderer.make_fetcher),
    ) as pool:
        pending: deque[tuple[Future, str]] = deque()
        for number, (html, path) in enumerate(numbered):
            if number % processes == processes - 1:
                here: Future = Future()
                here.set_result(renderer.write(html, path))
                pending.append((here, path))
            else:
                pending.append((pool.submit(_write_in_worker, html, path), path))
            # At most two parts a worker in flight; hand on those already done.
            while pending and (len(pending) > 2 * processes or pending[0][0].done()):
                future, done = pending.popleft()
                yield Path(done), future.result()
        while pending:
            future, done = pending.popleft()
            yield Path(done), future.result()


def scratch_folder(near: Path | None = None) -> tempfile.TemporaryDirectory:
    """A private scratch folder for the parts (they hold names), removed when closed."""
    if near is not None:
        os.makedirs(near, mode=0o700, exist_ok=True)
    return tempfile.TemporaryDirectory(prefix="pack-parts-", dir=near)
