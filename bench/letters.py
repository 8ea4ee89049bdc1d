"""Letter rendering benchmark: the full letter path against bare WeasyPrint.

    make bench            (or: .venv/bin/python bench/letters.py --runs 30)

In one warm process, for an English, a Korean and a Chinese one-page letter,
times (a) bare WeasyPrint, `HTML(string=html).write_pdf()`, on the letter's
HTML and (b) the full path the download route takes: build the HTML from the
database objects (facts verified, template rendered) and render it with the
guarded fetcher and time limit. Runs alternate between (a) and (b). Targets:
(b) p50 at most 1.3 x (a) p50 and at most 80 ms. A benchmark, not a test:
it reports, it does not fail.
"""

import argparse
import logging
import os
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import select  # noqa: E402
from weasyprint import HTML  # noqa: E402

from app import create_app  # noqa: E402
from app.campaigns.models import Campaign  # noqa: E402
from app.extensions import db  # noqa: E402
from app.letters.models import Recipient  # noqa: E402
from app.letters.service import build_letter_html, render_letter_pdf  # noqa: E402
from app.letters.signer import Signer  # noqa: E402
from app.seeding.service import seed  # noqa: E402
from config import BASE_DIR  # noqa: E402

TARGET_RATIO = 1.3
TARGET_MS = 80.0
DAY = date(2026, 11, 5)
# (language, campaign, recipient, signer): one page each, with a personal message.
LETTERS = [
    ("en", "stop-forced-returns", "cn-embassy-gb",
     Signer("Jane Doe", "Leeds", "GB", "en",
            "I have read what happens to those who are sent back. Please let them go.")),
    ("ko", "stop-forced-returns", "cn-embassy-kr",
     Signer("김영희", "서울", "KR", "ko",
            "송환된 사람들이 어떤 일을 겪는지 읽었습니다. 부디 그들을 보내 주십시오.")),
    ("zh", "stop-forced-returns", "unhcr",
     Signer("王小明", "伦敦", "GB", "zh", "我读到了被遣返者的遭遇。恳请让他们离开。")),
]  # fmt: skip


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def time_ms(work) -> float:
    start = time.perf_counter()
    work()
    return (time.perf_counter() - start) * 1000


def bench_letter(campaign, recipient, signer, runs: int, warmup: int) -> dict:
    html = build_letter_html(campaign, recipient, signer, today=DAY)

    def bare():
        HTML(string=html).write_pdf()

    def full():
        render_letter_pdf(build_letter_html(campaign, recipient, signer, today=DAY))

    for _ in range(warmup):
        bare()
        full()
    bare_ms, full_ms = [], []
    for _ in range(runs):
        bare_ms.append(time_ms(bare))
        full_ms.append(time_ms(full))
    return {"bare": bare_ms, "full": full_ms}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=5)
    args = parser.parse_args()
    logging.getLogger("alembic").setLevel(logging.WARNING)

    with tempfile.TemporaryDirectory() as folder:
        app = create_app("test", SQLALCHEMY_DATABASE_URI=f"sqlite:///{folder}/bench.sqlite3")
        with app.app_context():
            upgrade()
            seed(db.session, BASE_DIR / "seeds")
            load = os.getloadavg()
            print(f"nproc {os.cpu_count()}, load {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}, "
                  f"{args.runs} runs after {args.warmup} warm-up runs")  # fmt: skip
            print(f"{'letter':6} {'bare p50':>9} {'bare p90':>9} {'full p50':>9} "
                  f"{'full p90':>9} {'ratio':>6}  target")  # fmt: skip
            for language, slug, key, signer in LETTERS:
                campaign = db.session.scalar(select(Campaign).where(Campaign.slug == slug))
                recipient = db.session.scalar(select(Recipient).where(Recipient.key == key))
                times = bench_letter(campaign, recipient, signer, args.runs, args.warmup)
                bare50, full50 = statistics.median(times["bare"]), statistics.median(times["full"])
                ratio = full50 / bare50
                met = ratio <= TARGET_RATIO and full50 <= TARGET_MS
                print(
                    f"{language:6} {bare50:8.1f}ms {percentile(times['bare'], 0.9):8.1f}ms "
                    f"{full50:8.1f}ms {percentile(times['full'], 0.9):8.1f}ms {ratio:6.2f}  "
                    f"{'met' if met else 'MISSED'} (<= {TARGET_RATIO}x, <= {TARGET_MS:g} ms)"
                )
            db.session.remove()
            db.engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
