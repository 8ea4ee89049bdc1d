"""Benchmark: the delivery pack of a campaign with 1,000,000 confirmed signatures.

    python bench/delivery_pack.py [--signatures N] [--database-url URL]
                                  [--chunk-size N] [--processes N] [--keep-database]
                                  [--runs 3]

Sets up a database (a SQLite file in a temporary folder unless --database-url
names another, e.g. an empty PostgreSQL database): migrations, the seeds, and
N confirmed signatures on one campaign, about 30% of them to be named, with
Latin, Hangul and Chinese names from about 40 countries. Every signature is
addressed to the same recipient (the UNHCR, which any signer may write to),
so that recipient's pack holds all N. --keep-database skips the set-up and
builds from what an earlier run left in --database-url.

The pack is then built in a child process, as the job builds it (parts of
--chunk-size names rendered in --processes processes), so the set-up's memory
does not count. It reports wall time, the CPU seconds of the builder and its
render processes, and memory: the peak proportional set size (PSS) of the
builder and all its processes together, sampled from /proc (the figure for
the 500 MB target), with the machine's load average before and after.
It builds --runs times (3 by default) from the one set-up and prints each
build's time and memory, and their medians. Target: 3 minutes and 500 MB; it
reports, and never fails a build.
"""

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CAMPAIGN = "stop-forced-returns"
RECIPIENT = "unhcr"
TARGET_SECONDS = 180
TARGET_MEGABYTES = 500
# As the job builds it (DELIVERY_PACK_CHUNK_SIZE, DELIVERY_PACK_PROCESSES).
PACK_CHUNK_SIZE = 2000
PACK_PROCESSES = 1
NAMED_SHARE = 0.3

