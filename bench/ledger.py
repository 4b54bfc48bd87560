#!/usr/bin/env python3
"""Ledger benchmarks (not timed tests): the city answer, a filtered list page and a
100,000-row import, each next to a baseline measured in the same run.

    XUEJIAO_VAR_DIR=/tmp/xuejiao-bench .venv/bin/python bench/ledger.py [--scales 1 10]

Each scale gets its own SQLite database under $XUEJIAO_VAR_DIR/scale-N (never the demo's),
built from the demo builders (unit tree, campaign, ledger). Measurements run in child
processes so that peak memory (ru_maxrss) is the import's own. See bench/README-ledger.md.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import resource
import statistics
import sys
import time
from pathlib import Path

from _common import run_step  # bench/, this script's own directory

ROOT = Path(__file__).resolve().parent.parent
CITY_PATH_CODE = "540100"
RANGE_ALIGNED = (datetime.date(2021, 2, 1), datetime.date(2021, 12, 31))
RANGE_CUT = (datetime.date(2021, 2, 20), datetime.date(2021, 12, 31))
REPEAT = 15


def _setup() -> None:
    sys.path.insert(0, str(ROOT))
    # Production settings with static files served by name (no collectstatic manifest needed).
    os.environ["DJANGO_SETTINGS_MODULE"] = "xuejiao.settings_test"
    os.environ.setdefault("XUEJIAO_ALLOWED_HOSTS", "testserver,localhost")
    import django

    django.setup()


def _median_ms(fn, repeat: int = REPEAT) -> float:
    fn()  # warm the caches once
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --- workers (run in child processes) --------------------------------------------------------


def worker_build(scale: int) -> dict:
    _setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, transaction

    from campaigns import demo as campaigns_demo
    from core.seeding import DemoContext
    from ledger import demo as ledger_demo
    from orgs import demo as orgs_demo

    db = Path(settings.DATABASES["default"]["NAME"])
    connection.close()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    call_command("migrate", verbosity=0)
    started = time.monotonic()
    ctx = DemoContext(scale=scale, log=lambda *a: None)
    with transaction.atomic():
        orgs_demo.build(ctx)
        campaigns_demo.build(ctx)
        ledger_demo.build(ctx)
        ledger_demo.finish(ctx)
    from ledger.models import Activity, ActivityRollup
    from orgs.models import Unit

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {
        "build_s": time.monotonic() - started,
        "rows": Activity.objects.count(),
        "rollup_rows": ActivityRollup.objects.count(),
        "units": Unit.objects.count(),
    }


def _duckdb_table(export_path: Path):
    """Export the raw ledger rows once (path, family, date, dims, counts) and load them into
    an in-memory DuckDB table."""
    import csv

    import duckdb
    from django.db import connection

    with connection.cursor() as cursor, export_path.open("w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(
            ["path", "family", "date", "venue_kind", "language", "outlet_level", "target", "sessions",
             "participants", "copies"]
        )  # fmt: skip
        cursor.execute(
            "SELECT u.path, k.family, a.date, a.venue_kind, a.language, a.outlet_level, a.target, a.sessions, "
            "a.participants, a.copies FROM ledger_activity a JOIN orgs_unit u ON u.id = a.unit_id "
            "JOIN ledger_activitykind k ON k.id = a.kind_id"
        )
        while chunk := cursor.fetchmany(20000):
            writer.writerows(chunk)
    con = duckdb.connect()
    con.execute(
        "CREATE TABLE ledger AS SELECT * FROM read_csv(?, header=true, columns={'path':'VARCHAR','family':'VARCHAR',"
        "'date':'DATE','venue_kind':'VARCHAR','language':'VARCHAR','outlet_level':'VARCHAR','target':'VARCHAR',"
        "'sessions':'BIGINT','participants':'BIGINT','copies':'BIGINT'})",
        [str(export_path)],
    )
    return con


def _duckdb_sql(indicators, city_path: str, depth: int, start, end) -> tuple[str, list]:
    sums, params = [], []
    for ind in indicators:
        cond = [f"family IN ({', '.join('?' for _ in ind.families)})"]
        params.extend(ind.families)
        for field, value in ind.filters.items():
            cond.append(f"{field} = ?")
            params.append(value)
        sums.append(f"SUM(CASE WHEN {' AND '.join(cond)} THEN {ind.measure_field} ELSE 0 END)")
    sql = (
        f"SELECT substr(path, 1, {(depth + 1) * 4}) AS child, date_trunc('month', date) AS m, {', '.join(sums)} "
        "FROM ledger WHERE starts_with(path, ?) AND date BETWEEN ? AND ? GROUP BY 1, 2"
    )
    return sql, [*params, city_path, start, end]


def worker_measure(scale: int, base: str) -> dict:
    _setup()
    from django.test import Client

    from ledger import selectors
    from ledger.indicators import INDICATORS
    from orgs.models import Account, Unit

    city = Unit.objects.get(code=CITY_PATH_CODE)
    out: dict = {}
    for label, (start, end) in (("aligned", RANGE_ALIGNED), ("cut", RANGE_CUT)):
        figures = selectors.answer(city, start, end, INDICATORS)
        out[f"answer_{label}_ms"] = _median_ms(lambda s=start, e=end: selectors.answer(city, s, e, INDICATORS))
        out[f"answer_{label}_children"] = len(figures.children)
        out[f"answer_{label}_months"] = len(figures.months)
    totals = selectors.answer(city, *RANGE_CUT, INDICATORS).total

    con = _duckdb_table(Path(base) / f"ledger-rows-scale{scale}.csv")
    sql, params = _duckdb_sql(INDICATORS, city.path, city.depth, *RANGE_CUT)
    result = con.execute(sql, params).fetchall()
    duck_totals = [sum(r[2 + i] or 0 for r in result) for i in range(len(INDICATORS))]
    out["duckdb_agrees"] = duck_totals == [totals[i.code] for i in INDICATORS]
    out["duckdb_ms"] = _median_ms(lambda: con.execute(sql, params).fetchall())

    client = Client()
    client.force_login(Account.objects.get(username="lhasa-office"))
    url = "/ledger/learning/?unit=540102&start=2021-07-01&end=2021-07-31"
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    out["list_ms"] = _median_ms(lambda: client.get(url))
    return out


def worker_import(path: str) -> dict:
    _setup()
    from auditlog.context import set_actor
    from django.core.files import File

    from ledger.catalogue import ensure_kinds
    from ledger.models import ActivityKind, ImportJob
    from ledger.tasks import run_import
    from orgs.models import Account

    ensure_kinds()
    office = Account.objects.get(username="lhasa-office")
    job = ImportJob(
        unit=office.unit,
        kind=ActivityKind.objects.get(code="collective_study"),
        created_by=office,
        original_name="bench.xlsx",
    )
    with open(path, "rb") as fh:
        job.file.save("bench.xlsx", File(fh), save=False)
    job.save()
    started = time.monotonic()
    with set_actor(office):
        run_import(job.pk)
    seconds = time.monotonic() - started
    job.refresh_from_db()
    return {"import_s": seconds, "import_peak_mb": _peak_mb(), "status": job.status, "created": job.created,
            "message": job.message[:200]}  # fmt: skip


def worker_openpyxl(path: str) -> dict:
    from openpyxl import load_workbook

    started = time.monotonic()
    wb = load_workbook(path, read_only=True)
    n = sum(1 for _ in wb.worksheets[0].iter_rows(values_only=True))
    wb.close()
    return {"openpyxl_s": time.monotonic() - started, "openpyxl_peak_mb": _peak_mb(), "openpyxl_rows": n}


def worker_make_file(path: str, rows: int) -> dict:
    """A valid 100,000-row template file for Lhasa (collective study, spread over units)."""
    _setup()
    import random

    from django.utils import translation

    from core import xlsx as writer
    from ledger import xlsx
    from orgs.models import Unit

    rng = random.Random(7)
    codes = list(
        Unit.objects.filter(path__startswith=Unit.objects.get(code=CITY_PATH_CODE).path).values_list("code", flat=True)
    )
    with translation.override("zh-hans"):
        labels = dict(xlsx.ALL_COLUMNS)
        headers = [str(labels[n]) for n in ("unit", "date", "kind", "title", "sessions", "participants")]
    wb = writer.book(write_only=True)
    ws = wb.create_sheet("activities")
    writer.append(ws, headers)
    start = datetime.date(2021, 7, 1)
    for _ in range(rows):
        day = start + datetime.timedelta(days=rng.randrange(180))
        writer.append(ws, [rng.choice(codes), day, "集体学习", "学习党史", 1, rng.randint(5, 60)])
    writer.save(wb, path)
    return {"file_mb": Path(path).stat().st_size / 1e6}


# --- the driver --------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 10])
    parser.add_argument("--import-rows", type=int, default=100_000)
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--scale", type=int, default=1, help=argparse.SUPPRESS)
    parser.add_argument("--path", default="", help=argparse.SUPPRESS)
    parser.add_argument("--base", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        result = {
            "build": lambda: worker_build(args.scale),
            "measure": lambda: worker_measure(args.scale, args.base),
            "import": lambda: worker_import(args.path),
            "openpyxl": lambda: worker_openpyxl(args.path),
            "make-file": lambda: worker_make_file(args.path, args.import_rows),
        }[args.worker]()
        print(json.dumps(result, default=str))
        return
    base = Path(os.environ.get("XUEJIAO_VAR_DIR", "/tmp/xuejiao-bench"))
    if base.resolve() == (ROOT / "var").resolve():
        raise SystemExit("Set XUEJIAO_VAR_DIR to a scratch directory: the benchmark replaces its database.")
    results = {}
    for scale in args.scales:
        var = base / f"scale-{scale}"
        var.mkdir(parents=True, exist_ok=True)
        print(f"scale {scale}: building ...", flush=True)
        r = run_step(__file__, ["--worker", "build", "--scale", str(scale)], var)
        print(f"scale {scale}: measuring ...", flush=True)
        r |= run_step(__file__, ["--worker", "measure", "--scale", str(scale), "--base", str(base)], var)
        xlsx_path = base / f"import-{args.import_rows}.xlsx"
        if not xlsx_path.exists():
            r |= run_step(
                __file__,
                ["--worker", "make-file", "--path", str(xlsx_path), "--import-rows", str(args.import_rows)],
                var,
            )
        print(f"scale {scale}: importing ...", flush=True)
        r |= run_step(__file__, ["--worker", "import", "--path", str(xlsx_path)], var)
        r |= run_step(__file__, ["--worker", "openpyxl", "--path", str(xlsx_path)], var)
        results[scale] = r
    _print(results, args.import_rows)


def _print(results: dict, import_rows: int) -> None:
    print()
    print("| scale | ledger rows | rollup rows | what | measured | baseline (same run) | target |")
    print("|---|---|---|---|---|---|---|")
    for scale, r in results.items():
        head = f"| {scale} | {r['rows']:,} | {r['rollup_rows']:,} |"
        print(
            f"{head} city answer, {len(INDICATORS_HINT)} indicators × {r['answer_aligned_children']} children × "
            f"{r['answer_aligned_months']} months (whole months) | {r['answer_aligned_ms']:.1f} ms | "
            f"DuckDB raw scan {r['duckdb_ms']:.1f} ms (totals agree: {r['duckdb_agrees']}) | ≤150 ms and ≤ DuckDB |"
        )
        print(f"{head} same, range starting 2021-02-20 (one month cut) | {r['answer_cut_ms']:.1f} ms | | |")
        print(f"{head} list page, one county × one month | {r['list_ms']:.1f} ms | | ≤100 ms |")
        print(
            f"{head} import {import_rows:,} rows ({r['status']}, {r['created']:,} written) | {r['import_s']:.1f} s, "
            f"peak {r['import_peak_mb']:.0f} MB, {r['import_s'] / r['openpyxl_s']:.1f}× the bare read | bare openpyxl "
            f"read {r['openpyxl_s']:.1f} s, peak {r['openpyxl_peak_mb']:.0f} MB | ≤30 s, ≤300 MB, ≤3× the bare read |"
        )
        print(f"{head} build (demo builders) | {r['build_s']:.1f} s | | |")


INDICATORS_HINT = range(31)

if __name__ == "__main__":
    main()
