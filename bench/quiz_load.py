#!/usr/bin/env python
"""Load benchmark of the online quiz (issue #4). Not a timed test: run it by hand.

    .venv/bin/python bench/quiz_load.py [--takers 20000] [--users 16] [--workers N]
                                        [--max-seconds 900] [--database-url URL]
                                        [--server granian|gunicorn] [--tool wrk|locust]
                                        [--sqlite-backend django|flock]

1. makes a scratch data directory (``XUEJIAO_VAR_DIR``), migrates it (SQLite there, or the
   PostgreSQL database given by ``--database-url``, which must be empty), builds the Lhasa
   unit tree and campaign, the question bank, one quiz of 20 questions and one one-time code
   per taker;
2. starts the production server on 127.0.0.1: granian (WSGI, ``--workers`` processes of
   ``--threads`` threads, as deploy/xuejiao.service), or gunicorn for comparison;
3. measures the ceiling: the same server's rate on a trivial endpoint (/health/: a query of
   the database and one of the task queue) for ``--trivial-seconds`` before the takers and
   again after them (with wrk; the mean of the two is the ceiling), with the same number of
   connections;
4. drives the takers (``--users`` at once, each one person after another, no think time):
   each opens the quiz's door, signs in lightly (name, unit, one-time code), opens the paper,
   answers its 20 questions one POST each as the taking page's htmx does, and submits. The
   load generator is wrk scripted by bench/quiz_wrk.lua (C: it leaves the cores to the
   server), or locust (bench/quiz_locustfile.py). Bounded by the number of codes and by
   ``--max-seconds``. With wrk the takers arrive in one queue, each code going to the next
   free connection, so every connection stays at work until the codes run out; the
   sustained rate is the one while they all are;
5. counts the answers and the submitted attempts in the database and prints, by kind of
   request, counts, errors and p50/p95/p99 latency; answers per second sustained; the
   ceiling; where the processor went (the server's processes, the load generator, the rest
   of the machine, idle cores) per /health/ request and per taker; answers saved against
   answers accepted; and the targets.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import os
import re
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv" / "bin"
PAPER_QUOTAS = {"newdem": 5, "socialist": 3, "reform": 3, "newera": 3, "tibet": 3, "plenum": 3}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def setup(data_path: Path, takers: int) -> None:
    """Runs inside Django (``quiz_load.py setup``): the foundation, the bank, the quiz."""
    import datetime

    import django

    django.setup()
    from django.db import transaction
    from django.utils import timezone

    from campaigns import demo as campaigns_demo
    from core.seeding import DemoContext
    from orgs import demo as orgs_demo
    from orgs.models import Unit
    from quiz import bank
    from quiz.models import Category, Quiz, QuizCode, QuizQuota

    with transaction.atomic():
        ctx = DemoContext(log=lambda *a: None)
        orgs_demo.build(ctx)
        campaigns_demo.build(ctx)
        bank.load()
        now = timezone.now()
        quiz = Quiz.objects.create(
            campaign=ctx.made["campaign"],
            unit=ctx.made["city"],
            region_code=ctx.made["city"].region_code,
            title_zh="压力测试答题",
            title_bo="ཚོད་ལྟའི་དྲི་ལན།",
            opens_at=now - datetime.timedelta(hours=1),
            closes_at=now + datetime.timedelta(days=1),
            time_limit_seconds=3600,
            attempts_allowed=1,
            pass_mark=60,
            min_seconds_per_question=0,
        )
        categories = {c.key: c for c in Category.objects.all()}
        QuizQuota.objects.bulk_create(
            QuizQuota(quiz=quiz, category=categories[k], count=n) for k, n in PAPER_QUOTAS.items()
        )
        codes = [f"B{i:07d}" for i in range(takers)]
        QuizCode.objects.bulk_create((QuizCode(quiz=quiz, code=c) for c in codes), batch_size=5000)
    city = Unit.objects.get(code="540100")
    units = list(
        Unit.objects.filter(path__startswith=city.path, kind="village").values_list("pk", flat=True).order_by("path")
    )
    data_path.write_text(
        json.dumps({"quiz": quiz.pk, "codes": codes, "units": units, "paper_size": sum(PAPER_QUOTAS.values())})
    )
    units_lua = ", ".join(str(u) for u in units)
    codes_lua = ", ".join(f'"{c}"' for c in codes)
    data_path.with_suffix(".lua").write_text(
        f"return {{quiz = {quiz.pk}, paper = {sum(PAPER_QUOTAS.values())},\n"
        f"  units = {{{units_lua}}},\n  codes = {{{codes_lua}}}}}\n"
    )


SQLITE_ENGINES = {"django": "django.db.backends.sqlite3", "flock": "bench.sqlite_flock"}


def prepare(scratch: Path, database_url: str, takers: int, sqlite_backend: str = "") -> dict[str, str]:
    """The scratch data directory made ready: migrated (SQLite there, or the empty PostgreSQL
    database at ``database_url``), static files collected, the quiz and ``takers`` codes
    set up (``setup``). Returns the environment the server and the commands run in."""
    env = {
        **os.environ,
        "XUEJIAO_VAR_DIR": str(scratch),
        "XUEJIAO_SECRET_KEY": "bench-" + os.urandom(8).hex(),
        "DJANGO_SETTINGS_MODULE": "bench.quiz_settings",
        "PYTHONPATH": str(ROOT),
        "QUIZ_BENCH_DATA": str(scratch / "bench.json"),
    }
    if database_url:
        env["DATABASE_URL"] = database_url
    if sqlite_backend:
        env["QUIZ_BENCH_SQLITE_ENGINE"] = SQLITE_ENGINES[sqlite_backend]
    python = str(VENV / "python")
    subprocess.run([python, "manage.py", "migrate", "-v0"], env=env, cwd=ROOT, check=True)
    subprocess.run([python, "manage.py", "collectstatic", "--noinput", "-v0"], env=env, cwd=ROOT, check=True)
    subprocess.run([python, __file__, "setup", env["QUIZ_BENCH_DATA"], str(takers)], env=env, cwd=ROOT, check=True)
    return env


def count(result_path: Path) -> None:
    """Runs inside Django (``quiz_load.py count``): what reached the database."""
    import django

    django.setup()
    from quiz.models import Answer, Attempt

    result_path.write_text(
        json.dumps(
            {
                "answers_saved": Answer.objects.exclude(chosen="").count(),
                "attempts": Attempt.objects.count(),
                "attempts_submitted": Attempt.objects.filter(submitted_at__isnull=False).count(),
            }
        )
    )


def _stats(prefix: Path) -> dict[str, dict[str, str]]:
    path = Path(f"{prefix}_stats.csv")
    if not path.exists():
        return {}
    with path.open() as f:
        return {row["Name"]: row for row in csv.DictReader(f)}


def _locust(env: dict, host: str, prefix: Path, users: int, seconds: int, trivial: bool) -> tuple[dict, float]:
    env = {**env, "QUIZ_BENCH_TRIVIAL": "1" if trivial else "0", "QUIZ_BENCH_TAKERS": "0" if trivial else "1"}
    started = time.monotonic()
    subprocess.run(
        [
            str(VENV / "locust"),
            "-f",
            str(ROOT / "bench" / "quiz_locustfile.py"),
            "--headless",
            "--only-summary",
            "-u",
            str(users),
            "-r",
            str(max(1, users // 2)),
            "--run-time",
            f"{seconds}s",
            "--stop-timeout",
            "30",
            "--host",
            host,
            "--csv",
            str(prefix),
            "--loglevel",
            "WARNING",
            *(["TrivialUser"] if trivial else ["Taker"]),
        ],
        env=env,
        check=False,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )
    return _stats(prefix), time.monotonic() - started


KINDS = ("door", "sign in", "paper", "answer", "submit")


def _from_locust(takers: dict, trivial: dict, elapsed: float) -> tuple[dict, dict]:
    """The locust run's CSV rows in the shape of the wrk run's figures."""
    kinds = {}
    for name in KINDS:
        row = takers.get(name, {})
        kinds[name] = {
            "n": int(row.get("Request Count", 0)),
            "errors": int(row.get("Failure Count", 0)),
            **{q: float(row.get(f"{q[1:]}%", 0) or 0) for q in ("p50", "p95", "p99")},
        }
    row = trivial.get("trivial", {})
    ceiling = {
        "rate": float(row.get("Requests/s", 0) or 0),
        "p50": float(row.get("50%", 0) or 0),
        "p99": float(row.get("99%", 0) or 0),
        "errors": int(row.get("Failure Count", 0) or 0),
    }
    return {"seconds": elapsed, "kinds": kinds, "socket_errors": 0}, ceiling


class _Processor:
    """Processor seconds spent over a phase of the run, by whom: the server's processes (its
    session), the load generator (this script's waited children) and the rest of the machine
    (the database server, the kernel's own threads), and how long the cores stood idle."""

    TICK = os.sysconf("SC_CLK_TCK")

    def __init__(self, session: int):
        self.session = session

    def _server(self) -> float:
        ticks = 0
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[3]) == self.session:  # fields from the state on: 3 is the session
                ticks += int(fields[11]) + int(fields[12])  # utime, stime
        return ticks / self.TICK

    @staticmethod
    def _machine() -> tuple[float, float]:
        with open("/proc/stat") as f:
            cpu = [int(v) for v in f.readline().split()[1:]]
        idle = cpu[3] + cpu[4]
        return (sum(cpu[:8]) - idle) / _Processor.TICK, idle / _Processor.TICK

    @staticmethod
    def _children() -> float:
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        return usage.ru_utime + usage.ru_stime

    def start(self) -> None:
        self._at = (self._server(), self._children(), *self._machine())

    def stop(self) -> dict:
        server, generator, busy, idle = (
            now - then for now, then in zip((self._server(), self._children(), *self._machine()), self._at, strict=True)
        )
        return {"server": server, "generator": generator, "other": max(0.0, busy - server - generator), "idle": idle}


def _mean_ceiling(before: dict, after: dict) -> dict:
    return {
        "rate": (before["rate"] + after["rate"]) / 2,
        "before": before["rate"],
        "after": after["rate"],
        "p50": max(before["p50"], after["p50"]),
        "p99": max(before["p99"], after["p99"]),
        "errors": before["errors"] + after["errors"],
        "processor": {key: before["processor"][key] + after["processor"][key] for key in before["processor"]},
        "requests": before["requests"] + after["requests"],
    }


def _wrk_trivial(host: str, connections: int, seconds: int) -> dict:
    """The ceiling with wrk: /health/ from ``connections`` connections for ``seconds``."""
    out = subprocess.run(
        [
            "wrk",
            "-t",
            str(min(connections, os.cpu_count() or 1)),
            "-c",
            str(connections),
            "-d",
            f"{seconds}s",
            "--latency",
            f"{host}/health/",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    quantile = {q: _wrk_ms(v) for q, v in re.findall(r"^\s+(50|99)%\s+(\S+)\s*$", out, re.M)}
    return {
        "rate": rate,
        "requests": requests,
        "p50": quantile.get("50", 0.0),
        "p99": quantile.get("99", 0.0),
        "errors": errors + (int(non2xx.group(1)) if non2xx else 0),
    }


def _wrk_ms(value: str) -> float:
    number, unit = re.match(r"([\d.]+)(us|ms|s)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def _wrk_takers(
    env: dict, host: str, scratch: Path, connections: int, seconds: int, *, stop_at_first: bool = False
) -> dict:
    """The takers with wrk (bench/quiz_wrk.lua), one connection per thread, taking the
    codes from one queue, until it is empty or after ``seconds``. With ``stop_at_first``
    the run stops when the first thread is done: a finished thread's idle connection would
    hold one of gunicorn's sync workers."""
    out = scratch / "wrk"
    out.mkdir()
    env = {
        **env,
        "QUIZ_BENCH_LUA": str(scratch / "bench.lua"),
        "QUIZ_BENCH_OUT": str(out),
    }
    run = subprocess.Popen(
        [
            "wrk",
            "-t",
            str(connections),
            "-c",
            str(connections),
            "-d",
            f"{seconds}s",
            "--timeout",
            "30s",
            "-s",
            str(ROOT / "bench" / "quiz_wrk.lua"),
            host,
        ],
        env=env,
        stdout=subprocess.DEVNULL,
    )
    while run.poll() is None:
        if len(list(out.glob("done-*"))) >= (1 if stop_at_first else connections):
            run.send_signal(signal.SIGINT)
            break
        time.sleep(0.1)
    run.wait()
    return _read_wrk_logs(out)


def _percentile(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    values.sort()
    return values[max(0, math.ceil(len(values) * p / 100) - 1)]


def _read_wrk_logs(out: Path) -> dict:
    """Counts and latencies by kind from the threads' logs. The run lasts from the first
    request sent to the last response received; it is busy (every connection at work) until
    the first thread found the queue of codes empty, and the sustained rate is the busy one."""
    latencies: dict[str, list[float]] = {name: [] for name in KINDS}
    errors = dict.fromkeys(KINDS, 0)
    ends, rows = [], []
    for log in out.glob("requests-*"):
        end = 0.0
        for line in log.read_text().splitlines():
            sent, kind, latency, ok, _status = line.split("\t")
            done = float(sent) + float(latency)
            rows.append((float(sent), done, kind))
            latencies[kind].append(float(latency))
            errors[kind] += ok != "1"
            end = max(end, done)
        ends.append(end)
    first = min((sent for sent, _d, _k in rows), default=0.0)
    last = max(ends, default=0.0)
    finished = len(list(out.glob("done-*")))
    busy_until = min(ends) if finished and ends else last
    busy = [kind for _s, done, kind in rows if done <= busy_until]
    kinds = {
        name: {
            "n": len(values),
            "errors": errors[name],
            "p50": _percentile(values, 50),
            "p95": _percentile(values, 95),
            "p99": _percentile(values, 99),
        }
        for name, values in latencies.items()
    }
    return {
        "seconds": max(0.0, last - first) / 1000,
        "busy_seconds": max(0.0, busy_until - first) / 1000,
        "busy_answers": busy.count("answer"),
        "busy_requests": len(busy),
        "kinds": kinds,
        "socket_errors": 0,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--takers", type=int, default=20000)
    parser.add_argument("--users", type=int, default=16, help="concurrent simulated takers (connections)")
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 1) + 1, help="server processes")
    parser.add_argument("--server", choices=("granian", "gunicorn"), default="granian")
    parser.add_argument(
        "--worker-class", default="sync", help="gunicorn worker class: sync (as deploy/xuejiao.service) or gthread"
    )
    parser.add_argument("--threads", type=int, default=1, help="threads per worker (granian, or gunicorn gthread)")
    parser.add_argument("--max-seconds", type=int, default=900)
    parser.add_argument("--trivial-seconds", type=int, default=20)
    parser.add_argument("--database-url", default="")
    parser.add_argument(
        "--tool",
        choices=("wrk", "locust"),
        default="wrk",
        help="load generator: wrk (C, scripted by bench/quiz_wrk.lua) or locust (Python, bench/quiz_locustfile.py)",
    )
    parser.add_argument(
        "--sqlite-backend",
        choices=sorted(SQLITE_ENGINES),
        default="",
        help="SQLite engine: django (Django's own, as the settings) or flock (writers queued on a kernel lock,"
        " bench/sqlite_flock); default: the settings'",
    )
    parser.add_argument("--keep", action="store_true", help="keep the scratch directory")
    args = parser.parse_args()
    if args.tool == "wrk" and shutil.which("wrk") is None:
        print("needs wrk (apt-get install wrk), or --tool locust", file=sys.stderr)
        return 2

    scratch = Path(tempfile.mkdtemp(prefix="quiz-bench-"))
    database = "PostgreSQL" if args.database_url else f"SQLite ({args.sqlite_backend or 'settings'})"
    print(
        f"scratch: {scratch}  database: {database}  {args.server}: {args.workers} workers"
        f" ({args.worker_class if args.server == 'gunicorn' else 'wsgi'}) × {args.threads} threads"
        f"  load generator: {args.tool}",
        flush=True,
    )
    env = prepare(scratch, args.database_url, args.takers, "" if args.database_url else args.sqlite_backend)
    python = str(VENV / "python")

    port = _free_port()
    host = f"http://127.0.0.1:{port}"
    if args.server == "granian":
        command = [
            str(VENV / "granian"),
            "--interface",
            "wsgi",
            "xuejiao.wsgi:application",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            str(args.workers),
            "--blocking-threads",
            str(args.threads),
            "--backlog",
            "4096",
            "--log-level",
            "warning",
        ]
    else:
        command = [
            str(VENV / "gunicorn"),
            "xuejiao.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(args.workers),
            "--worker-class",
            args.worker_class,
            "--threads",
            str(args.threads),
            "--backlog",
            "4096",
            "--log-level",
            "warning",
        ]
    server = subprocess.Popen(command, env=env, cwd=ROOT, start_new_session=True)
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{host}/health/", timeout=1).read()
                break
            except OSError:
                time.sleep(0.2)
        if args.tool == "wrk":
            # The ceiling is measured before the takers and again after them, and their mean
            # taken: a shared machine's speed drifts over a run of several minutes.
            processor = _Processor(server.pid)
            processor.start()
            before = _wrk_trivial(host, args.users, args.trivial_seconds)
            before["processor"] = processor.stop()
            processor.start()
            run = _wrk_takers(env, host, scratch, args.users, args.max_seconds, stop_at_first=args.server == "gunicorn")
            run["processor"] = processor.stop()
            processor.start()
            after = _wrk_trivial(host, args.users, args.trivial_seconds)
            after["processor"] = processor.stop()
            ceiling = _mean_ceiling(before, after)
        else:
            trivial, _t = _locust(env, host, scratch / "trivial", args.users, args.trivial_seconds, trivial=True)
            takers, elapsed = _locust(env, host, scratch / "takers", args.users, args.max_seconds, trivial=False)
            run, ceiling = _from_locust(takers, trivial, elapsed)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    subprocess.run([python, __file__, "count", str(scratch / "count.json")], env=env, cwd=ROOT, check=True)
    counted = json.loads((scratch / "count.json").read_text())
    _print(args, run, ceiling, counted)
    if not args.keep:
        shutil.rmtree(scratch, ignore_errors=True)
    return 0


def _print(args, run: dict, ceiling: dict, counted: dict) -> None:
    kinds, seconds = run["kinds"], run["seconds"] or 1e-9
    answer = kinds["answer"]
    total = sum(k["n"] for k in kinds.values())
    errors = sum(k["errors"] for k in kinds.values()) + run["socket_errors"]
    busy_seconds = run.get("busy_seconds", seconds) or 1e-9
    rate = run.get("busy_answers", answer["n"]) / busy_seconds
    all_rate = run.get("busy_requests", total) / busy_seconds
    ratio = rate / ceiling["rate"] if ceiling["rate"] else 0.0
    print()
    print(
        f"takers: {counted['attempts_submitted']} submitted of {args.takers} in {seconds:.0f} s, {args.users} at once"
    )
    print(f"{'request':10}{'n':>9}{'errors':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}")
    for name in KINDS:
        k = kinds[name]
        print(f"{name:10}{k['n']:>9}{k['errors']:>8}{k['p50']:>9.1f}{k['p95']:>9.1f}{k['p99']:>9.1f}")
    print(
        f"answer submissions: {rate:.0f}/s sustained (the {busy_seconds:.0f} s with all {args.users} connections"
        f" at work); {answer['n']} in {seconds:.0f} s = {answer['n'] / seconds:.0f}/s over the whole run"
    )
    print(f"all requests: {total}; {all_rate:.0f}/s sustained; errors {errors}")
    measured = f"before {ceiling['before']:.0f}/s, after {ceiling['after']:.0f}/s; " if "before" in ceiling else ""
    print(
        f"trivial endpoint (/health/), same server, same connections: {ceiling['rate']:.0f}/s "
        f"({measured}p50 {ceiling['p50']:.1f} ms, p99 {ceiling['p99']:.1f} ms, errors {ceiling['errors']}); "
        f"answers/s against it {ratio:.2f}x, all requests/s {all_rate / ceiling['rate'] if ceiling['rate'] else 0:.2f}x"
    )
    if "processor" in run and "processor" in ceiling:
        _print_processor(run, ceiling, counted)
    # Every accepted answer must be in the database. When --max-seconds cuts the run, answers
    # in flight at the stop may be saved without being counted: more in the database than
    # counted loses nothing.
    accepted = answer["n"] - answer["errors"]
    lost = max(0, accepted - counted["answers_saved"])
    print(f"answers saved in the database: {counted['answers_saved']} (accepted {accepted}): lost {lost}")
    print(
        "targets: >=1000 answers/s {} · p95 <=100 ms {} · >=0.5x trivial {} · zero errors {} · zero lost {}".format(
            "yes" if rate >= 1000 else "NO",
            "yes" if answer["p95"] <= 100 else "NO",
            "yes" if ratio >= 0.5 else "NO",
            "yes" if errors == 0 else "NO",
            "yes" if lost == 0 else "NO",
        )
    )


def _print_processor(run: dict, ceiling: dict, counted: dict) -> None:
    """Where the cores went: a /health/ request's and a taker's processor time, by whom."""
    health, takers = ceiling["processor"], run["processor"]
    n_health, n_takers = ceiling["requests"] or 1, counted["attempts_submitted"] or 1
    print("processor, ms (server / load generator / rest of the machine / cores idle):")
    for label, spent, n in (("per /health/ request", health, n_health), ("per taker", takers, n_takers)):
        print(
            f"  {label:22}"
            + " / ".join(f"{spent[key] * 1000 / n:.3f}" for key in ("server", "generator", "other", "idle"))
        )
    per_health = sum(health[k] for k in ("server", "generator", "other")) / n_health
    per_taker = sum(takers[k] for k in ("server", "generator", "other")) / n_takers
    print(
        f"  a taker's busy processor in /health/ requests: {per_taker / per_health:.1f} in all,"
        f" {takers['server'] / n_takers / (health['server'] / n_health):.1f} of the server's"
    )


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "setup":
        sys.path.insert(0, str(ROOT))
        setup(Path(sys.argv[2]), int(sys.argv[3]))
    elif len(sys.argv) > 1 and sys.argv[1] == "count":
        sys.path.insert(0, str(ROOT))
        count(Path(sys.argv[2]))
    else:
        sys.exit(main())
