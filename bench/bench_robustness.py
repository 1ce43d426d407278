"""Opening-night robustness, measured (`make bench`, after the session-list benchmark).

- The session list while four wrong-password logins run at once, against the list at rest:
  password hashing must not hold up the event loop.
- PostgreSQL: how long a notice takes to reach a client of another server process, and the
  list throughput of two server processes against one (with `wrk`).
- The server's memory while 20 WebSocket clients never read and 40,000 notices are sent.

Each figure is printed with its target, met or NOT MET, and appended to bench/RESULTS.md's
robustness section.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_sessions as base  # noqa: E402

ROOT = base.ROOT
RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
LIST = "/api/v1/show/sessions"
PASSWORD = "bench-password"
SESSIONS = 100

LOGIN_STALL_MAX = 2.0
NOTICE_LATENCY_MAX_MS = 50.0
TWO_PROCESS_MIN = 1.6
RSS_MAX_MB = 200.0
SILENT_CLIENTS = 20
BROADCASTS = 40_000


@dataclass
class Figures:
    lines: list[str] = field(default_factory=list)
    targets: list[tuple[str, bool]] = field(default_factory=list)

    def figure(self, text: str) -> None:
        base.progress(text)
        self.lines.append(f"- {text}")

    def target(self, text: str, ok: bool) -> None:
        self.targets.append((text, ok))


class Server:
    """`python -m server serve` on a database, for as long as the `with` lasts."""

    def __init__(self, url: str, workdir: Path, name: str, *extra: str, cost: int = 12) -> None:
        self.port = base.free_port()
        self.log = workdir / f"{name}.log"
        env = {**os.environ, "DIGISCRIPT_BCRYPT_ROUNDS": str(cost)}
        command = [sys.executable, "-m", "server", "serve", "--port", str(self.port)]
        command += ["--database-url", url, *extra]
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
            )
        base.wait_until_up(self.port, self.process, "/api/v1/health", self.log)

    def rss_mb(self, key: str = "VmRSS") -> float:
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        found = re.search(rf"^{key}:\s+(\d+) kB", status, re.M)
        return int(found.group(1)) / 1024 if found else float("nan")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@contextmanager
def serving(*args: Any, **kwargs: Any) -> Iterator[Server]:
    server = Server(*args, **kwargs)
    try:
        yield server
    finally:
        server.stop()


def set_up(port: int, sessions: int = SESSIONS) -> str:
    """An admin, a loaded show with `sessions` sessions; the admin's token."""
    http = base.Http(port)
    admin = {"username": "admin", "password": PASSWORD}
    status, _, _, _ = http.call("POST", "/api/v1/auth/create", {**admin, "is_admin": True})
    if status not in (200, 400):  # 400: made by the other process already
        raise base.BenchError(f"could not create the admin ({status})")
    http.token = http.ok("POST", "/api/v1/auth/login", admin, auth=False)["access_token"]
    if sessions:
        show = {"name": "Hamlet", "start": "2026-12-01", "end": "2027-12-31", "script_mode": 1}
        http.ok("POST", "/api/v1/show?load=true", show)
        for n in range(sessions):
            day = 1 + n % 28
            body = {"scheduled_date_time": f"2027-01-{day:02d}T{n % 24:02d}:{n % 60:02d}:00"}
            http.ok("POST", "/api/v1/show/sessions/schedule", body)
    http.close()
    return str(http.token)


# -- 1. the list while wrong passwords are tried --------------------------------------------------


def list_median_ms(port: int, rounds: int) -> float:
    http = base.Http(port)
    samples = [http.get(LIST) for _ in range(rounds)]
    http.close()
    return base.median_ms(samples)


