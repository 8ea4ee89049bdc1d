"""Benchmark: reads at a million signers, and signing while visitors read.

    python bench/reads.py [--signatures 1000000] [--seconds 10] [--runs 3]

On a scratch PostgreSQL database (created, migrated, seeded, dropped
afterwards) it writes N confirmed signatures to the open campaign in one
INSERT ... SELECT over generate_series, runs the count rollup's refresh, and
starts gunicorn with the repo's gunicorn.conf.py and production settings.
Then, with wrk (bench/get.lua, bench/sign.lua):

- counts.json, the campaign page and the organizer dashboard, each after a
  short warm-up (every worker has verified the facts and read the counts
  once): p50, p99, req/s, and the CPU per request of the gunicorn workers and
  their PostgreSQL backends (from /proc: the steady figure on a shared machine);
- signatures.csv: the whole download's time, its lines, and the workers'
  peak resident memory (VmHWM);
- signing alone, then signing while 16 clients poll counts.json, then while
  16 clients poll the campaign page: the throughput ratios;
- how long a confirmation takes to show in counts.json (target: 5 s).

Each is run --runs times (3 by default) and the medians printed. It reports
against the targets; it never fails a build.
"""

import argparse
import http.client
import secrets
import sys
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import harness  # noqa: E402
import signing  # noqa: E402

SLUG = signing.SLUG
BENCH = Path(__file__).resolve().parent
AGENT = "bench-reads"
COUNTRIES = ["KR", "US", "GB", "JP", "DE", "CA", "AU", "FR", "TW", "NL", "SE", "IE"]

LOAD = """
INSERT INTO signatures (campaign_id, name, email, email_canonical, city, country, message,
    language, locale, recipient_id, show_name, include_in_delivery, status,
    duplicate_notices, created_at, confirmed_at)
SELECT c.id, 'Signer ' || n, 's' || n || '@bench.example.org', 's' || n || '@bench.example.org',
    'Town', (%(countries)s::text[])[1 + n %% %(ncountries)s], NULL, 'en', 'en', r.id,
    n %% 10 = 0, n %% 10 < 3, 'confirmed', 0,
    at, at
FROM generate_series(1, %(n)s) AS n,
    LATERAL (SELECT now() - (n %% 90) * interval '1 day' - (n %% 86400) * interval '1 second')
        AS t(at),
    (SELECT id FROM campaigns WHERE slug = %(slug)s) AS c,
    (SELECT id FROM recipients WHERE key = 'unhcr') AS r
"""


def load_signatures(database_url: str, n: int) -> float:
    import psycopg

    started = time.perf_counter()
    with psycopg.connect(signing.plain_dsn(database_url), autocommit=True) as connection:
        connection.execute(
            LOAD,
            {"countries": COUNTRIES, "ncountries": len(COUNTRIES), "n": n, "slug": SLUG},
        )
        connection.execute("VACUUM ANALYZE signatures")
    return time.perf_counter() - started


def refresh(database_url: str) -> float:
    from app import create_app
    from app.extensions import db
    from app.signatures.rollups import refresh_all_rollups

    app = create_app("test", SQLALCHEMY_DATABASE_URI=database_url)
    with app.app_context():
        started = time.perf_counter()
        refresh_all_rollups(db.session, SLUG)
        seconds = time.perf_counter() - started
        db.engine.dispose()
    return seconds


def add_organizer(database_url: str) -> tuple[str, str]:
    from app import create_app
    from app.extensions import db
    from app.organizer import service

    email, password = "bench-organizer@example.org", secrets.token_urlsafe(24)
    app = create_app("test", SQLALCHEMY_DATABASE_URI=database_url)
    with app.app_context():
        service.create_organizer(db.session, email, password)
        service.grant(db.session, email, SLUG, can_export_signatures=True)
        db.session.commit()
        db.engine.dispose()
    return email, password


