"""Benchmark of the figures: the page of every indicator for the city, and the city
dashboard with an empty figure cache, against DuckDB over the raw rows in the same run.

    XUEJIAO_VAR_DIR=/tmp/xj-figs .venv/bin/python bench/figures.py [--scales 1 10] [--runs 10]

Each scale gets its own SQLite database under $XUEJIAO_VAR_DIR/scale-N (never the demo's):
migrated and seeded (``seed_demo --scale N``) the first time, then reused, since seeding
scale 10 takes minutes (when the database predates the tallies, ``rebuild_tallies`` fills
them once). In a child process per scale, as the city office admin (lhasa-office), through
the whole Django stack (test client):

- (a) GET /ledger/indicators/ — every indicator's figure for Lhasa over the campaign;
- (b) GET /reports/dashboard/ for Lhasa over the campaign, the figure cache emptied before
  each request (the first reader after a write waits for this);
- the baseline: DuckDB over the raw rows outside the ledger (meetings, talks, findings,
  measures, inspections, quiz attempts, concerns, visits, key items, exported once to an
  in-memory DuckDB), answering the same figures of those rows for the city, its children
  and its months; its city totals are checked against the platform's.

Prints a table: median of ``--runs`` timed runs after one untimed, the number of queries of
one run, and the ratio to the target (100 ms) and to DuckDB.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import io
import json
import os
import statistics
import sys
import time
from pathlib import Path

from _common import run_step  # bench/, this script's own directory

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xuejiao.settings_test")

CITY = "540100"
START, END = datetime.date(2021, 2, 1), datetime.date(2021, 12, 31)
TARGET_MS = 100.0


def _setup() -> None:
    import django

    django.setup()


def _median_ms(fn, runs: int) -> float:
    return _medians(fn, runs)[0]


def _medians(fn, runs: int) -> tuple[float, float]:
    """Median wall time and median processor time of this process (the server's work and
    SQLite's, which runs in it), in ms: the second is what other work on the machine moves
    least."""
    fn()
    wall, cpu = [], []
    for _ in range(runs):
        t, c = time.perf_counter(), time.process_time()
        fn()
        wall.append((time.perf_counter() - t) * 1000)
        cpu.append((time.process_time() - c) * 1000)
    return statistics.median(wall), statistics.median(cpu)


def _queries(fn) -> int:
    from django.db import connection

    seen: list[str] = []

    def count(execute, sql, params, many, context):
        seen.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        fn()
    return len(seen)


# --- building ----------------------------------------------------------------------------------


def worker_build(scale: int) -> dict:
    _setup()
    from django.core.management import call_command, get_commands

    from orgs.models import Unit

    call_command("migrate", verbosity=0)
    out: dict = {"seeded_s": 0.0, "tallies_s": 0.0}
    if not Unit.objects.exists():
        started = time.monotonic()
        call_command("seed_demo", scale=scale, stdout=io.StringIO())
        out["seeded_s"] = time.monotonic() - started
    if "rebuild_tallies" in get_commands():
        from campaigns.models import Tally

        if not Tally.objects.exists():
            started = time.monotonic()
            call_command("rebuild_tallies", stdout=io.StringIO())
            out["tallies_s"] = time.monotonic() - started
    return out


# --- the DuckDB baseline -----------------------------------------------------------------------

# Each table: the SQL that exports its raw rows (the unit's path first) and its columns' types.
EXPORTS = {
    "meetings": ("SELECT u.path, r.date FROM orglife_meeting r JOIN orgs_unit u ON u.id = r.unit_id", "date:DATE"),
    "talks": ("SELECT u.path, r.date FROM orglife_talk r JOIN orgs_unit u ON u.id = r.unit_id", "date:DATE"),
    "findings": ("SELECT u.path, r.date FROM orglife_finding r JOIN orgs_unit u ON u.id = r.unit_id", "date:DATE"),
    "inspections": (
        "SELECT u.path, r.date, r.unit_id FROM orglife_inspection r JOIN orgs_unit u ON u.id = r.unit_id",
        "date:DATE,unit_id:BIGINT",
    ),
    "measures": (
        "SELECT u.path, r.set_on, r.deadline, r.done_on, r.verified_on FROM orglife_measure r "
        "JOIN orgs_unit u ON u.id = r.unit_id",
        "set_on:DATE,deadline:DATE,done_on:DATE,verified_on:DATE",
    ),
    "concerns": (
        "SELECT u.path, r.collected_on, r.state, r.responded_on, r.resolved_on, r.satisfaction, r.response_due, "
        "r.resolution_due FROM concerns_concern r JOIN orgs_unit u ON u.id = r.unit_id",
        "collected_on:DATE,state:VARCHAR,responded_on:DATE,resolved_on:DATE,satisfaction:VARCHAR,"
        "response_due:DATE,resolution_due:DATE",
    ),
    "visits": ("SELECT u.path, r.date FROM concerns_visit r JOIN orgs_unit u ON u.id = r.unit_id", "date:DATE"),
    "key_items": (
        "SELECT u.path, r.listed_on, r.status, r.solved_on FROM concerns_keyitem r "
        "JOIN orgs_unit u ON u.id = r.responsible_unit_id",
        "listed_on:DATE,status:VARCHAR,solved_on:DATE",
    ),
}


def _duckdb(base: Path, scale: int):
    """The raw rows in an in-memory DuckDB: exported once per scale to CSV files."""
    import duckdb
    from django.db import connection
    from django.utils import timezone

    from quiz.choices import COUNTED_REVIEWS
    from quiz.models import Attempt

    con = duckdb.connect()
    for name, (sql, types) in EXPORTS.items():
        path = base / f"figures-{name}-scale{scale}.csv"
        columns = [c.split(":") for c in types.split(",")]
        with connection.cursor() as cursor, path.open("w", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(["path", *(c for c, _t in columns)])
            cursor.execute(sql)
            while chunk := cursor.fetchmany(20000):
                writer.writerows(chunk)
        spec = ", ".join(["'path': 'VARCHAR'", *(f"'{c}': '{t}'" for c, t in columns)])
        con.execute(f"CREATE TABLE {name} AS SELECT * FROM read_csv(?, header=true, columns={{{spec}}})", [str(path)])
    # Attempts: the local day of submission, as the figures count it.
    path = base / f"figures-attempts-scale{scale}.csv"
    with path.open("w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["path", "day", "taker_id", "score", "passed"])
        rows = Attempt.objects.filter(submitted_at__isnull=False, review__in=COUNTED_REVIEWS).values_list(
            "unit__path", "submitted_at", "taker_id", "score", "passed"
        )
        writer.writerows((p, timezone.localdate(at), t, s, int(ok)) for p, at, t, s, ok in rows.iterator())
    con.execute(
        "CREATE TABLE attempts AS SELECT * FROM read_csv(?, header=true, columns={'path': 'VARCHAR', 'day': 'DATE', "
        "'taker_id': 'BIGINT', 'score': 'DECIMAL(5,1)', 'passed': 'INTEGER'})",
        [str(path)],
    )
    return con


def _duck_queries(city_path: str, width: int, start: datetime.date, end: datetime.date) -> list[tuple[str, list]]:
    """One query per table: its figures for the city (``grain`` 'total'), per child (the
    path's prefix) and per month, in one GROUPING SETS pass."""
    from django.utils import timezone

    from concerns.choices import OPEN_STATES, RESOLVED_STATES, UNRESPONDED_STATES, ConcernState, Satisfaction

    day = min(end, timezone.localdate())

    def quoted(values) -> str:
        return ", ".join(f"'{v}'" for v in values)

    figures = {
        "meetings": ("date", "COUNT(*)"),
        "talks": ("date", "COUNT(*)"),
        "findings": ("date", "COUNT(*)"),
        "inspections": ("date", "COUNT(*), COUNT(DISTINCT unit_id)"),
        "measures": (
            "set_on",
            f"COUNT(*), COUNT(*) FILTER (done_on <= DATE '{end}'), COUNT(*) FILTER (verified_on <= DATE '{end}'), "
            f"COUNT(*) FILTER (deadline < DATE '{day}' AND (done_on IS NULL OR done_on > DATE '{day}'))",
        ),
        "concerns": (
            "collected_on",
            f"COUNT(*) FILTER (state <> '{ConcernState.DUPLICATE}'), "
            f"COUNT(*) FILTER (state <> '{ConcernState.DUPLICATE}' AND responded_on IS NOT NULL), "
            f"COUNT(*) FILTER (state IN ({quoted(RESOLVED_STATES)})), "
            f"COUNT(*) FILTER (state NOT IN ('{ConcernState.DUPLICATE}', '{ConcernState.CLOSED_NOT_RESOLVABLE}')), "
            f"COUNT(*) FILTER (state <> '{ConcernState.DUPLICATE}' AND satisfaction = '{Satisfaction.SATISFIED}'), "
            f"COUNT(*) FILTER (state <> '{ConcernState.DUPLICATE}' AND coalesce(satisfaction, '') <> ''), "
            f"COUNT(*) FILTER (state IN ({quoted(OPEN_STATES)}) AND ((state IN ({quoted(UNRESPONDED_STATES)}) "
            f"AND response_due < DATE '{day}') OR resolution_due < DATE '{day}'))",
        ),
        "visits": ("date", "COUNT(*)"),
        "key_items": ("listed_on", "COUNT(*)"),
        "attempts": ("day", "COUNT(DISTINCT taker_id), AVG(score), COUNT(*), COUNT(*) FILTER (passed = 1)"),
    }
    out = []
    for table, (date_field, measures) in figures.items():
        sql = (
            f"SELECT substr(path, 1, {width}) AS child, date_trunc('month', {date_field}) AS month, {measures} "
            f"FROM {table} WHERE starts_with(path, ?) AND {date_field} BETWEEN ? AND ? "
            "GROUP BY GROUPING SETS ((), (child), (month))"
        )
        out.append((sql, [city_path, start, end]))
    # Concerns resolved count on the day they were resolved.
    out.append(
        (
            f"SELECT substr(path, 1, {width}) AS child, date_trunc('month', resolved_on) AS month, COUNT(*) "
            f"FROM concerns WHERE starts_with(path, ?) AND state IN ({quoted(RESOLVED_STATES)}) "
            "AND resolved_on BETWEEN ? AND ? GROUP BY GROUPING SETS ((), (child), (month))",
            [city_path, start, end],
        )
    )
    return out


# --- measuring -----------------------------------------------------------------------------------


def worker_measure(scale: int, base: str, runs: int) -> dict:
    _setup()
    from django.core.cache import cache
    from django.test import Client

    from figures import reading
    from ledger.models import Activity
    from orgs.models import Account, Unit

    city = Unit.objects.get(code=CITY)
    out: dict = {"units": Unit.objects.count(), "activities": Activity.objects.count()}
    client = Client()
    client.force_login(Account.objects.get(username="lhasa-office"))

    def get(url: str, cold: bool = False):
        def fn():
            if cold:
                cache.clear()
            response = client.get(url, HTTP_HOST="localhost")
            assert response.status_code == 200, response.status_code

        return fn

    table = get(f"/ledger/indicators/?unit={CITY}&start={START}&end={END}")
    dashboard = get(f"/reports/dashboard/?unit={CITY}&start={START}&end={END}", cold=True)
    out["table_ms"], out["table_cpu_ms"] = _medians(table, runs)
    out["table_queries"] = _queries(table)
    out["dashboard_ms"], out["dashboard_cpu_ms"] = _medians(dashboard, runs)
    out["dashboard_queries"] = _queries(dashboard)

    con = _duckdb(Path(base), scale)
    queries = _duck_queries(city.path, (city.depth + 1) * Unit.steplen, START, END)

    def duck():
        return [con.execute(sql, params).fetchall() for sql, params in queries]

    got = duck()
    totals = {i: [r for r in rows if r[0] is None and r[1] is None][0][2:] for i, rows in enumerate(got)}
    ours = reading.values(
        [
            "orglife.meetings",
            "orglife.talks",
            "orglife.findings",
            "supervision.inspections",
            "supervision.units_covered",
            "orglife.measures",
            "orglife.measures_done",
            "orglife.measures_verified",
            "orglife.measures_overdue",
            "concerns.collected",
            "visits.count",
            "key_items.total",
            "quiz.participants",
            "concerns.resolved",
        ],
        city,
        START,
        END,
    )
    duck_values = [
        totals[0][0],
        totals[1][0],
        totals[2][0],
        totals[3][0],
        totals[3][1],
        *totals[4],
        totals[5][0],
        totals[6][0],
        totals[7][0],
        totals[8][0],
        totals[9][0],
    ]
    out["duckdb_agrees"] = duck_values == list(ours.values())
    out["duckdb_ms"], out["duckdb_cpu_ms"] = _medians(duck, runs)
    return out


# --- the driver -----------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 10])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--scale", type=int, default=1, help=argparse.SUPPRESS)
    parser.add_argument("--base", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        result = {
            "build": lambda: worker_build(args.scale),
            "measure": lambda: worker_measure(args.scale, args.base, args.runs),
        }[args.worker]()
        print(json.dumps(result, default=str))
        return
    base = Path(os.environ.get("XUEJIAO_VAR_DIR", "/tmp/xuejiao-bench-figures"))
    if base.resolve() == (ROOT / "var").resolve():
        raise SystemExit("Set XUEJIAO_VAR_DIR to a scratch directory: the benchmark writes its databases there.")
    results = {}
    for scale in args.scales:
        var = base / f"scale-{scale}"
        var.mkdir(parents=True, exist_ok=True)
        print(f"scale {scale}: building (once) ...", flush=True)
        r = run_step(__file__, ["--worker", "build", "--scale", str(scale)], var)
        print(f"scale {scale}: measuring ...", flush=True)
        r |= run_step(
            __file__, ["--worker", "measure", "--scale", str(scale), "--base", str(base), "--runs", str(args.runs)], var
        )
        results[scale] = r
    print()
    print(
        "| scale | units | ledger rows | what | median (processor) | queries | DuckDB over the raw rows, same run "
        "(processor) | × DuckDB | × target 100 ms |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for scale, r in results.items():
        head = f"| {scale} | {r['units']:,} | {r['activities']:,} |"
        duck = f"{r['duckdb_ms']:.1f} ms ({r['duckdb_cpu_ms']:.1f} ms), totals agree: {r['duckdb_agrees']}"
        for label, key in (
            ("every indicator, city (/ledger/indicators/)", "table"),
            ("city dashboard, cold", "dashboard"),
        ):
            ms, cpu = r[f"{key}_ms"], r[f"{key}_cpu_ms"]
            print(
                f"{head} {label} | {ms:.1f} ms ({cpu:.1f} ms) | {r[f'{key}_queries']} | {duck} | "
                f"{ms / r['duckdb_ms']:.1f}× | {ms / TARGET_MS:.2f}× ({cpu / TARGET_MS:.2f}×) |"
            )


if __name__ == "__main__":
    main()
