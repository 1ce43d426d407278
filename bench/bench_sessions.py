"""The session list at theatre scale, measured against its ceiling (`make bench`).

Starts the real server (`python -m server serve`) on a fresh SQLite database and, beside it, a
bare Tornado app that json.dumps the very payload the real server answers with, then seeds
100, 1,000, 5,000 and 10,000 sessions through the API and prints a table of medians, ratios,
SQL statement counts, 304 timings, write latencies, WebSocket fan-out, memory and event-loop
stalls, with every target marked met or NOT MET.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import http.client
import json
import os
import platform
import random
import re
import select
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SIZES = (100, 1_000, 5_000, 10_000)
# Alternating rounds per size: enough for a steady median, few enough for big payloads.
ROUNDS = {100: 300, 1_000: 150, 5_000: 60, 10_000: 30}
DEFAULT_ROUNDS = 30
TAG_COUNT = 5
LISTENERS = 200
STARTUP_LIMIT = 60.0
PASSWORD = "bench-password"


# -- plain HTTP with timing ------------------------------------------------------------------


class Http:
    """One keep-alive connection; `call` returns (status, body, headers, seconds)."""

    def __init__(self, port: int, token: str | None = None) -> None:
        self.port = port
        self.token = token
        self.conn: http.client.HTTPConnection | None = None

    def _connection(self) -> http.client.HTTPConnection:
        if self.conn is None:
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
            self.conn.connect()
            assert self.conn.sock is not None
            self.conn.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return self.conn

    def call(
        self,
        method: str,
        path: str,
        body: Any = None,
        headers: dict[str, str] | None = None,
        auth: bool = True,
    ) -> tuple[int, bytes, http.client.HTTPMessage, float]:
        all_headers = dict(headers or {})
        payload = None if body is None else json.dumps(body).encode()
        if payload is not None:
            all_headers["Content-Type"] = "application/json"
        if auth and self.token:
            all_headers["Authorization"] = f"Bearer {self.token}"
        conn = self._connection()
        started = time.perf_counter()
        conn.request(method, path, body=payload, headers=all_headers)
        response = conn.getresponse()
        data = response.read()
        elapsed = time.perf_counter() - started
        return response.status, data, response.headers, elapsed

    def ok(self, method: str, path: str, body: Any = None, auth: bool = True) -> Any:
        status, data, _, _ = self.call(method, path, body, auth=auth)
        if status != 200:
            raise RuntimeError(f"{method} {path} -> {status} {data[:300]!r}")
        return json.loads(data)

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until_up(port: int, process: subprocess.Popen[bytes], path: str) -> None:
    deadline = time.monotonic() + STARTUP_LIMIT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"process on port {port} exited at start")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=2):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing answered on port {port} within {STARTUP_LIMIT:.0f} s")


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


# -- the ceiling: a bare Tornado app ------------------------------------------------------------


CEILING_ETAG = '"ceiling"'
# Tornado's access log line: status, method, path, client, then the time the request took.
SERVED = re.compile(r"tornado\.access: 200 POST (\S+) \([^)]*\) ([0-9.]+)ms")


def run_ceiling(port: int, source: str) -> None:
    """A bare Tornado app: GET /list json.dumps the payload last fetched from `source` (POST
    /reload fetches it again); GET /not-modified answers 304 to its own ETag."""
    import tornado.web

    state: dict[str, Any] = {"payload": None}

    class ListHandler(tornado.web.RequestHandler):
        def compute_etag(self) -> None:
            # Tornado would hash every body for an ETag; the bare minimum skips even that.
            return None

        def get(self) -> None:
            self.set_header("Content-Type", "application/json; charset=UTF-8")
            self.finish(json.dumps(state["payload"]))

    class NotModifiedHandler(tornado.web.RequestHandler):
        def get(self) -> None:
            self.set_header("Etag", CEILING_ETAG)
            if self.check_etag_header():
                self.set_status(304)
                self.finish()
                return
            self.finish(b"{}")

    class ReloadHandler(tornado.web.RequestHandler):
        def post(self) -> None:
            with urllib.request.urlopen(source, timeout=120) as response:
                state["payload"] = json.loads(response.read())
            self.finish(b"{}")

    class HealthHandler(tornado.web.RequestHandler):
        def get(self) -> None:
            self.finish(b"{}")

    async def main() -> None:
        app = tornado.web.Application(
            [
                ("/list", ListHandler),
                ("/not-modified", NotModifiedHandler),
                ("/reload", ReloadHandler),
                ("/health", HealthHandler),
            ]
        )
        app.listen(port, "127.0.0.1")
        await asyncio.Event().wait()

    asyncio.run(main())


# -- WebSocket listeners --------------------------------------------------------------------------


def run_listeners(url: str, count: int, report: bool) -> None:
    """`count` WebSocket clients. Prints {"ids": [...]} once all are greeted; with `report`,
    prints {"round": k, "last": t} when every client has received its k-th session-data
    notice (t: time.monotonic() of the last arrival, comparable across processes). Ends when
    its standard input closes."""
    from tornado.websocket import websocket_connect

    async def main() -> None:
        conns = [await websocket_connect(url) for _ in range(count)]
        ids = []
        for conn in conns:
            hello = json.loads(await conn.read_message())  # type: ignore[arg-type]
            await conn.read_message()  # NOOP/GET_SETTINGS
            ids.append(hello["DATA"])
        print(json.dumps({"ids": ids}), flush=True)
        arrivals: list[list[float]] = [[] for _ in conns]
        reported = 0

        async def listen(index: int, conn: Any) -> None:
            nonlocal reported
            while True:
                message = await conn.read_message()
                if message is None:
                    return
                if json.loads(message).get("ACTION") != "GET_SHOW_SESSION_DATA":
                    continue
                arrivals[index].append(time.monotonic())
                done = min(len(a) for a in arrivals)
                while report and reported < done:
                    reported += 1
                    last = max(a[reported - 1] for a in arrivals)
                    print(json.dumps({"round": reported, "last": last}), flush=True)

        tasks = [asyncio.ensure_future(listen(i, c)) for i, c in enumerate(conns)]
        await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)
        for task in tasks:
            task.cancel()
        for conn in conns:
            conn.close()

    asyncio.run(main())


class Listeners:
    def __init__(self, port: int, count: int, report: bool) -> None:
        args = [sys.executable, __file__, "listeners", f"ws://127.0.0.1:{port}/api/v1/ws"]
        args += [str(count)] + (["--report"] if report else [])
        self.process = subprocess.Popen(
            args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, cwd=ROOT, bufsize=0
        )
        self.ids: list[str] = self.read()["ids"]

    def read(self, timeout: float = 60.0) -> Any:
        assert self.process.stdout is not None
        # Unbuffered (bufsize=0), so that nothing waits in a buffer where select cannot see it.
        ready, _, _ = select.select([self.process.stdout], [], [], timeout)
        if not ready:
            raise RuntimeError(f"the WebSocket listeners said nothing for {timeout:.0f} s")
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError("the WebSocket listeners stopped")
        return json.loads(line)

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


# -- statement counts, in this process ---------------------------------------------------------


class InProcessServer:
    """The app on the bench's database in a thread of this process, so that the SQL
    statements of one list request can be counted on its engine."""

    def __init__(self, database_url: str) -> None:
        from sqlalchemy import event

        from server.db import Database

        self.database = Database(database_url)
        self.port = free_port()
        self.count = 0
        self._ready = threading.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        event.listen(self.database.engine, "before_cursor_execute", self._count)
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        if not self._ready.wait(STARTUP_LIMIT):
            raise RuntimeError("the in-process server did not start")

    def _count(self, *_args: Any) -> None:
        self.count += 1

    def _run(self) -> None:
        async def main() -> None:
            from server.app import make_app

            app = make_app(self.database)
            server = app.listen(self.port, "127.0.0.1")
            self._loop = asyncio.get_running_loop()
            self._stop = asyncio.Event()
            self._ready.set()
            await self._stop.wait()
            server.stop()

        asyncio.run(main())

    def statements(self, http: Http, path: str, headers: dict[str, str] | None = None) -> int:
        self.count = 0
        status, body, _, _ = http.call("GET", path, headers=headers, auth=False)
        if status not in (200, 304):
            raise RuntimeError(f"GET {path} -> {status} {body[:200]!r}")
        return self.count

    def close(self) -> None:
        if self._loop is not None and self._stop is not None:
            self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(timeout=10)
        self.database.dispose()


# -- the run ---------------------------------------------------------------------------------------


@dataclass
class SizeResult:
    size: int
    sessions: int
    payload_bytes: int
    list_ms: float
    ceiling_ms: float
    cold_ms: float
    statements_cold: int
    statements_warm: int
    statements_304: int
    not_modified_ms: dict[str, float] = field(default_factory=dict)
    ceiling_304_ms: float = 0.0
    writes_ms: dict[str, float] = field(default_factory=dict)
    served_ms: dict[str, float] = field(default_factory=dict)

    @property
    def ratio(self) -> float:
        return self.list_ms / self.ceiling_ms

    @property
    def cold_ratio(self) -> float:
        return self.cold_ms / self.ceiling_ms


@dataclass
class Run:
    sizes: list[SizeResult] = field(default_factory=list)
    fanout_ms: list[float] = field(default_factory=list)
    fanout_post_ms: float = 0.0
    rss_mb: float = 0.0
    peak_rss_mb: float = 0.0
    stall_ms: float = 0.0
    idle_stall_ms: float = 0.0
    stall_pings: int = 0
    seed_seconds: float = 0.0


class Bench:
    def __init__(self, workdir: Path, sizes: tuple[int, ...]) -> None:
        self.workdir = workdir
        self.sizes = sizes
        self.database_url = f"sqlite:///{workdir / 'bench.sqlite'}"
        self.port = free_port()
        self.ceiling_port = free_port()
        self.processes: list[subprocess.Popen[bytes]] = []
        self.server: subprocess.Popen[bytes] | None = None
        self.api = Http(self.port)
        self.ceiling = Http(self.ceiling_port)
        self.tag_ids: list[int] = []
        self.seeded = 0
        self.run = Run()
        self.first_night = dt.datetime.now(dt.UTC).replace(microsecond=0) - dt.timedelta(days=20)

    # -- processes --

    def start(self) -> None:
        log = (self.workdir / "server.log").open("ab")
        self.server = subprocess.Popen(
            [sys.executable, "-m", "server", "serve", "--port", str(self.port)]
            + ["--database-url", self.database_url],
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            env={**os.environ, "DIGISCRIPT_BCRYPT_ROUNDS": "4"},
        )
        self.processes.append(self.server)
        wait_until_up(self.port, self.server, "/api/v1/health")
        source = f"http://127.0.0.1:{self.port}/api/v1/show/sessions"
        ceiling = subprocess.Popen(
            [sys.executable, __file__, "ceiling", str(self.ceiling_port), source],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=(self.workdir / "ceiling.log").open("ab"),
        )
        self.processes.append(ceiling)
        wait_until_up(self.ceiling_port, ceiling, "/health")

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    # -- set-up through the API --

    def set_up_show(self) -> None:
        self.api.ok(
            "POST",
            "/api/v1/auth/create",
            {"username": "admin", "password": PASSWORD, "is_admin": True},
        )
        login = self.api.ok(
            "POST", "/api/v1/auth/login", {"username": "admin", "password": PASSWORD}
        )
        self.api.token = login["access_token"]
        show = {"name": "Hamlet", "start": "2026-01-01", "end": "2027-12-31", "script_mode": 1}
        self.api.ok("POST", "/api/v1/show?load=true", show)
        for n in range(TAG_COUNT):
            tag = {"tag": f"Tag {n}", "colour": f"#{n:02d}66ff"}
            self.tag_ids.append(self.api.ok("POST", "/api/v1/show/session/tags", tag)["id"])

    def session_body(self, n: int) -> dict[str, Any]:
        # Three hours apart from twenty days ago: overdue, next up and scheduled ones alike.
        when = self.first_night + dt.timedelta(hours=3 * n)
        tags = [self.tag_ids[n % TAG_COUNT], self.tag_ids[(n + 1) % TAG_COUNT]]
        return {"scheduled_date_time": when.isoformat(), "tag_ids": tags}

    def seed_to(self, total: int) -> None:
        """Schedule sessions through the API until there are `total`, four requests in flight."""
        started = time.monotonic()
        todo = list(range(self.seeded, total))
        local = threading.local()

        def schedule(n: int) -> None:
            if not hasattr(local, "http"):
                local.http = Http(self.port, self.api.token)
            local.http.ok("POST", "/api/v1/show/sessions/schedule", self.session_body(n))

        with ThreadPoolExecutor(4) as pool:
            list(pool.map(schedule, todo))
        self.seeded = total
        self.run.seed_seconds += time.monotonic() - started

    # -- measurements --

    def alternate(
        self, a: Callable[[], float], b: Callable[[], float], rounds: int
    ) -> tuple[float, float]:
        first, second = [], []
        for i in range(rounds):
            # Swap the order every round so that neither side always runs second.
            if i % 2:
                second.append(b())
                first.append(a())
            else:
                first.append(a())
                second.append(b())
        return median_ms(first), median_ms(second)

    def timed_get(
        self, http: Http, path: str, headers: dict[str, str] | None = None, expect: int = 200
    ) -> float:
        status, body, _, seconds = http.call("GET", path, headers=headers, auth=False)
        if status != expect:
            raise RuntimeError(f"GET {path} -> {status} (expected {expect}) {body[:200]!r}")
        return seconds

    def measure_size(self, size: int, counter: InProcessServer, counting: Http) -> SizeResult:
        self.seed_to(size)
        status, body, headers, _ = self.api.call("GET", "/api/v1/show/sessions", auth=False)
        assert status == 200
        self.ceiling.ok("POST", "/reload", auth=False)
        _, ceiling_body, _, _ = self.ceiling.call("GET", "/list", auth=False)
        if ceiling_body != body:
            raise RuntimeError("the ceiling does not answer the real server's bytes")
        rounds = ROUNDS.get(size, DEFAULT_ROUNDS)
        list_ms, ceiling_ms = self.alternate(
            lambda: self.timed_get(self.api, "/api/v1/show/sessions"),
            lambda: self.timed_get(self.ceiling, "/list"),
            rounds,
        )
        cold = []
        for _ in range(max(5, rounds // 10)):
            self.schedule_one()
            cold.append(self.timed_get(self.api, "/api/v1/show/sessions"))
        cold_ms = median_ms(cold)
        # Statements of one list request: built afresh after a change, then unchanged.
        self.schedule_one()
        statements_cold = counter.statements(counting, "/api/v1/show/sessions")
        statements_warm = counter.statements(counting, "/api/v1/show/sessions")
        _, _, fresh, _ = counting.call("GET", "/api/v1/show/sessions", auth=False)
        statements_304 = counter.statements(
            counting, "/api/v1/show/sessions", {"If-None-Match": fresh["Etag"]}
        )
        result = SizeResult(
            size=size,
            sessions=self.seeded,
            payload_bytes=len(body),
            list_ms=list_ms,
            ceiling_ms=ceiling_ms,
            cold_ms=cold_ms,
            statements_cold=statements_cold,
            statements_warm=statements_warm,
            statements_304=statements_304,
        )
        self.measure_not_modified(result)
        self.measure_writes(result)
        return result

    def schedule_one(self) -> float:
        body = self.session_body(self.seeded)
        started = time.perf_counter()
        self.api.ok("POST", "/api/v1/show/sessions/schedule", body)
        self.seeded += 1
        return time.perf_counter() - started

    def measure_not_modified(self, result: SizeResult, rounds: int = 600) -> None:
        """Conditional GETs naming the current ETag on our three paths and on the bare 304,
        all four once a round in a shuffled order."""
        paths = {
            "sessions": "/api/v1/show/sessions",
            "tags": "/api/v1/show/session/tags",
            "revisions": "/api/v1/show/script/revisions",
        }
        requests: dict[str, tuple[Http, str, dict[str, str]]] = {
            name: (
                self.api,
                path,
                {"If-None-Match": self.api.call("GET", path, auth=False)[2]["Etag"]},
            )
            for name, path in paths.items()
        }
        requests["bare"] = (self.ceiling, "/not-modified", {"If-None-Match": CEILING_ETAG})
        samples: dict[str, list[float]] = {name: [] for name in requests}
        order = list(requests)
        shuffler = random.Random(7)
        for _ in range(rounds):
            shuffler.shuffle(order)
            for name in order:
                http, path, headers = requests[name]
                samples[name].append(self.timed_get(http, path, headers, 304))
        result.ceiling_304_ms = median_ms(samples.pop("bare"))
        result.not_modified_ms = {name: median_ms(times) for name, times in samples.items()}

    def measure_writes(self, result: SizeResult, rounds: int = 30) -> None:
        starter = Listeners(self.port, 1, report=False)
        log = self.workdir / "server.log"
        log_start = log.stat().st_size
        try:
            client_id = starter.ids[0]
            schedule = [self.schedule_one() for _ in range(rounds)]
            start, stop = [], []
            for _ in range(rounds):
                session_id = self.api.ok(
                    "POST", "/api/v1/show/sessions/schedule", self.session_body(self.seeded)
                )["id"]
                self.seeded += 1
                body = {"session_id": client_id, "show_session_id": session_id}
                started = time.perf_counter()
                self.api.ok("POST", "/api/v1/show/sessions/start", body)
                start.append(time.perf_counter() - started)
                started = time.perf_counter()
                self.api.ok("POST", "/api/v1/show/sessions/stop")
                stop.append(time.perf_counter() - started)
        finally:
            starter.close()
        result.writes_ms = {
            "schedule": median_ms(schedule),
            "start": median_ms(start),
            "stop": median_ms(stop),
        }
        # The server's own account (Tornado's access log) of the same requests.
        with log.open("rb") as lines:
            lines.seek(log_start)
            served = SERVED.findall(lines.read().decode(errors="replace"))
        for name in ("schedule", "start", "stop"):
            times = [float(ms) for path, ms in served if path.endswith(f"/sessions/{name}")]
            result.served_ms[name] = statistics.median(times) if times else float("nan")

    def measure_fanout(self, rounds: int = 30) -> None:
        listeners = Listeners(self.port, LISTENERS, report=True)
        try:
            posts = []
            for k in range(1, rounds + 1):
                posts.append(self.schedule_one())
                answered = time.monotonic()
                report = listeners.read()
                assert report["round"] == k, report
                self.run.fanout_ms.append((report["last"] - answered) * 1000)
            self.run.fanout_post_ms = median_ms(posts)
        finally:
            listeners.close()

    def measure_memory(self) -> None:
        assert self.server is not None
        status = Path(f"/proc/{self.server.pid}/status").read_text()
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        self.run.rss_mb = int(fields["VmRSS"].split()[0]) / 1024
        self.run.peak_rss_mb = int(fields["VmHWM"].split()[0]) / 1024

    def measure_stall(self, rounds: int = 8) -> None:
        """The longest a /health request waits while lists of every session are built and
        sent; beside it, the longest with nothing else going on (this machine's own noise)."""
        self.run.idle_stall_ms, _ = self._ping_during(lambda: time.sleep(3))

        def lists() -> None:
            for _ in range(rounds):
                self.schedule_one()  # the next list is built afresh
                for _ in range(3):
                    self.timed_get(self.api, "/api/v1/show/sessions")

        self.run.stall_ms, self.run.stall_pings = self._ping_during(lists)

    def _ping_during(self, work: Callable[[], None]) -> tuple[float, int]:
        stop = threading.Event()
        latencies: list[float] = []

        def ping() -> None:
            http = Http(self.port)
            while not stop.is_set():
                latencies.append(self.timed_get(http, "/api/v1/health"))
                time.sleep(0.005)
            http.close()

        pinger = threading.Thread(target=ping)
        pinger.start()
        try:
            work()
        finally:
            stop.set()
            pinger.join()
        return max(latencies) * 1000, len(latencies)

    def execute(self) -> Run:
        self.start()
        counter = InProcessServer(self.database_url)
        counting = Http(counter.port)
        try:
            self.set_up_show()
            for size in self.sizes:
                self.run.sizes.append(self.measure_size(size, counter, counting))
                print(f"  measured {self.seeded} sessions", file=sys.stderr, flush=True)
            self.measure_stall()
            self.measure_memory()
            self.measure_fanout()
        finally:
            counting.close()
            counter.close()
            self.api.close()
            self.ceiling.close()
            self.stop()
        return self.run


# -- the report ------------------------------------------------------------------------------------


def machine() -> list[str]:
    model = "unknown"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    load = os.getloadavg() if hasattr(os, "getloadavg") else (0.0, 0.0, 0.0)
    return [
        f"- Machine: {os.cpu_count()} CPUs (nproc), {model}, "
        f"{platform.system()} {platform.release()}",
        f"- Python {platform.python_version()} ({platform.python_implementation()}), "
        f"SQLite {__import__('sqlite3').sqlite_version}",
        f"- Load average when the run ended: {load[0]:.2f}, {load[1]:.2f}, {load[2]:.2f}",
    ]


def verdict(ok: bool) -> str:
    return "met" if ok else "NOT MET"


def report(run: Run) -> str:
    by_size = {r.size: r for r in run.sizes}
    lines = [
        "# Session list benchmark",
        "",
        f"Run {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC by `make bench` "
        "(bench/bench_sessions.py).",
        *machine(),
        "- Real server: `python -m server serve` on a fresh SQLite database, seeded through the "
        f"API ({run.seed_seconds:.0f} s of scheduling in all), sessions three hours apart with "
        "two tags each. Ceiling: a bare Tornado app in another process whose handler json.dumps "
        "the payload fetched from the real server (checked byte-identical) on every request, "
        "without hashing it for an ETag, and a bare handler answering 304 to its own ETag. The "
        "two are timed alternately from one keep-alive client each; times are client-side "
        "medians in milliseconds.",
        "- *list*: GET /api/v1/show/sessions, unchanged since the last request (the steady "
        "state). *fresh*: the first GET after a change (the body is rebuilt). SQL statements are "
        "counted on the engine of the same app run in the bench's own process against the same "
        "database: fresh / unchanged / 304.",
        "",
        "| sessions | body KB | list ms | ceiling ms | ratio | fresh ms | fresh ratio | SQL | "
        "304 sessions / tags / revisions ms | ceiling 304 ms | worst 304 ratio |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|",
    ]
    for r in run.sizes:
        worst = max(r.not_modified_ms.values()) / r.ceiling_304_ms
        lines.append(
            f"| {r.sessions:,} | {r.payload_bytes / 1024:,.0f} | {r.list_ms:.2f} | "
            f"{r.ceiling_ms:.2f} | {r.ratio:.2f} | {r.cold_ms:.1f} | {r.cold_ratio:.2f} | "
            f"{r.statements_cold} / {r.statements_warm} / {r.statements_304} | "
            + " / ".join(f"{v:.3f}" for v in r.not_modified_ms.values())
            + f" | {r.ceiling_304_ms:.3f} | {worst:.2f} |"
        )
    lines += [
        "",
        "Writes, as the client times them (the targets) and, in brackets, as the server's "
        "access log does:",
        "",
        "| sessions | POST schedule ms | POST start ms | POST stop ms |",
        "|---:|---:|---:|---:|",
    ]
    for r in run.sizes:
        cells = " | ".join(
            f"{r.writes_ms[name]:.2f} ({r.served_ms[name]:.2f})"
            for name in ("schedule", "start", "stop")
        )
        lines.append(f"| {r.sessions:,} | {cells} |")
    fanout = statistics.median(run.fanout_ms)
    lines += [
        "",
        f"- WebSocket fan-out: the last of {LISTENERS} clients receives GET_SHOW_SESSION_DATA "
        f"{fanout:.1f} ms (median; worst {max(run.fanout_ms):.1f} ms) after the client has the "
        f"POST schedule response (negative: before it), over {len(run.fanout_ms)} schedules; "
        f"the POST itself takes {run.fanout_post_ms:.1f} ms with them all connected.",
        f"- Server memory after the {run.sizes[-1].sessions:,}-session runs: RSS "
        f"{run.rss_mb:.0f} MB, peak {run.peak_rss_mb:.0f} MB.",
        f"- Longest /health wait while {run.sizes[-1].sessions:,}-session lists are rebuilt and "
        f"sent ({run.stall_pings} pings every 5 ms): {run.stall_ms:.1f} ms; with nothing else "
        f"going on: {run.idle_stall_ms:.1f} ms.",
        "",
        "## Targets",
        "",
    ]
    targets: list[tuple[str, bool]] = []
    for size in (1_000, 5_000):
        if size not in by_size:
            continue
        r = by_size[size]
        targets.append(
            (f"list of {size:,} sessions at most 3x the ceiling ({r.ratio:.2f}x)", r.ratio <= 3)
        )
    counts = {(r.statements_cold, r.statements_warm, r.statements_304) for r in run.sizes}
    worst_count = max(max(c) for c in counts)
    targets.append(
        (
            f"SQL statements per list request constant and at most 4 ({sorted(counts)})",
            len(counts) == 1 and worst_count <= 4,
        )
    )
    for r in run.sizes:
        for name, ms in r.not_modified_ms.items():
            ratio = ms / r.ceiling_304_ms
            targets.append(
                (
                    f"304 of the {name} at {r.sessions:,} sessions at most 1.5x a bare 304 "
                    f"({ratio:.2f}x)",
                    ratio <= 1.5,
                )
            )
    for r in run.sizes:
        for name, ms in r.writes_ms.items():
            targets.append(
                (f"POST {name} at {r.sessions:,} sessions within 5 ms ({ms:.2f} ms)", ms <= 5)
            )
    targets.append(
        (f"broadcast reaches {LISTENERS} clients within 100 ms ({fanout:.1f} ms)", fanout <= 100)
    )
    largest = run.sizes[-1].sessions
    targets.append(
        (
            f"server RSS under 200 MB with {largest:,} sessions (peak {run.peak_rss_mb:.0f} MB)",
            run.peak_rss_mb < 200,
        )
    )
    targets.append(
        (
            f"a {largest:,}-session list blocks others under 100 ms ({run.stall_ms:.1f} ms)",
            run.stall_ms < 100,
        )
    )
    lines += [f"- {verdict(ok)}: {text}" for text, ok in targets]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command")
    ceiling = sub.add_parser("ceiling", help="(internal) run the bare Tornado app")
    ceiling.add_argument("port", type=int)
    ceiling.add_argument("source")
    listeners = sub.add_parser("listeners", help="(internal) run WebSocket clients")
    listeners.add_argument("url")
    listeners.add_argument("count", type=int)
    listeners.add_argument("--report", action="store_true")
    parser.add_argument("--results", type=Path, help="also write the report to this file")
    parser.add_argument(
        "--sizes",
        default=",".join(str(n) for n in SIZES),
        help="comma-separated session counts to measure at (default: %(default)s)",
    )
    args = parser.parse_args(argv)
    if args.command == "ceiling":
        run_ceiling(args.port, args.source)
        return 0
    if args.command == "listeners":
        run_listeners(args.url, args.count, args.report)
        return 0
    sys.path.insert(0, str(ROOT))
    workdir = Path(tempfile.mkdtemp(prefix="digiscript-bench-"))
    try:
        sizes = tuple(int(n) for n in args.sizes.split(","))
        text = report(Bench(workdir, sizes).execute())
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print(text)
    if args.results:
        args.results.write_text(text)
    return 0 if "NOT MET" not in text else 1


if __name__ == "__main__":
    sys.exit(main())