def log_in(base_url: str, email: str, password: str) -> str:
    cookie, token = harness.session_and_token(base_url, "/organizer/login")
    host, port = base_url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=30)
    connection.request(
        "POST",
        "/organizer/login",
        body=urllib.parse.urlencode({"csrf_token": token, "email": email, "password": password}),
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": cookie,
            "User-Agent": AGENT,
        },
    )
    response = connection.getresponse()
    response.read()
    if response.status != 302:
        raise RuntimeError(f"organizer login answered {response.status}")
    from http.cookies import SimpleCookie

    jar = SimpleCookie()
    for header in response.headers.get_all("Set-Cookie") or []:
        jar.load(header)
    return "session=" + jar["session"].value


WARM_UP_SECONDS = 2


def poll(base_url, path, seconds, cookie="", connections=4, master=None, database_url=None):
    env = {"GET_PATH": path, "COOKIE": cookie, "USER_AGENT": AGENT}
    script = BENCH / "get.lua"
    if master is None:
        return harness.wrk(
            base_url + path, connections=connections, seconds=seconds, script=script, env=env
        )
    # Not counted: each worker's first requests verify the facts, fill its
    # caches and open its database connections.
    harness.wrk(
        base_url + path, connections=connections, seconds=WARM_UP_SECONDS, script=script, env=env
    )
    with harness.CpuMeter(master, database_url) as cpu:
        figures = harness.wrk(
            base_url + path, connections=connections, seconds=seconds, script=script, env=env
        )
    figures["cpu_ms_per_request"] = cpu.seconds * 1000 / max(figures["requests"], 1)
    figures["rps"] = figures["requests"] / figures["seconds"]
    return figures


def confirm_pending(database_url: str, n: int) -> int:
    """Confirm up to n pending signatures as the confirm link does; the new total."""
    from sqlalchemy import select

    from app import create_app
    from app.campaigns.models import Campaign
    from app.database import transaction
    from app.extensions import db
    from app.signatures.models import PENDING, Signature
    from app.signatures.rollups import confirmed_total
    from app.signatures.service import confirm

    app = create_app("test", SQLALCHEMY_DATABASE_URI=database_url)
    with app.app_context():
        campaign_id = db.session.scalar(select(Campaign.id).where(Campaign.slug == SLUG))
        pending = db.session.scalars(
            select(Signature)
            .where(Signature.campaign_id == campaign_id, Signature.status == PENDING)
            .limit(n)
        ).all()
        with transaction(db.session):
            for signature in pending:
                confirm(db.session, signature)
        total = confirmed_total(db.session, campaign_id)
        db.engine.dispose()
    return total


def seconds_until_counted(base_url: str, database_url: str) -> float:
    """From a confirmation's commit to the first counts.json that counts it,
    polled as a browser would, every 0.1 s."""
    import json

    expected = confirm_pending(database_url, 10)
    started = time.perf_counter()
    while time.perf_counter() - started < 30:
        with harness.get(f"{base_url}/c/{SLUG}/counts.json") as response:
            if json.load(response)["total"] == expected:
                return time.perf_counter() - started
        time.sleep(0.1)
    return float("inf")


def download_csv(base_url: str, cookie: str, master) -> dict:
    host, port = base_url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=120)
    started = time.perf_counter()
    connection.request(
        "GET",
        f"/organizer/c/{SLUG}/signatures.csv",
        headers={"Cookie": cookie, "User-Agent": AGENT},
    )
    response = connection.getresponse()
    lines = size = 0
    while chunk := response.read(1 << 16):
        lines += chunk.count(b"\n")
        size += len(chunk)
    seconds = time.perf_counter() - started
    connection.close()
    peak = max(harness.peak_rss_mb(pid) for pid in harness.worker_pids(master))
    return {
        "status": response.status,
        "seconds": seconds,
        "lines": lines,
        "mb": size / 1e6,
        "peak_rss_mb": peak,
    }


READ_FIGURES = ("p50_ms", "p99_ms", "rps", "cpu_ms_per_request")
EXPORT_FIGURES = ("seconds", "peak_rss_mb")