COUNTRIES = {
    "KR": ["Seoul", "Busan", "Incheon"],
    "US": ["New York", "Los Angeles", "Chicago"],
    "GB": ["London", "Leeds", "Glasgow"],
    "JP": ["Tokyo", "Osaka"],
    "DE": ["Berlin", "Hamburg"],
    "CA": ["Toronto", "Vancouver"],
    "AU": ["Sydney", "Melbourne"],
    "FR": ["Paris", "Lyon"],
    "TW": ["Taipei", "Kaohsiung"],
    "HK": ["Hong Kong"],
    "CN": ["Beijing", "Shanghai"],
    "NL": ["Amsterdam"],
    "BE": ["Brussels"],
    "CH": ["Geneva", "Zürich"],
    "SE": ["Stockholm"],
    "NO": ["Oslo"],
    "DK": ["Copenhagen"],
    "FI": ["Helsinki"],
    "IE": ["Dublin"],
    "IT": ["Rome", "Milan"],
    "ES": ["Madrid", "Barcelona"],
    "PT": ["Lisbon"],
    "PL": ["Warsaw"],
    "CZ": ["Prague"],
    "AT": ["Vienna"],
    "NZ": ["Auckland"],
    "SG": ["Singapore"],
    "MY": ["Kuala Lumpur"],
    "TH": ["Bangkok"],
    "PH": ["Manila"],
    "ID": ["Jakarta"],
    "VN": ["Hanoi"],
    "MN": ["Ulaanbaatar"],
    "IN": ["New Delhi"],
    "BR": ["São Paulo"],
    "MX": ["Mexico City"],
    "AR": ["Buenos Aires"],
    "ZA": ["Cape Town"],
    "IL": ["Tel Aviv"],
    "TR": ["Istanbul"],
}
LATIN_GIVEN = ["James", "Mary", "Chloé", "Lukas", "Sofia", "Mateo", "Emma", "Noah", "Aisha", "Jan"]
LATIN_FAMILY = ["Smith", "García", "Müller", "Martin", "Rossi", "Nowak", "Jensen", "O'Brien"]
HANGUL_FAMILY = ["김", "이", "박", "최", "정", "강", "조", "윤"]
HANGUL_GIVEN = ["민준", "서연", "지우", "하은", "도윤", "수아", "예준", "지민", "철수", "영희"]
CHINESE_FAMILY = ["王", "李", "张", "刘", "陈", "杨", "黄", "赵"]
CHINESE_GIVEN = ["伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "洋"]


def random_name(rng: random.Random) -> str:
    script = rng.random()
    if script < 0.5:
        return f"{rng.choice(LATIN_GIVEN)} {rng.choice(LATIN_FAMILY)}"
    if script < 0.8:
        return rng.choice(HANGUL_FAMILY) + rng.choice(HANGUL_GIVEN)
    return rng.choice(CHINESE_FAMILY) + rng.choice(CHINESE_GIVEN)


def make_app(database_url: str):
    os.environ["DATABASE_URL"] = database_url
    from app import create_app

    return create_app("development")


def set_up(database_url: str, count: int, named_share: float) -> None:
    from flask_migrate import upgrade
    from sqlalchemy import func, insert, select

    from app.campaigns.models import Campaign
    from app.extensions import db
    from app.letters.models import Recipient
    from app.seeding.service import seed
    from app.signatures.models import CONFIRMED, Signature

    app = make_app(database_url)
    with app.app_context():
        upgrade()
        seed(db.session, app.config["SEEDS_DIR"])
        db.session.commit()
        campaign = db.session.scalar(select(Campaign).where(Campaign.slug == CAMPAIGN))
        recipient = db.session.scalar(select(Recipient).where(Recipient.key == RECIPIENT))
        # Never touch real signatures: the benchmark wants a scratch database.
        if db.session.scalar(select(func.count()).select_from(Signature)):
            raise SystemExit(
                "This database already holds signatures. Give the benchmark an empty "
                "scratch database (or none: it makes a temporary SQLite file)."
            )
        rng = random.Random(20261125)
        countries = list(COUNTRIES)
        start = datetime(2026, 11, 1, tzinfo=UTC)
        rows = []
        for number in range(count):
            country = rng.choice(countries)
            email = f"signer{number}@example.org"
            rows.append(
                {
                    "campaign_id": campaign.id,
                    "name": random_name(rng),
                    "email": email,
                    "email_canonical": email,
                    "city": rng.choice(COUNTRIES[country]),
                    "country": country,
                    "language": "en",
                    "locale": "en",
                    "recipient_id": recipient.id,
                    "show_name": rng.random() < 0.2,
                    "include_in_delivery": rng.random() < named_share,
                    "status": CONFIRMED,
                    "duplicate_notices": 0,
                    "created_at": start,
                    "confirmed_at": start + timedelta(minutes=rng.randrange(60 * 24 * 60)),
                }
            )
            if len(rows) == 10_000:
                db.session.execute(insert(Signature), rows)
                rows = []
        if rows:
            db.session.execute(insert(Signature), rows)
        db.session.commit()
        db.engine.dispose()


def build(database_url: str, output: Path, chunk_size: int, processes: int) -> dict:
    """Runs in the child: build the pack, report time and peak memory."""
    from sqlalchemy import select

    from app.campaigns.models import Campaign
    from app.extensions import db
    from app.letters.templates import LETTER_TEMPLATES_DIR
    from app.organizer.delivery import build_delivery_pack, campaign_recipient

    app = make_app(database_url)
    with app.app_context():
        started = time.perf_counter()
        campaign = db.session.scalar(select(Campaign).where(Campaign.slug == CAMPAIGN))
        with output.open("wb") as pdf:
            contents = build_delivery_pack(
                db.session,
                campaign,
                campaign_recipient(campaign, RECIPIENT),
                pdf,
                templates_dir=LETTER_TEMPLATES_DIR,
                on=datetime.now(UTC).date(),
                chunk_size=chunk_size,
                processes=processes,
            )
        seconds = time.perf_counter() - started
    # KiB on Linux.
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    usage = resource.getrusage(resource.RUSAGE_SELF)
    # The render processes, ended (and waited for) when the build returns.
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {
        "seconds": round(seconds, 2),
        # On a shared machine the steadier figure: what the build itself used.
        "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 1),
        "cpu_seconds_render_processes": round(children.ru_utime + children.ru_stime, 1),
        "peak_rss_builder_mb": round(own, 1),
        "signatures": contents.total,
        "named": contents.named,
        "counted_only": contents.counted_only,
        "countries": len(contents.by_country),
        "pdf_mb": round(output.stat().st_size / 1024 / 1024, 1),
    }


class PeakMemory:
    """Samples the memory (PSS) of a process and all its descendants."""

    def __init__(self, pid: int, interval: float = 0.25):
        self.pid, self.interval = pid, interval
        self.peak_mb = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self):
        self._thread.start()

    def stop(self):
        self._stop.set()
        self._thread.join()

    def _run(self):
        while not self._stop.wait(self.interval):
            total = sum(pss_kib(pid) for pid in [self.pid, *descendants(self.pid)])
            self.peak_mb = max(self.peak_mb, total / 1024)


