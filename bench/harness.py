"""What the signing and reads benchmarks share: a scratch PostgreSQL database,
gunicorn started with the repo's gunicorn.conf.py, wrk, and CPU from /proc.

Everything runs on loopback, and everything started is stopped again.
"""

import contextlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from http.cookies import SimpleCookie
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

POSTGRES_ADMIN_URL = os.environ.get(
    "BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
PYTHON = sys.executable


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


# -- the scratch database -----------------------------------------------------


@contextlib.contextmanager
def scratch_database(label: str):
    """A new, migrated and seeded database, dropped afterwards; yields its URL."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"bench_{label}_{os.getpid()}"
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(POSTGRES_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    try:
        prepare(url)
        yield url
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def prepare(url: str) -> None:
    from flask_migrate import upgrade

    from app import create_app
    from app.extensions import db
    from app.seeding.service import seed

    app = create_app("test", SQLALCHEMY_DATABASE_URI=url, SEEDS_DIR=ROOT / "seeds")
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
        seed(db.session, ROOT / "seeds")
        db.session.commit()
        db.engine.dispose()


def flush_redis() -> None:
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()


# -- gunicorn -----------------------------------------------------------------


def server_environment(database_url: str, port: int, **extra) -> dict:
    env = dict(os.environ)
    env.update(
        APP_CONFIG="production",
        SECRET_KEY="bench-only-secret-key-" + "x" * 20,
        DATABASE_URL=database_url,
        REDIS_URL=REDIS_URL,
        PUBLIC_BASE_URL=f"http://127.0.0.1:{port}",
        SESSION_COOKIE_SECURE="0",
        GUNICORN_BIND=f"127.0.0.1:{port}",
        # Every request of the benchmark comes from one address: the limit
        # is still counted in Redis on every POST, it just never bites.
        SIGN_RATE_LIMIT="100000000 per hour",
        LETTER_RATE_LIMIT="100000000 per hour",
        MAIL_BACKEND="console",
        PYTHONPATH=str(ROOT),
    )
    env.update(extra)
    return env


@contextlib.contextmanager
def gunicorn(env: dict, app: str | None = None):
    """gunicorn -c gunicorn.conf.py [app], until it answers; stopped afterwards."""
    command = [PYTHON, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py")]
    if app:
        command.append(app)
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log)
        url = "http://" + env["GUNICORN_BIND"]
        try:
            for _ in range(200):
                try:
                    get(url + "/ping" if app else url + "/", timeout=2)
                    break
                except urllib.error.HTTPError:
                    break
                except OSError:
                    if process.poll() is not None:
                        break
                    time.sleep(0.1)
            if process.poll() is not None:
                log.seek(0)
                raise RuntimeError("gunicorn did not start:\n" + log.read().decode()[-3000:])
            yield process
        finally:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=40)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def get(url: str, timeout: float = 10, headers: dict | None = None):
    """GET over loopback HTTP only."""
    if not url.startswith("http://127.0.0.1:"):
        raise ValueError("benchmarks talk to the loopback server only")
    request = urllib.request.Request(url, headers=headers or {})  # noqa: S310 (checked above)
    return urllib.request.urlopen(request, timeout=timeout)  # noqa: S310 (checked above)


def worker_pids(master: subprocess.Popen) -> list[int]:
    children = Path(f"/proc/{master.pid}/task/{master.pid}/children").read_text().split()
    return [int(pid) for pid in children]


def cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime + stime


def reaped_children_cpu_seconds(pid: int) -> float:
    """CPU of the process's children that have exited and been waited for:
    gunicorn's workers recycled by `max_requests` during a run."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError):
        return 0.0
    return (int(fields[13]) + int(fields[14])) / CLOCK_TICKS  # cutime + cstime


def peak_rss_mb(pid: int) -> float:
    text = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmHWM:\s+(\d+) kB", text).group(1)) / 1024


def backend_pids(database_url: str) -> list[int]:
    import psycopg
    from sqlalchemy.engine import make_url

    url = make_url(database_url)
    with psycopg.connect(
        host=url.host, port=url.port, user=url.username, dbname="postgres", autocommit=True
    ) as connection:
        rows = connection.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s", (url.database,)
        ).fetchall()
    return [pid for (pid,) in rows]