def sign_under(base, master, url, sessions, seconds, poll_path=None, run=0) -> dict:
    """Signing at -c16 for `seconds`, alone or while 16 clients poll `poll_path`;
    each run signs with addresses of its own, so every signature is a new one."""
    if poll_path is None:
        return signing.drive(master, url, base, "signatures", sessions, 16, seconds, f"alone-{run}")
    with harness.background_wrk(
        base + poll_path, connections=16, seconds=seconds + 2, script=BENCH / "get.lua"
    ) as readers:
        time.sleep(1)
        figures = signing.drive(
            master, url, base, "signatures", sessions, 16, seconds, f"r{len(poll_path)}-{run}"
        )
    figures["readers"] = dict(readers)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--signatures", type=int, default=1_000_000)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--runs", type=int, default=3, help="runs of each; medians are printed")
    args = parser.parse_args()

    print("load before:", harness.uptime())
    with harness.scratch_database("reads") as url:
        loaded = load_signatures(url, args.signatures)
        print(f"{args.signatures} confirmed signatures written in {loaded:.1f} s")
        print(f"flask counts refresh: {refresh(url):.2f} s")
        email, password = add_organizer(url)
        harness.flush_redis()
        port = harness.free_port()
        base = f"http://127.0.0.1:{port}"
        env = harness.server_environment(url, port, GET_PATH="")
        with harness.gunicorn(env) as master:
            cookie = log_in(base, email, password)
            paths = {
                "counts.json": (f"/c/{SLUG}/counts.json", ""),
                "campaign page": (f"/c/{SLUG}", ""),
                "dashboard": (f"/organizer/c/{SLUG}/", cookie),
            }
            reads = {
                name: harness.median_of_runs(
                    args.runs,
                    lambda run, path=path, cookie_=cookie_: poll(
                        base, path, args.seconds, cookie_, master=master, database_url=url
                    ),
                    READ_FIGURES,
                )
                for name, (path, cookie_) in paths.items()
            }
            export = harness.median_of_runs(
                args.runs, lambda run: download_csv(base, cookie, master), EXPORT_FIGURES
            )
            sessions = signing.fetch_sessions(base, 32)
            try:
                signing_alone, under_counts, under_page = (
                    harness.median_of_runs(
                        args.runs,
                        lambda run, poll_path=poll_path: sign_under(
                            base, master, url, sessions, args.seconds, poll_path, run
                        ),
                        ("rps", "p50_ms"),
                    )
                    for poll_path in (None, f"/c/{SLUG}/counts.json", f"/c/{SLUG}")
                )
            finally:
                sessions.unlink()
            lag = harness.median([seconds_until_counted(base, url) for _ in range(args.runs)])
        harness.flush_redis()

    targets = {"counts.json": 10, "campaign page": 30, "dashboard": 100}
    print(
        f"\nreads at {args.signatures:,} confirmed signatures, wrk -c4 {args.seconds} s each, "
        f"median of {args.runs} runs"
    )
    for name, f in reads.items():
        statuses = f["statuses"]
        print(
            f"  {name:14} p50 {f['p50_ms']:7.1f} ms (target <= {targets[name]} ms)  "
            f"p99 {f['p99_ms']:7.1f} ms  {f['rps']:7.0f} req/s  "
            f"CPU {f['cpu_ms_per_request']:5.1f} ms/request  {statuses}  "
            f"p50 of each run {f['runs']}"
        )
    print(
        f"  signatures.csv {export['status']}: {export['lines'] - 1:,} rows, "
        f"{export['mb']:.0f} MB in {export['seconds']:.1f} s (target <= 20 s); "
        f"worker peak RSS {export['peak_rss_mb']:.0f} MB (target <= 200 MB); "
        f"seconds of each run {export['runs']}"
    )
    alone = signing_alone["rps"]
    print(
        f"\nsigning, wrk -c16 {args.seconds} s: alone {alone:.0f}/s "
        f"(req/s of each run {signing_alone['runs']})"
    )
    for label, f in (("counts.json", under_counts), ("campaign page", under_page)):
        readers = f["readers"]
        read_rate = readers.get("requests", 0) / max(readers.get("seconds", 1), 1e-9)
        print(
            f"  with 16 clients polling {label}: {f['rps']:.0f}/s, ratio {f['rps'] / alone:.2f}"
            f" (target >= 0.8), p50 {f['p50_ms']:.0f} ms; the readers got {read_rate:.0f}/s;"
            f" signing req/s of each run {f['runs']}"
        )
    print(f"\na confirmation shows in counts.json after {lag:.1f} s (target <= 5 s)")
    print("load after:", harness.uptime())


if __name__ == "__main__":
    main()
