"""Benchmark: the sign POST on the production stack, against a bare INSERT.

    python bench/signing.py [--seconds 15] [--connections 16 64] [--sessions 64]

On a scratch PostgreSQL database (created, migrated, seeded, dropped
afterwards) and Redis (BENCH_REDIS_URL, database 14 by default, emptied
first), it starts gunicorn with the repo's gunicorn.conf.py and production
settings, fetches real session cookies and CSRF tokens from the campaign
page, and drives `POST /c/<slug>/sign` with wrk (bench/sign.lua), each
request a new address, at each connection count for a fixed time (after a
few seconds of warm-up that are not measured). Then it
serves bench/bare_app.py (one psycopg INSERT per POST) under the same gunicorn
settings and drives it the same way, and between the two bench/floor_app.py:
the app with one route that keeps the session, CSRF check and rate limit and
does one INSERT, the least any signature costs in this stack.

Each is driven --runs times (3 by default) and the medians printed. It
prints, for each: requests per second, p50/p99, the app/bare ratio, CPU
per signature (gunicorn workers plus their PostgreSQL backends, from /proc,
divided by the rows written), whether every 303 wrote exactly one row, the
SQL statements per signature (new and repeat), and the median answer time
of a new signature against a repeat. It reports; it never fails a build.
"""

import argparse
import functools
import http.client
import json
import os
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import harness  # noqa: E402

SLUG = "stop-forced-returns"
SIGN_PATH = f"/c/{SLUG}/sign"
FLOOR_PATH = f"/c/{SLUG}/floor"  # bench/floor_app.py
WARM_UP_SECONDS = 5
BENCH = Path(__file__).resolve().parent


COUNT_ROWS = {
    "signatures": "SELECT count(*) FROM signatures",
    "bare_signatures": "SELECT count(*) FROM bare_signatures",
}


def count_rows(database_url: str, table: str) -> int:
    import psycopg

    with psycopg.connect(plain_dsn(database_url)) as connection:
        return connection.execute(COUNT_ROWS[table]).fetchone()[0]


def plain_dsn(database_url: str) -> str:
    return database_url.replace("postgresql+psycopg://", "postgresql://")


def statements_per_signature(database_url: str) -> dict:
    """The SQL statements of one new signature and of one repeat, counted in
    process with SQLAlchemy's cursor event (the test suite asserts <= 5)."""
    from sqlalchemy import event

    from app import create_app
    from app.extensions import db

    app = create_app("test", SQLALCHEMY_DATABASE_URI=database_url)
    counts = {}
    form = {
        "name": "Counted Signer",
        "email": "counted@bench.example.org",
        "city": "Seoul",
        "country": "KR",
        "language": "en",
        "consent": "y",
    }
    with app.app_context():
        client = app.test_client()
        client.post(SIGN_PATH, data={**form, "email": "warm@bench.example.org"})
        for kind in ("new", "repeat"):
            seen = []

            def record(conn, cursor, statement, *args, seen=seen):
                seen.append(statement)

            event.listen(db.engine, "before_cursor_execute", record)
            client.post(SIGN_PATH, data=form)
            event.remove(db.engine, "before_cursor_execute", record)
            counts[kind] = len(seen)
        db.engine.dispose()
    return counts


def fetch_sessions(base_url: str, n: int) -> Path:
    path = Path(tempfile.mkstemp(prefix="bench-sessions-", suffix=".tsv")[1])
    with path.open("w") as out:
        for _ in range(n):
            cookie, token = harness.session_and_token(base_url, f"/c/{SLUG}")
            out.write(f"{cookie}\t{urllib.parse.quote(token, safe='')}\n")
    return path


def settled_rows(database_url: str, table: str) -> int:
    """The rows once the requests still in flight when wrk stopped have
    finished, so that they count in this run and not the next."""
    rows = count_rows(database_url, table)
    while True:
        time.sleep(0.3)
        now = count_rows(database_url, table)
        if now == rows:
            return rows
        rows = now


def sessions_opened(database_url: str) -> int:
    """Connections ever opened to the database: a pool too small for the
    server's threads shows as connections opened during the run."""
    import psycopg
    from sqlalchemy.engine import make_url

    name = make_url(database_url).database
    with psycopg.connect(plain_dsn(database_url)) as connection:
        connection.execute("SELECT pg_stat_clear_snapshot()")
        return connection.execute(
            "SELECT sessions FROM pg_stat_database WHERE datname = %s", (name,)
        ).fetchone()[0]