def descendants(pid: int) -> list[int]:
    children = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as file:
                children += [int(child) for child in file.read().split()]
    except OSError:
        return []
    return children + [grandchild for child in children for grandchild in descendants(child)]


def pss_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as file:
            for line in file:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def pdf_pages(path: Path) -> str:
    try:
        info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
    except FileNotFoundError:
        return "?"
    return next((line.split()[-1] for line in info.splitlines() if line.startswith("Pages")), "?")


def build_in_child(database_url: str, output: Path, args) -> dict:
    """One build, in a child process as the job runs it, with its peak memory."""
    child = subprocess.Popen(
        [
            sys.executable,
            __file__,
            "--database-url",
            database_url,
            "--child-build",
            str(output),
            "--chunk-size",
            str(args.chunk_size),
            "--processes",
            str(args.processes),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    peak_pss = PeakMemory(child.pid)
    peak_pss.start()
    stdout, _ = child.communicate()
    peak_pss.stop()
    if child.returncode:
        raise SystemExit(f"The build failed (exit {child.returncode}).")
    figures = json.loads(stdout.strip().splitlines()[-1])
    # Proportional set size, summed over the builder and its render
    # processes: shared pages counted once. The figure the target is for.
    figures["peak_memory_all_processes_mb"] = round(peak_pss.peak_mb, 1)
    figures["pages"] = pdf_pages(output)
    print(
        f"build: {figures['seconds']} s, {figures['peak_memory_all_processes_mb']} MB peak",
        flush=True,
    )
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--signatures", type=int, default=1_000_000)
    parser.add_argument(
        "--named-share", type=float, default=NAMED_SHARE, help="share of signers to be named"
    )
    parser.add_argument("--database-url", help="default: a SQLite file in a temporary folder")
    parser.add_argument("--chunk-size", type=int, default=PACK_CHUNK_SIZE, help="names per part")
    parser.add_argument(
        "--processes", type=int, default=PACK_PROCESSES, help="parts rendered at once"
    )
    parser.add_argument(
        "--keep-database", action="store_true", help="reuse --database-url's signatures as set up"
    )
    parser.add_argument("--runs", type=int, default=3, help="builds; the medians are printed")
    parser.add_argument("--child-build", metavar="PDF", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.child_build:
        figures = build(args.database_url, Path(args.child_build), args.chunk_size, args.processes)
        print(json.dumps(figures))
        return 0

    with tempfile.TemporaryDirectory() as folder:
        database_url = args.database_url or f"sqlite:///{folder}/bench.sqlite3"
        started = time.perf_counter()
        if not args.keep_database:
            set_up(database_url, args.signatures, args.named_share)
            seconds = time.perf_counter() - started
            print(f"set-up: {args.signatures:,} signatures in {seconds:.1f} s")
        output = Path(folder) / "delivery.pdf"
        load_before = os.getloadavg()
        runs = [build_in_child(database_url, output, args) for _ in range(args.runs)]

    # The median run by time; its time and memory the medians of all runs.
    figures = dict(sorted(runs, key=lambda run: run["seconds"])[len(runs) // 2])
    for key in ("seconds", "peak_memory_all_processes_mb"):
        figures[key] = sorted(run[key] for run in runs)[len(runs) // 2]

    def load(averages):
        return ", ".join(f"{value:.2f}" for value in averages)

    print(
        f"machine: {os.cpu_count()} CPUs, load average {load(load_before)} before the build, "
        f"{load(os.getloadavg())} after"
    )
    print(f"database: {database_url.split('://')[0]}; median of {len(runs)} builds")
    for key, value in figures.items():
        print(f"{key}: {value:,}" if isinstance(value, int) else f"{key}: {value}")
    memory = figures["peak_memory_all_processes_mb"]
    within = figures["seconds"] <= TARGET_SECONDS and memory <= TARGET_MEGABYTES
    verdict = "within" if within else "OVER"
    print(f"{verdict} the target of {TARGET_SECONDS} s and {TARGET_MEGABYTES} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
