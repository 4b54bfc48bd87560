#!/usr/bin/env python
"""Processor cost of one quiz taker, request by request, in one process. Not a timed test.

    .venv/bin/python bench/quiz_cost.py [--takers 400] [--database-url URL] [--profile KIND]
                                        [--queries]

The load benchmark (bench/quiz_load.py) measures what a server sustains, which moves with
everything else on the machine; this measures what the application itself spends, which
does not: the same scratch set-up (the Lhasa tree, the bank, a quiz of 20 questions), then
``--takers`` takers one after another through Django's WSGI handler — no server, no
network, no concurrency — each opening the door, signing in lightly, opening the paper,
answering 20 questions as the taking page's htmx does, and submitting, with a /health/
request after each. Prints the processor milliseconds and the queries per request of each
kind, how long each kind holds SQLite's writers' lock (with ``--sqlite-backend flock``,
bench/sqlite_flock: no other process writes meanwhile) or, on PostgreSQL, the processor time of the backend serving it (which
shares the machine's cores with the server), the milliseconds per taker, and a taker's cost
counted in /health/ requests (the load benchmark's ceiling): answering at 0.5 × the
ceiling's rate leaves a taker at most 40 of them, HTTP and the server's other work included.
``--profile door`` (or any kind) adds the functions that kind of request spends most in;
``--queries`` prints the statements of the first taker's requests.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import pstats
import re
import shutil
import subprocess
import sys
import tempfile
import time
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

from quiz_load import prepare  # beside this script, so on its path

ROOT = Path(__file__).resolve().parent.parent

KINDS = ("door", "sign in", "paper", "answer", "submit", "health")


class _Client:
    """Requests straight into the WSGI application, with a cookie jar."""

    def __init__(self, app):
        self.app = app
        self.cookies: dict[str, str] = {}

    def call(self, method: str, path: str, body: bytes = b"", headers: dict | None = None) -> dict:
        path, _, query = path.partition("?")
        environ = {
            "REQUEST_METHOD": method,
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "80",
            "HTTP_HOST": "127.0.0.1",
            "REMOTE_ADDR": "127.0.0.1",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(body),
            "wsgi.errors": sys.stderr,
            "CONTENT_LENGTH": str(len(body)),
        }
        if body:
            environ["CONTENT_TYPE"] = "application/x-www-form-urlencoded"
        if self.cookies:
            environ["HTTP_COOKIE"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for name, value in (headers or {}).items():
            environ["HTTP_" + name.upper().replace("-", "_")] = value
        out: dict = {}

        def start_response(status, response_headers, exc_info=None):
            out["status"] = int(status.split()[0])
            out["headers"] = {k.lower(): v for k, v in response_headers if k.lower() != "set-cookie"}
            for key, value in response_headers:
                if key.lower() == "set-cookie":
                    jar = SimpleCookie()
                    jar.load(value)
                    self.cookies.update({n: m.value for n, m in jar.items()})

        chunks = self.app(environ, start_response)
        out["content"] = b"".join(chunks)
        if hasattr(chunks, "close"):
            chunks.close()
        return out


class _WriteLockClock:
    """Wall time the SQLite writers' lock (bench/sqlite_flock) is held, by kind of request:
    the part of a request no other process can write in."""

    def __init__(self):
        self.kind = ""
        self.held: dict[str, float] = {}
        self._since = 0.0


def _time_write_lock() -> _WriteLockClock:
    from django.db import connections

    clock = _WriteLockClock()
    wrapper = connections["default"]
    if not hasattr(wrapper, "lock_writes"):
        return clock  # PostgreSQL, or Django's own SQLite backend: no such lock
    clock.held = dict.fromkeys(KINDS, 0.0)
    lock, unlock = wrapper.lock_writes, wrapper.unlock_writes

    def lock_writes() -> None:
        already = wrapper._write_locked
        lock()
        if not already and wrapper._write_locked:
            clock._since = time.perf_counter()

    def unlock_writes() -> None:
        if wrapper._write_locked:
            clock.held[clock.kind] += time.perf_counter() - clock._since
        unlock()

    wrapper.lock_writes, wrapper.unlock_writes = lock_writes, unlock_writes
    return clock


class _BackendClock:
    """Processor time of the PostgreSQL backend serving this process's connection, by kind
    of request, from the kernel's ``/proc/PID/schedstat`` (nanoseconds on a processor): the
    part of a request's cost the server's own processor time does not show."""

    def __init__(self, connection):
        self.connection = connection
        self.spent: dict[str, float] = {}
        self._pid = 0
        self._since = 0

    def _running_ns(self) -> int:
        try:
            return int(Path(f"/proc/{self._pid}/schedstat").read_text().split()[0])
        except (OSError, ValueError, IndexError):
            return 0

    def start(self) -> None:
        if self.connection.vendor != "postgresql":
            return
        self.connection.ensure_connection()
        self._pid = self.connection.connection.info.backend_pid
        self._since = self._running_ns()

    def stop(self, kind: str) -> None:
        if self._pid:
            self.spent[kind] = self.spent.get(kind, 0.0) + max(self._running_ns() - self._since, 0) / 1e9


def measure(data_path: Path, takers: int, profiled: str = "", show_queries: bool = False) -> None:
    """Runs inside Django (``quiz_cost.py measure``)."""
    import django

    django.setup()
    from django.core.wsgi import get_wsgi_application
    from django.db import connection

    app = get_wsgi_application()
    data = json.loads(data_path.read_text())
    quiz, units, size = data["quiz"], data["units"], data["paper_size"]
    spent = dict.fromkeys(KINDS, 0.0)
    counts = dict.fromkeys(KINDS, 0)
    locked = _time_write_lock()
    queries = dict.fromkeys(KINDS, 0)
    backend = _BackendClock(connection)
    profile = cProfile.Profile() if profiled else None

    shown: list[str] = []

    def counted(execute, sql, params, many, context):
        queries[locked.kind] += 1
        if show_queries and counts["health"] == 0:
            shown.append(f"{locked.kind:10}{sql}")
        return execute(sql, params, many, context)

    def timed(kind: str, client: _Client, *args, expect: int = 200, **kwargs) -> dict:
        backend.start()
        started = time.process_time()
        locked.kind = kind
        with connection.execute_wrapper(counted):
            if kind == profiled:
                profile.enable()
            response = client.call(*args, **kwargs)
            if kind == profiled:
                profile.disable()
        spent[kind] += time.process_time() - started
        backend.stop(kind)
        counts[kind] += 1
        if response["status"] != expect:
            raise SystemExit(f"{kind}: {response['status']} instead of {expect}")
        return response

    _Client(app).call("GET", "/health/")  # the first request loads what every later one reuses
    for i, code in enumerate(data["codes"][:takers]):
        client = _Client(app)
        door = timed("door", client, "GET", f"/quiz/take/{quiz}/")
        csrf = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', door["content"]).group(1).decode()
        form = {"csrfmiddlewaretoken": csrf, "name": f"答题人{code}", "unit": units[i % len(units)], "code": code}
        signed_in = timed("sign in", client, "POST", f"/quiz/take/{quiz}/", urlencode(form).encode(), expect=302)
        attempt = re.search(r"/quiz/attempt/(\d+)/", signed_in["headers"]["location"]).group(1)
        timed("paper", client, "GET", f"/quiz/attempt/{attempt}/?n=0")
        htmx = {"X-CSRFToken": csrf, "HX-Request": "true", "HX-Current-URL": f"/quiz/attempt/{attempt}/"}
        for position in range(size):
            body = f"position={position}&chosen={'AB'[position % 2]}".encode()
            saved = timed("answer", client, "POST", f"/quiz/attempt/{attempt}/answer/", body, htmx)
            if b"saved error" in saved["content"]:
                raise SystemExit(f"answer refused: {saved['content'][:200]!r}")
        json_accept = {"X-CSRFToken": csrf, "Accept": "application/json"}
        timed("submit", client, "POST", f"/quiz/attempt/{attempt}/submit/", b"", json_accept)
        timed("health", _Client(app), "GET", "/health/")
    per = {kind: 1000 * spent[kind] / max(counts[kind], 1) for kind in KINDS}
    taker = sum(spent[kind] for kind in KINDS if kind != "health") * 1000 / takers
    last = "write-locked ms" if locked.held else "backend ms" if backend.spent else ""
    print(f"{'request':10}{'n':>8}{'ms each':>10}{'queries each':>14}{last:>17}")
    for kind in KINDS:
        n = max(counts[kind], 1)
        if locked.held:
            extra = f"{1000 * locked.held[kind] / n:>17.3f}"
        elif backend.spent:
            extra = f"{1000 * backend.spent.get(kind, 0.0) / n:>17.3f}"
        else:
            extra = ""
        print(f"{kind:10}{counts[kind]:>8}{per[kind]:>10.3f}{queries[kind] / n:>14.1f}{extra}")
    print(
        f"per taker: {taker:.1f} ms = {taker / per['health']:.1f} /health/ requests"
        f" (answers {per['answer'] * size / taker:.0%} of it)"
    )
    if backend.spent:
        behind = sum(v for k, v in backend.spent.items() if k != "health") * 1000 / takers
        with_health = per["health"] + 1000 * backend.spent.get("health", 0.0) / max(counts["health"], 1)
        print(
            f"with PostgreSQL's backend: {taker + behind:.1f} ms a taker"
            f" = {(taker + behind) / with_health:.1f} /health/ requests and their backend's time"
        )
    if shown:
        print("\nthe first taker's statements:", *shown, sep="\n")
    if profile:
        print(f"\n{profiled}: where its time goes (profiled, so slower than above)")
        pstats.Stats(profile).sort_stats("cumulative").print_stats(45)
        pstats.Stats(profile).sort_stats("tottime").print_stats(25)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--takers", type=int, default=400)
    parser.add_argument("--database-url", default="", help="an empty PostgreSQL database (default: SQLite)")
    parser.add_argument("--profile", choices=KINDS, default="", help="profile this kind of request")
    parser.add_argument("--queries", action="store_true", help="print the first taker's statements")
    parser.add_argument(
        "--sqlite-backend", choices=("django", "flock"), default="", help="as quiz_load.py's (default: the settings')"
    )
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="quiz-cost-"))
    try:
        env = prepare(scratch, args.database_url, args.takers, "" if args.database_url else args.sqlite_backend)
        python = str(ROOT / ".venv" / "bin" / "python")
        data = env["QUIZ_BENCH_DATA"]
        subprocess.run(
            [python, __file__, "measure", data, str(args.takers), args.profile, str(int(args.queries))],
            env=env,
            cwd=ROOT,
            check=True,
        )
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "measure":
        sys.path.insert(0, str(ROOT))
        measure(Path(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5] == "1")
    else:
        sys.exit(main())