def drive(
    master, database_url, base_url, table, sessions, connections, seconds, run_id, path=SIGN_PATH
) -> dict:
    rows_before = count_rows(database_url, table)
    opened_before = sessions_opened(database_url)
    with harness.CpuMeter(master, database_url) as cpu:
        figures = harness.wrk(
            base_url + path,
            connections=connections,
            seconds=seconds,
            script=BENCH / "sign.lua",
            env={"SESSIONS": str(sessions), "SIGN_PATH": path, "RUN_ID": run_id},
        )
    rows = settled_rows(database_url, table) - rows_before
    # Less this meter's own two connections.
    figures["connections_opened"] = sessions_opened(database_url) - opened_before - 2
    figures["rows"] = rows
    figures["rps"] = figures["requests"] / figures["seconds"]
    figures["cpu_ms_per_row"] = cpu.seconds * 1000 / rows if rows else float("nan")
    # wrk stops with up to one request in flight per connection: the server
    # finishes those (a row each) but wrk never counts their 303.
    unanswered = rows - figures["statuses"].get("303", 0)
    figures["in_flight_at_stop"] = unanswered
    figures["one_row_per_303"] = 0 <= unanswered <= connections
    return figures


MEDIAN_FIGURES = ("rps", "p50_ms", "p99_ms", "cpu_ms_per_row")


def median_of_runs(runs: int, run_once) -> dict:
    """Medians of each figure over the runs; every run's 303s must have their rows."""
    figures = harness.median_of_runs(runs, run_once, MEDIAN_FIGURES)
    figures["one_row_per_303"] = all(f["one_row_per_303"] for f in figures.pop("each"))
    figures["runs"] = [round(rps) for rps in figures["runs"]]
    return figures