class CpuMeter:
    """CPU of gunicorn's workers and their PostgreSQL backends over a stretch."""

    def __init__(self, master, database_url):
        self.master, self.database_url = master, database_url

    def snapshot(self) -> tuple[dict[int, float], dict[int, float]]:
        workers = {pid: cpu_seconds(pid) for pid in worker_pids(self.master)}
        backends = {pid: cpu_seconds(pid) for pid in backend_pids(self.database_url)}
        return workers, backends

    def __enter__(self):
        self.before = self.snapshot()
        self.reaped_before = reaped_children_cpu_seconds(self.master.pid)
        return self

    def __exit__(self, *exc):
        after = self.snapshot()
        self.seconds = sum(
            max(cpu - before.get(pid, 0.0), 0.0)
            for before, now in zip(self.before, after, strict=True)
            for pid, cpu in now.items()
        )
        # A worker recycled mid-run (`max_requests`) is gone from `after`;
        # the master has all its CPU among its reaped children, of which the
        # part spent during the run is counted here.
        workers_before, workers_after = self.before[0], after[0]
        reaped = reaped_children_cpu_seconds(self.master.pid) - self.reaped_before
        self.seconds += reaped - sum(
            cpu for pid, cpu in workers_before.items() if pid not in workers_after
        )


# -- wrk ----------------------------------------------------------------------


def wrk(url: str, *, connections: int, seconds: int, script: Path, env=None) -> dict:
    """Run wrk with a Lua script whose done() prints one JSON line."""
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: scripts/install-system-packages installs it.")
    result = subprocess.run(
        [
            "wrk",
            f"-t{min(2, connections)}",
            f"-c{connections}",
            f"-d{seconds}s",
            "--timeout",
            "10s",
            "-s",
            str(script),
            url,
        ],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
    )
    for line in result.stdout.splitlines():
        if line.startswith("{"):
            return json.loads(line)
    raise RuntimeError("wrk gave no figures:\n" + result.stdout + result.stderr)


@contextlib.contextmanager
def background_wrk(url: str, *, connections: int, seconds: int, script: Path):
    process = subprocess.Popen(
        [
            "wrk",
            f"-t{min(2, connections)}",
            f"-c{connections}",
            f"-d{seconds}s",
            "-s",
            str(script),
            url,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    box = {}
    try:
        yield box
    finally:
        out, _ = process.communicate(timeout=seconds + 30)
        for line in out.splitlines():
            if line.startswith("{"):
                box.update(json.loads(line))


# -- sessions -------------------------------------------------------------------


def session_and_token(base_url: str, path: str) -> tuple[str, str]:
    """A fresh session cookie and the CSRF token of the form on `path`."""
    response = get(base_url + path)
    html = response.read().decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html)
    if token is None:
        token = re.search(r'id="csrf_token" name="csrf_token" type="hidden" value="([^"]+)"', html)
    cookie = SimpleCookie()
    for header in response.headers.get_all("Set-Cookie") or []:
        cookie.load(header)
    return "session=" + cookie["session"].value, token.group(1)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def median(values: list[float]) -> float:
    return percentile(values, 0.5)


def median_of_runs(runs: int, run_once, figures: tuple[str, ...]) -> dict:
    """Run `run_once(run)` `runs` times: the middle run by the first figure,
    with every one of `figures` replaced by its median over the runs, and
    each run's first figure under "runs"."""
    each = [run_once(run) for run in range(runs)]
    middle = dict(sorted(each, key=lambda f: f[figures[0]])[len(each) // 2])
    for name in figures:
        middle[name] = median([f[name] for f in each])
    middle["runs"] = [round(f[figures[0]], 1) for f in each]
    middle["each"] = each
    return middle
