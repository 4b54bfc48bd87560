"""Benchmark of the reports app: the city dashboard and the full progress report build.

    XUEJIAO_VAR_DIR=/tmp/bench1 .venv/bin/python manage.py migrate --noinput -v0
    XUEJIAO_VAR_DIR=/tmp/bench1 .venv/bin/python manage.py seed_demo --scale 1
    XUEJIAO_VAR_DIR=/tmp/bench1 .venv/bin/python bench/reports_bench.py [--runs 10]

Measures, on the demo database that ``XUEJIAO_VAR_DIR`` points at, as the city office admin
(lhasa-office), warm (after one untimed run):

- the city dashboard page (GET /reports/dashboard/ for Lhasa, the whole campaign), through
  the full Django stack (test client), with its query count;
- the full report build (``build_report`` for Lhasa as of 2021-12-31) in Chinese and in
  Tibetan, and the report page (GET /reports/report/) that renders it with its links;
- the exports: docx and PDF of the Chinese report.

Prints one line per measure: median and worst of the runs, in milliseconds.
"""

from __future__ import annotations

import argparse
import datetime
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xuejiao.settings_test")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client

    from orgs.models import Account, Unit
    from reports import exports
    from reports.report import build_report

    city = Unit.objects.get(code="540100")
    as_of = datetime.date(2021, 12, 31)
    client = Client()
    client.force_login(Account.objects.get(username="lhasa-office"))

    def measure(name, fn, runs=args.runs, cold=False):
        """Median and worst of ``runs`` timed calls after one untimed; ``cold`` empties the
        figure cache before each call (what the first reader after a change waits for)."""
        fn()
        counter = []

        def count(execute, sql, params, many, context):
            counter.append(sql)
            return execute(sql, params, many, context)

        if cold:
            cache.clear()
        with connection.execute_wrapper(count):
            fn()
        times = []
        for _ in range(runs):
            if cold:
                cache.clear()
            t = time.perf_counter()
            fn()
            times.append((time.perf_counter() - t) * 1000)
        label = f"{name} ({'cold' if cold else 'warm'})"
        print(
            f"{label:<40} median {statistics.median(times):8.1f} ms   worst {max(times):8.1f} ms   "
            f"queries {len(counter)}"
        )

    def get(url):
        def fn():
            response = client.get(url, HTTP_HOST="localhost")
            assert response.status_code == 200, response.status_code

        return fn

    from ledger.models import Activity

    print(f"units {Unit.objects.count()}, activities {Activity.objects.count()}")
    dashboard = get("/reports/dashboard/?unit=540100&start=2021-02-20&end=2021-12-31")
    page = get("/reports/report/?unit=540100&as_of=2021-12-31&language=zh-hans")
    for cold in (True, False):
        measure("dashboard page (city)", dashboard, cold=cold)
        measure("report build zh (city)", lambda: build_report(city, as_of, "zh-hans"), cold=cold)
        measure("report build bo (city)", lambda: build_report(city, as_of, "bo"), cold=cold)
        measure("report page zh (city)", page, cold=cold)
    report = build_report(city, as_of, "zh-hans")
    measure("docx export", lambda: exports.docx_bytes(report), runs=3)
    measure("pdf export", lambda: exports.pdf_bytes(report), runs=3)


if __name__ == "__main__":
    main()
