#!/usr/bin/env python
"""Load benchmark of the online quiz (issue #4). Not a timed test: run it by hand.

    .venv/bin/python bench/quiz_load.py [--takers 20000] [--users 200] [--workers 3]
                                        [--max-seconds 900] [--database-url URL]

1. makes a scratch data directory (``XUEJIAO_VAR_DIR``), migrates it (SQLite there, or the
   PostgreSQL database given by ``--database-url``, which must be empty), builds the Lhasa
   unit tree and campaign, the question bank, one quiz of 20 questions and one one-time code
   per taker;
2. starts the production server (gunicorn, ``--workers`` sync workers) on 127.0.0.1;
3. measures the ceiling: the same server's rate on a trivial endpoint (/health/, one
   SELECT 1) for ``--trivial-seconds``;
4. drives the takers with locust (headless, its own process, bounded by the number of codes
   and by ``--max-seconds``): each signs in lightly, opens the paper, answers 20 questions,
   submits;
5. counts the answers and the submitted attempts in the database and prints answers per
   second sustained, p50/p95/p99 latency, errors, the ceiling and the targets.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--takers", type=int, default=20000)
    parser.add_argument("--users", type=int, default=200, help="concurrent simulated takers")
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 1) * 2 + 1)
    parser.add_argument("--max-seconds", type=int, default=900)
    parser.add_argument("--trivial-seconds", type=int, default=20)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--keep", action="store_true", help="keep the scratch directory")
    parser.add_argument(
        "--sqlite-persistent",
        action="store_true",
        help="keep SQLite connections open between requests (CONN_MAX_AGE; production settings do not today)",
    )
    args = parser.parse_args()

    scratch = Path(tempfile.mkdtemp(prefix="quiz-bench-"))
    env = {
        **os.environ,
        "XUEJIAO_VAR_DIR": str(scratch),
        "XUEJIAO_SECRET_KEY": "bench-" + os.urandom(8).hex(),
        "DJANGO_SETTINGS_MODULE": "bench.quiz_settings",
        "PYTHONPATH": str(ROOT),
        "QUIZ_BENCH_DATA": str(scratch / "bench.json"),
    }
    if args.database_url:
        env["DATABASE_URL"] = args.database_url
    if args.sqlite_persistent:
        env["QUIZ_BENCH_SQLITE_PERSISTENT"] = "1"
    python = str(VENV / "python")
    database = (
        "PostgreSQL"
        if args.database_url
        else "SQLite" + (" (persistent connections)" if args.sqlite_persistent else "")
    )
    print(f"scratch: {scratch}  database: {database}  workers: {args.workers}", flush=True)
    subprocess.run([python, "manage.py", "migrate", "-v0"], env=env, cwd=ROOT, check=True)
    subprocess.run([python, "manage.py", "collectstatic", "--noinput", "-v0"], env=env, cwd=ROOT, check=True)
    subprocess.run(
        [python, __file__, "setup", str(scratch / "bench.json"), str(args.takers)], env=env, cwd=ROOT, check=True
    )

    port = _free_port()
    host = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [
            str(VENV / "gunicorn"),
            "xuejiao.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(args.workers),
            "--backlog",
            "4096",
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=ROOT,
        start_new_session=True,
    )
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{host}/health/", timeout=1).read()
                break
            except OSError:
                time.sleep(0.2)
        trivial, _t = _locust(env, host, scratch / "trivial", args.users, args.trivial_seconds, trivial=True)
        takers, elapsed = _locust(env, host, scratch / "takers", args.users, args.max_seconds, trivial=False)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    subprocess.run([python, __file__, "count", str(scratch / "count.json")], env=env, cwd=ROOT, check=True)
    counted = json.loads((scratch / "count.json").read_text())

    answer = takers.get("answer", {})
    total = takers.get("Aggregated", {})
    trivial_row = trivial.get("trivial", {})
    answers_ok = int(answer.get("Request Count", 0)) - int(answer.get("Failure Count", 0))
    rate = float(answer.get("Request Count", 0)) / elapsed if elapsed else 0.0
    ceiling = float(trivial_row.get("Requests/s", 0) or 0)
    all_rate = float(total.get("Request Count", 0)) / elapsed if elapsed else 0.0
    print()
    print(
        f"takers: {counted['attempts_submitted']} submitted of {args.takers} ({elapsed:.0f} s, {args.users} concurrent)"
    )
    print(f"answer submissions: {answer.get('Request Count', 0)} in {elapsed:.0f} s = {rate:.0f}/s sustained")
    print(
        f"answer latency: p50 {answer.get('50%', '?')} ms, p95 {answer.get('95%', '?')} ms, p99 {answer.get('99%', '?')} ms"
    )
    print(f"all requests: {total.get('Request Count', 0)} = {all_rate:.0f}/s; errors {total.get('Failure Count', 0)}")
    for name in ("door", "sign in", "paper", "submit"):
        row = takers.get(name, {})
        print(
            f"  {name:8} n={row.get('Request Count', 0)} p50 {row.get('50%', '?')} ms p95 {row.get('95%', '?')} ms errors {row.get('Failure Count', 0)}"
        )
    print(
        f"trivial endpoint (/health/): {ceiling:.0f}/s, p95 {trivial_row.get('95%', '?')} ms; "
        f"answers/s vs all requests/s against it: {rate / ceiling if ceiling else 0:.2f}x / {all_rate / ceiling if ceiling else 0:.2f}x"
    )
    # Every accepted answer must be in the database. When --max-seconds cuts the run, answers
    # in flight at the stop may be saved without locust counting them: more in the database
    # than counted loses nothing.
    lost = max(0, answers_ok - counted["answers_saved"])
    print(
        f"answers saved in the database: {counted['answers_saved']} (locust counted {answers_ok} accepted): lost {lost}"
    )
    print(
        "targets: >=1000 answers/s {} · p95 <=100 ms {} · >=0.5x trivial {} · zero errors {} · zero lost {}".format(
            "yes" if rate >= 1000 else "NO",
            "yes" if float(answer.get("95%", 1e9) or 1e9) <= 100 else "NO",
            "yes" if ceiling and rate / ceiling >= 0.5 else "NO",
            "yes" if int(total.get("Failure Count", 1)) == 0 else "NO",
            "yes" if lost == 0 else "NO",
        )
    )
    if not args.keep:
        shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "setup":
        sys.path.insert(0, str(ROOT))
        setup(Path(sys.argv[2]), int(sys.argv[3]))
    elif len(sys.argv) > 1 and sys.argv[1] == "count":
        sys.path.insert(0, str(ROOT))
        count(Path(sys.argv[2]))
    else:
        sys.exit(main())