def new_against_repeat(base_url: str, samples: int) -> dict:
    """Median answer time of a new signature and of a repeat, interleaved,
    over one kept-alive connection with a real session and token."""
    cookie, token = harness.session_and_token(base_url, f"/c/{SLUG}")
    host, port = base_url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    times = {"new": [], "repeat": []}
    stamp = int(time.time())
    for i in range(samples):
        email = f"timing-{stamp}-{i}@bench.example.org"
        for kind in ("new", "repeat"):
            body = urllib.parse.urlencode(
                {
                    "csrf_token": token,
                    "name": "Timed Signer",
                    "email": email,
                    "city": "Seoul",
                    "country": "KR",
                    "language": "en",
                    "consent": "y",
                }
            )
            started = time.perf_counter()
            connection.request(
                "POST",
                SIGN_PATH,
                body=body,
                headers={
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Cookie": cookie,
                },
            )
            response = connection.getresponse()
            response.read()
            times[kind].append((time.perf_counter() - started) * 1000)
            assert response.status == 303, response.status
    connection.close()
    return {kind: harness.median(values) for kind, values in times.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--runs", type=int, default=3, help="runs of each; medians are printed")
    parser.add_argument("--connections", type=int, nargs="+", default=[16, 64])
    parser.add_argument("--sessions", type=int, default=64)
    parser.add_argument("--timing-samples", type=int, default=200)
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()

    print("load before:", harness.uptime())
    results = {"app": {}, "floor": {}, "bare": {}}
    with harness.scratch_database("signing") as url:
        import psycopg

        with psycopg.connect(plain_dsn(url), autocommit=True) as connection:
            connection.execute(
                "CREATE TABLE bare_signatures (id bigserial PRIMARY KEY, email text NOT NULL, "
                "name text NOT NULL, created_at timestamptz NOT NULL DEFAULT now())"
            )
        statements = statements_per_signature(url)
        harness.flush_redis()
        port = harness.free_port()
        base = f"http://127.0.0.1:{port}"
        env = harness.server_environment(url, port)

        env["BARE_DATABASE_URL"] = plain_dsn(url)
        servers = (
            # kind, gunicorn's app (None: the repo's), the POST path, the table written
            ("app", None, SIGN_PATH, "signatures"),
            ("floor", "bench.floor_app:app", FLOOR_PATH, "bare_signatures"),
            ("bare", "bench.bare_app:app", SIGN_PATH, "bare_signatures"),
        )
        for kind, app, path, table in servers:
            with harness.gunicorn(env, app=app) as master:
                sessions = (
                    fetch_sessions_for_bare(args.sessions)
                    if kind == "bare"
                    else fetch_sessions(base, args.sessions)
                )
                try:
                    server = functools.partial(drive, master, url, base, table, sessions, path=path)
                    # Not measured: each worker's first requests fill its
                    # caches, prepare its statements and open its connections.
                    server(max(args.connections), WARM_UP_SECONDS, f"{kind}-warm")
                    for c in args.connections:
                        results[kind][c] = median_of_runs(
                            args.runs,
                            lambda run, c=c, server=server, kind=kind: server(
                                c, args.seconds, f"{kind}{c}-{run}"
                            ),
                        )
                    if kind == "app":
                        timing = new_against_repeat(base, args.timing_samples)
                finally:
                    os.unlink(sessions)
            harness.flush_redis()

    report(results, statements, timing, args)
    print("load after:", harness.uptime())
    if args.json:
        Path(args.json).write_text(
            json.dumps(
                {"results": results, "statements": statements, "timing": timing}, default=str
            )
        )


def fetch_sessions_for_bare(n: int) -> Path:
    # The bare endpoint has no sessions or tokens; the requests stay the same size.
    path = Path(tempfile.mkstemp(prefix="bench-sessions-", suffix=".tsv")[1])
    path.write_text("".join(f"session=bare{i}\tbare-token-{i}\n" for i in range(n)))
    return path


def report(results, statements, timing, args) -> None:
    print(
        f"\nsign POST, gunicorn -c gunicorn.conf.py, wrk {args.seconds} s per run, "
        f"median of {args.runs} runs (req/s of each run in brackets)"
    )
    header = (
        f"{'':6} {'conns':>5} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} "
        f"{'rows':>7} {'CPU ms/sig':>10} {'303=row':>8} {'other':>12}"
    )
    print(
        "(303=row: every 303 has its row; rows beyond the 303s are the requests "
        "in flight when wrk stopped, at most one per connection)"
    )
    print(header)
    for kind in ("app", "floor", "bare"):
        for c, f in results[kind].items():
            other = {k: v for k, v in f["statuses"].items() if k != "303"}
            if f["errors"]:
                other["socket errors"] = f["errors"]
            print(
                f"{kind:6} {c:>5} {f['rps']:>8.0f} {f['p50_ms']:>8.1f} {f['p99_ms']:>8.1f} "
                f"{f['rows']:>7} {f['cpu_ms_per_row']:>10.2f} "
                f"{'yes' if f['one_row_per_303'] else 'NO':>8} {json.dumps(other):>12}"
                f" in flight {f['in_flight_at_stop']}, "
                f"{f['connections_opened']} db connections opened {f['runs']}"
            )
    print("\nagainst the targets")
    for c in args.connections:
        app, bare = results["app"][c], results["bare"][c]
        by_rate = app["rps"] / bare["rps"]
        by_cpu = bare["cpu_ms_per_row"] / app["cpu_ms_per_row"]
        print(
            f"  -c{c}: throughput ratio {by_rate:.2f}, CPU ratio {by_cpu:.2f} (target >= 0.5); "
            f"p99 {app['p99_ms']:.0f} ms" + (" (target <= 100 ms)" if c == 16 else "")
        )
        if bare["rps"] >= 2000:
            print(f"         bare reached {bare['rps']:.0f}/s: target app >= 1000/s")
        floor = results["floor"][c]
        print(
            f"         the floor (bench/floor_app.py) reaches {floor['rps'] / bare['rps']:.2f} of "
            f"bare by throughput, {bare['cpu_ms_per_row'] / floor['cpu_ms_per_row']:.2f} by CPU; "
            f"the sign POST {app['rps'] / floor['rps']:.2f} and "
            f"{floor['cpu_ms_per_row'] / app['cpu_ms_per_row']:.2f} of the floor"
        )
    print(
        f"  SQL statements per signature: new {statements['new']}, repeat "
        f"{statements['repeat']} (target <= 5)"
    )
    print(
        f"  answer time, median of {args.timing_samples}: new {timing['new']:.2f} ms, "
        f"repeat {timing['repeat']:.2f} ms (difference "
        f"{timing['repeat'] - timing['new']:+.2f} ms)"
    )


if __name__ == "__main__":
    main()