def login_stall(workdir: Path, figures: Figures) -> None:
    url = f"sqlite:///{workdir / 'logins.sqlite'}"
    # Behind a (pretend) proxy, each attempt can come from another address, as a spread-out
    # attack would, so that the figure shows the hashing and not only the throttling.
    with serving(url, workdir, "logins", "--behind-proxy") as server:
        set_up(server.port)
        idle = list_median_ms(server.port, 300)
        stop = threading.Event()
        answered: dict[int, int] = {}
        lock = threading.Lock()

        def attacker(n: int) -> None:
            http = base.Http(server.port)
            for attempt in itertools.count():
                if stop.is_set():
                    break
                name = random.choice(["admin", f"intruder-{n}-{attempt}"])
                address = f"10.{n}.{attempt // 250 % 250}.{attempt % 250 + 1}"
                status, _, _, _ = http.call(
                    "POST",
                    "/api/v1/auth/login",
                    {"username": name, "password": "wrong password"},
                    headers={"X-Forwarded-For": address},
                )
                with lock:
                    answered[status] = answered.get(status, 0) + 1
            http.close()

        threads = [threading.Thread(target=attacker, args=(n,)) for n in range(4)]
        for thread in threads:
            thread.start()
        time.sleep(1.0)
        try:
            busy = list_median_ms(server.port, 300)
        finally:
            stop.set()
            for thread in threads:
                thread.join()
    ratio = busy / idle
    counts = ", ".join(f"{n:,} x {status}" for status, n in sorted(answered.items()))
    figures.figure(
        f"List of {SESSIONS} sessions at rest {idle:.2f} ms; while 4 clients try wrong "
        f"passwords at once (bcrypt cost 12; answers: {counts}) {busy:.2f} ms: {ratio:.2f}x"
    )
    figures.target(
        f"list p50 under 4 concurrent wrong-password logins at most {LOGIN_STALL_MAX:.0f}x "
        f"idle ({ratio:.2f}x: {busy:.2f} / {idle:.2f} ms)",
        ratio <= LOGIN_STALL_MAX,
    )


# -- 2. PostgreSQL: notices across processes, and two processes' throughput ----------------


async def notice_latencies(sender: int, listener: int, token: str, rounds: int) -> list[float]:
    from tornado.httpclient import AsyncHTTPClient, HTTPRequest
    from tornado.websocket import websocket_connect

    conn = await websocket_connect(f"ws://127.0.0.1:{listener}/api/v1/ws")
    for _ in range(2):  # SET_UUID, GET_SETTINGS
        await conn.read_message()
    client = AsyncHTTPClient()
    latencies = []
    for n in range(rounds):
        body = json.dumps({"scheduled_date_time": f"2027-06-01T{n % 24:02d}:00:00"})
        request = HTTPRequest(
            f"http://127.0.0.1:{sender}/api/v1/show/sessions/schedule",
            method="POST",
            body=body,
            headers={"Authorization": f"Bearer {token}"},
        )
        started = time.perf_counter()
        posted = asyncio.ensure_future(client.fetch(request))
        while True:
            message = json.loads(await conn.read_message())  # type: ignore[arg-type]
            if message.get("ACTION") == "GET_SHOW_SESSION_DATA":
                break
        latencies.append(time.perf_counter() - started)
        await posted
    conn.close()
    return latencies


def wrk(port: int, connections: int, seconds: float) -> float:
    """Requests per second of the list, by `wrk` (2 threads)."""
    done = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds:.0f}s", f"http://127.0.0.1:{port}{LIST}"],
        capture_output=True,
        text=True,
        check=True,
    )
    found = re.search(r"Requests/sec:\s+([0-9.]+)", done.stdout)
    if found is None:
        raise base.BenchError(f"wrk printed no rate:\n{done.stdout}{done.stderr}")
    return float(found.group(1))


def both(*ports: int) -> float:
    """Requests per second of the list served by these processes at once, 4 connections each."""
    results: list[float] = []
    runs = [threading.Thread(target=lambda p=p: results.append(wrk(p, 4, 5))) for p in ports]
    for run in runs:
        run.start()
    for run in runs:
        run.join()
    return sum(results)


def two_processes(workdir: Path, figures: Figures) -> None:
    pgcluster = base.load_pgcluster()
    if not pgcluster.binaries_available():
        raise base.BenchError("initdb and pg_ctl are not on PATH: no PostgreSQL run")
    cluster = pgcluster.Cluster()
    try:
        url = cluster.start()
        with (
            serving(url, workdir, "pg-a", cost=4) as first,
            serving(url, workdir, "pg-b", cost=4) as second,
        ):
            token = set_up(first.port)
            latencies = asyncio.run(notice_latencies(first.port, second.port, token, 60))
            p50 = base.median_ms(latencies)
            worst = max(latencies) * 1000
            figures.figure(
                f"PostgreSQL: a schedule through one process until a WebSocket client of the "
                f"other hears of it: {p50:.1f} ms median, {worst:.1f} ms worst over 60"
            )
            figures.target(
                f"cross-process notice latency on PostgreSQL p50 within "
                f"{NOTICE_LATENCY_MAX_MS:.0f} ms ({p50:.1f} ms)",
                p50 <= NOTICE_LATENCY_MAX_MS,
            )
            if shutil.which("wrk") is None:
                raise base.BenchError("wrk is not installed (make bench installs it)")
            one = [wrk(first.port, 8, 5) for _ in range(2)]
            rates = [both(first.port, second.port) for _ in range(2)]
            alone, together = max(one), max(rates)
            ratio = together / alone
            figures.figure(
                f"PostgreSQL: list of {SESSIONS} sessions, 8 connections (wrk): one process "
                f"{alone:,.0f} req/s, two processes {together:,.0f} req/s ({ratio:.2f}x)"
            )
            figures.target(
                f"2 processes on PostgreSQL serve at least {TWO_PROCESS_MIN}x the list "
                f"throughput of one ({ratio:.2f}x)",
                ratio >= TWO_PROCESS_MIN,
            )
    finally:
        cluster.stop()


# -- 3. memory with clients that never read -------------------------------------------------------


def silent_client(port: int) -> socket.socket:
    """A WebSocket connection that completes its handshake and never reads again."""
    sock = socket.create_connection(("127.0.0.1", port))
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.sendall(
        (
            f"GET /api/v1/ws HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
            "Upgrade: websocket\r\nConnection: Upgrade\r\n"
            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
            f"Origin: http://127.0.0.1:{port}\r\n\r\n"
        ).encode()
    )
    return sock


def silent_clients(workdir: Path, figures: Figures, broadcasts: int) -> None:
    url = f"sqlite:///{workdir / 'silent.sqlite'}"
    with serving(url, workdir, "silent", cost=4) as server:
        token = set_up(server.port)
        start_rss = server.rss_mb()
        sockets = [silent_client(server.port) for _ in range(SILENT_CLIENTS)]
        counter = itertools.count()
        started = time.perf_counter()

        def writer() -> None:
            http = base.Http(server.port, token)
            while (n := next(counter)) < broadcasts:
                when = f"2028-01-01T00:00:00+{n % 14:02d}:00"
                http.ok("POST", "/api/v1/show/sessions/schedule", {"scheduled_date_time": when})
            http.close()

        writers = [threading.Thread(target=writer) for _ in range(4)]
        for thread in writers:
            thread.start()
        for thread in writers:
            thread.join()
        took = time.perf_counter() - started
        peak = server.rss_mb("VmHWM")
        health = base.Http(server.port).get("/api/v1/health") * 1000
        for sock in sockets:
            sock.close()
    figures.figure(
        f"{SILENT_CLIENTS} WebSocket clients that never read while {broadcasts:,} notices were "
        f"sent ({took:.0f} s of schedules): RSS {start_rss:.0f} MB before, peak {peak:.0f} MB; "
        f"/health then answered in {health:.1f} ms"
    )
    figures.target(
        f"server RSS under {RSS_MAX_MB:.0f} MB with {SILENT_CLIENTS} non-reading clients and "
        f"{broadcasts:,} broadcasts (peak {peak:.0f} MB)",
        peak < RSS_MAX_MB,
    )


# -- the report ---------------------------------------------------------------------------


MARK = "\n## Robustness\n"


def write_results(path: Path, figures: Figures) -> None:
    """Put this run's section into the results file, before its Notes (replacing an earlier
    robustness section)."""
    text = path.read_text() if path.exists() else ""
    section = [MARK.strip(), "", f"Run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}"]
    section += ["by `make bench` (bench/bench_robustness.py).", ""]
    section += figures.lines + ["", "### Targets", ""]
    section += [f"- {base.verdict(ok)}: {text}" for text, ok in figures.targets]
    block = "\n".join(section) + "\n"
    if MARK in text:
        head, _, rest = text.partition(MARK)
        notes_at = rest.find("\n## Notes\n")
        tail = rest[notes_at:] if notes_at >= 0 else ""
        text = head + "\n" + block + tail
    else:
        notes_at = text.find("\n## Notes\n")
        if notes_at >= 0:
            text = text[:notes_at] + "\n" + block + text[notes_at:]
        else:
            text = text + "\n" + block
    path.write_text(text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--results", default=str(RESULTS), help="'' writes nothing")
    parser.add_argument("--broadcasts", type=int, default=BROADCASTS)
    args = parser.parse_args(argv)
    figures = Figures()
    steps: list[tuple[str, Callable[[Path, Figures], None]]] = [
        ("logins", login_stall),
        ("processes", two_processes),
        ("silent clients", lambda w, f: silent_clients(w, f, args.broadcasts)),
    ]
    failed = False
    with tempfile.TemporaryDirectory(prefix="digiscript-robust-") as tmp:
        for name, step in steps:
            base.progress(f"robustness: {name}")
            try:
                step(Path(tmp), figures)
            except base.BenchError as exc:
                failed = True
                figures.target(f"{name}: ran to the end ({exc})", False)
    print("\n".join(figures.lines))
    for text, ok in figures.targets:
        print(f"- {base.verdict(ok)}: {text}")
    if args.results:
        write_results(Path(args.results), figures)
    return 2 if failed else (0 if all(ok for _, ok in figures.targets) else 1)


if __name__ == "__main__":
    sys.exit(main())
