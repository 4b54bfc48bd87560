"""Load the cluster that ``scripts/cluster up`` started, break it, bring it back, and check.

Run by ``scripts/cluster test`` (with the cluster's environment, so that Django here talks to
the same primary). At once, through nginx:

- quiz takers sign in with the demo's one-time codes, answer every question and submit;
- dashboard readers (the city office) open the dashboard and the indicator page, which read
  the hot standby;
- a reporter records a collective study through the API and at once reads the figure it
  changes (read-your-writes: never older than their own write);

while the faults are injected in turn: app server 1 is killed and started again, the standby
is stopped and started again, and both task workers are killed in the middle of an import
and started again (the import is then retried, as the office would from its page).

It asserts: every request was answered or refused with a retryable status (429, 502, 503,
504) — never a 500 or a dropped connection left unanswered; no acknowledged answer is missing
from the database; the interrupted import wrote nothing, and its retry wrote every row; every
figure read after a write included it; once the standby caught up, the dashboard's figures
through it equal the primary's. It prints the load held and the faults survived.
"""

from __future__ import annotations

import argparse
import collections
import datetime
import faulthandler
import os
import random
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xuejiao.settings")

# Django is set up before the platform's modules are imported (they need the settings),
# hence the imports below the set-up.
import django  # noqa: E402

django.setup()
faulthandler.register(signal.SIGUSR1)  # kill -USR1 prints where every thread is

from django.db import connections  # noqa: E402

from core.seeding import DEMO_PASSWORD  # noqa: E402

RETRYABLE = {429, 502, 503, 504}
IMPORTED_TITLE = "集群导入"
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
ATTEMPT = re.compile(r"/quiz/attempt/(\d+)/")


class Tally:
    """Every request's outcome, by what it was and how it ended, across threads."""

    def __init__(self):
        self.lock = threading.Lock()
        self.counts: collections.Counter = collections.Counter()
        self.bad: list[str] = []

    def note(self, what: str, outcome: str, detail: str = "") -> None:
        with self.lock:
            self.counts[(what, outcome)] += 1
            if outcome == "bad" and len(self.bad) < 20:
                self.bad.append(f"{what}: {detail}")


def call(tally: Tally, what: str, send, *, tries: int = 30):
    """One request, repeated (with a short pause) while the answer is retryable. Returns the
    response, or None when every try was refused."""
    for attempt in range(tries):
        try:
            response = send()
        except requests.ConnectionError as exc:
            tally.note(what, "bad", f"connection: {exc}")
            return None
        if response.status_code in RETRYABLE:
            tally.note(what, f"refused {response.status_code}")
            time.sleep(min(0.05 * 2**attempt, 1.0))
            continue
        if response.status_code >= 500:
            tally.note(what, "bad", f"{response.status_code} {response.url}")
            return None
        tally.note(what, "ok")
        if response.headers.get("X-Read-From") == "replica":
            tally.note(what, "from the standby")
        return response
    return None


def signed_in(base: str, username: str, tally: Tally) -> requests.Session:
    """A session signed in through nginx (asked again while the answer is retryable)."""
    session = requests.Session()
    for _ in range(30):
        page = call(tally, "sign-in", lambda: session.get(f"{base}/login/", timeout=30))
        token = TOKEN.search(page.text if page is not None else "")
        if token is not None:
            call(
                tally,
                "sign-in",
                lambda token=token: session.post(
                    f"{base}/login/",
                    data={"csrfmiddlewaretoken": token.group(1), "username": username, "password": DEMO_PASSWORD},
                    headers={"Referer": f"{base}/login/"},
                    timeout=30,
                ),
            )
        if "sessionid" in session.cookies:
            return session
        time.sleep(0.5)
    raise AssertionError(f"{username} could not sign in")


class Takers:
    """Quiz takers, one after another on each thread, until told to stop."""

    def __init__(self, base: str, tally: Tally, quiz_id: int, codes: list[str], units: list[int], paper: int):
        self.base, self.tally, self.quiz, self.paper = base, tally, quiz_id, paper
        self.codes, self.units = codes, units
        self.lock = threading.Lock()
        self.acknowledged: dict[int, dict[int, str]] = {}
        self.submitted: set[int] = set()

    def next_code(self) -> str | None:
        with self.lock:
            return self.codes.pop() if self.codes else None

    def run(self, stop: threading.Event) -> None:
        while not stop.is_set():
            code = self.next_code()
            if code is None:
                return
            self.take(code)

    def take(self, code: str) -> None:
        base, tally = self.base, self.tally
        http = requests.Session()
        door = call(tally, "quiz door", lambda: http.get(f"{base}/quiz/take/{self.quiz}/", timeout=30))
        if door is None:
            return
        csrf = TOKEN.search(door.text).group(1)
        form = {"csrfmiddlewaretoken": csrf, "name": f"答题人{code}", "unit": random.choice(self.units), "code": code}
        signed = call(
            tally,
            "quiz sign-in",
            lambda: http.post(f"{base}/quiz/take/{self.quiz}/", data=form, allow_redirects=False, timeout=30),
        )
        found = ATTEMPT.search(signed.headers.get("Location", "")) if signed is not None else None
        if found is None:
            return  # a sign-in repeated after a lost answer finds its code used: refused, not lost
        attempt = int(found.group(1))
        headers = {"X-CSRFToken": csrf, "Accept": "application/json", "Referer": f"{base}/"}
        call(tally, "quiz paper", lambda: http.get(f"{base}/quiz/attempt/{attempt}/?n=0", timeout=30))
        for position in range(self.paper):
            chosen = random.choice("ABCD" if position % 3 else "AB")
            saved = call(
                tally,
                "quiz answer",
                lambda data={"position": position, "chosen": chosen}: http.post(
                    f"{base}/quiz/attempt/{attempt}/answer/",
                    data=data,
                    headers=headers,
                    timeout=30,
                ),
            )
            if saved is not None and saved.status_code == 200:
                with self.lock:
                    self.acknowledged.setdefault(attempt, {})[position] = chosen
        done = call(
            tally,
            "quiz submit",
            lambda: http.post(f"{base}/quiz/attempt/{attempt}/submit/", headers=headers, timeout=30),
        )
        if done is not None and done.status_code < 400:
            with self.lock:
                self.submitted.add(attempt)


def readers(base: str, tally: Tally, stop: threading.Event) -> None:
    http = signed_in(base, "lhasa-office", tally)
    pages = ["/reports/dashboard/?unit=540100", "/ledger/indicators/?unit=540100&codes=study.sessions"]
    while not stop.is_set():
        for page in pages:
            call(tally, "dashboard reader", lambda page=page: http.get(f"{base}{page}", timeout=60), tries=10)


# The range the figure is read over: the 2021 campaign's year, which the writes are dated in
# (without it the API reads the unit's newest campaign, the demo's 2023 one).
FIGURE_RANGE = {"from": "2021-01-01", "to": "2021-12-31"}


def figure(http: requests.Session, base: str, tally: Tally, unit: str) -> int | None:
    answer = call(
        tally,
        "figure read",
        lambda: http.get(
            f"{base}/api/v1/indicators", params={"unit": unit, "codes": "study.sessions", **FIGURE_RANGE}, timeout=60
        ),
    )
    if answer is None or answer.status_code != 200:
        return None
    return answer.json()["items"][0]["value"]


def writer(base: str, tally: Tally, stop: threading.Event, token: str, unit: str, failures: list[str]) -> int:
    """Record an activity, then read the figure it changes: it must already count it."""
    http = requests.Session()
    http.headers["Authorization"] = f"Bearer {token}"
    writes = 0
    day = datetime.date(2021, 9, 1)
    while not stop.is_set():
        before = figure(http, base, tally, unit)
        sessions = random.randint(1, 5)
        made = call(
            tally,
            "activity write",
            lambda sessions=sessions: http.post(
                f"{base}/api/v1/activities",
                json={
                    "unit": unit,
                    "kind": "collective_study",
                    "date": str(day),
                    "title": "集群",
                    "sessions": sessions,
                },
                timeout=30,
            ),
            tries=1,  # a write is not repeated blindly: a lost answer could have landed
        )
        if made is None or made.status_code != 201:
            continue
        writes += 1
        after = figure(http, base, tally, unit)
        if before is not None and after is not None and after < before + sessions:
            failures.append(f"read-your-writes: {before} + {sessions} written, {after} read back")
    return writes


def import_file(path: Path, rows: int, codes: list[str]) -> None:
    from django.utils import translation

    from core import xlsx as writer_
    from ledger import xlsx

    with translation.override("zh-hans"):
        labels = dict(xlsx.ALL_COLUMNS)
        headers = [str(labels[n]) for n in ("unit", "date", "kind", "title", "sessions", "participants")]
    book = writer_.book(write_only=True)
    sheet = book.create_sheet("activities")
    writer_.append(sheet, headers)
    rng = random.Random(11)
    for _ in range(rows):
        day = datetime.date(2021, 7, 1) + datetime.timedelta(days=rng.randrange(150))
        writer_.append(sheet, [rng.choice(codes), day, "集体学习", IMPORTED_TITLE, 1, rng.randint(5, 40)])
    writer_.save(book, str(path))


def limits_across_servers(apps: list[str], secret: str, unit: str, failures: list[str]) -> str:
    """An API token's limit holds across both servers (Redis counts atomically), and failed
    sign-ins lock the account across both (django-axes counts in the database). Each server is
    called directly, in turn, from several threads at once."""
    from concurrent.futures import ThreadPoolExecutor

    from django.conf import settings

    limit = settings.API_TOKEN_RATE_PER_MINUTE
    calls = limit + limit // 3
    while 60 - time.time() % 60 < 40:  # one window of the limiter holds every call
        time.sleep(0.5)
    statuses: collections.Counter = collections.Counter()
    lock = threading.Lock()

    def one(i: int) -> None:
        port = apps[i % 2]
        answer = requests.get(
            f"http://127.0.0.1:{port}/api/v1/units/{unit}", headers={"Authorization": f"Bearer {secret}"}, timeout=60
        )
        with lock:
            statuses[answer.status_code] += 1

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(one, range(calls)))
    if statuses[200] != limit or statuses[429] != calls - limit:
        failures.append(f"token limit {limit}/min across two servers: {dict(statuses)} of {calls} calls")

    wrong = collections.Counter()
    for i in range(settings.AXES_FAILURE_LIMIT):
        session = requests.Session()
        base = f"http://127.0.0.1:{apps[i % 2]}"
        page = session.get(f"{base}/login/", timeout=30)
        token = TOKEN.search(page.text).group(1)
        answer = session.post(
            f"{base}/login/",
            data={"csrfmiddlewaretoken": token, "username": "dagze-reporter", "password": "wrong"},
            headers={"Referer": f"{base}/login/"},
            timeout=30,
        )
        wrong[answer.status_code] += 1
    session = requests.Session()
    base = f"http://127.0.0.1:{apps[settings.AXES_FAILURE_LIMIT % 2]}"
    token = TOKEN.search(session.get(f"{base}/login/", timeout=30).text).group(1)
    right = session.post(
        f"{base}/login/",
        data={"csrfmiddlewaretoken": token, "username": "dagze-reporter", "password": DEMO_PASSWORD},
        headers={"Referer": f"{base}/login/"},
        timeout=30,
    )
    if "sessionid" in session.cookies:
        failures.append(
            f"{settings.AXES_FAILURE_LIMIT} failed sign-ins spread over two servers did not lock the account"
        )
    return (
        f"token limit {limit}/min over two servers: {statuses[200]} answered, {statuses[429]} refused of {calls}; "
        f"{settings.AXES_FAILURE_LIMIT} wrong passwords spread over both servers, then the right one: "
        f"{'refused' if 'sessionid' not in session.cookies else 'signed in'} ({right.status_code})"
    )


def cluster(*args: str) -> None:
    subprocess.run([str(ROOT / "scripts" / "cluster"), *args], check=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--dir", required=True)
    parser.add_argument("--apps", nargs=2, required=True)
    parser.add_argument("--takers", type=int, default=4, help="quiz-taking threads")
    parser.add_argument("--import-rows", type=int, default=10000)
    parser.add_argument("--codes", type=int, default=3000, help="one-time quiz codes added for the takers")
    args = parser.parse_args()
    base = args.url

    from django.core.files import File

    from ledger import services as ledger_services
    from ledger.models import Activity, ActivityKind, ImportStatus
    from ledger.tasks import import_task
    from orgs.models import Account, Unit
    from orgs.tokens import create_token
    from quiz.models import Answer, Quiz, QuizCode, QuizQuota

    quiz = Quiz.objects.filter(closes_at__gt=django.utils.timezone.now()).order_by("pk").first()
    run = "CL" + "".join(random.choices("ABCDEFGHJKLMNPQRSTUVWXYZ", k=4))
    QuizCode.objects.bulk_create(QuizCode(quiz=quiz, code=f"{run}{i:05d}") for i in range(args.codes))
    codes = list(QuizCode.objects.filter(quiz=quiz, used_at__isnull=True).values_list("code", flat=True))
    city = Unit.objects.get(code="540100")
    villages = list(Unit.objects.filter(path__startswith=city.path, kind="village").values_list("pk", flat=True)[:200])
    paper = sum(QuizQuota.objects.filter(quiz=quiz).values_list("count", flat=True))
    reporter = Account.objects.get(username="chengguan-reporter")
    _token, secret = create_token(actor=reporter, name="cluster check")
    reporter_unit = reporter.unit.code

    replica = connections["replica"]
    tally = Tally()
    failures: list[str] = []
    _limited, limited_secret = create_token(actor=reporter, name="cluster check: limits")
    limits = limits_across_servers(args.apps, limited_secret, reporter_unit, failures)
    print(f"  {limits}", flush=True)
    stop = threading.Event()
    takers = Takers(base, tally, quiz.pk, codes, villages, paper)
    writes: list[int] = []

    def guarded(work, *work_args):
        """A load thread whose failure fails the check (rather than ending the thread quietly)."""

        def run():
            try:
                work(*work_args)
            except Exception as exc:  # noqa: BLE001 - every failure is reported
                failures.append(f"{getattr(work, '__name__', 'load')}: {exc!r}")

        return threading.Thread(target=run)

    threads = [guarded(takers.run, stop) for _ in range(args.takers)]
    threads += [guarded(readers, base, tally, stop) for _ in range(2)]
    threads.append(guarded(lambda: writes.append(writer(base, tally, stop, secret, reporter_unit, failures))))
    faults: list[str] = []
    started = time.monotonic()
    for thread in threads:
        thread.start()

    def fault(name: str, *steps: tuple[str, ...], pause: float = 4.0) -> None:
        print(f"  fault: {name}", flush=True)
        for i, step in enumerate(steps):
            cluster(*step)
            if i < len(steps) - 1:
                time.sleep(pause)
        faults.append(name)

    time.sleep(5)
    fault("app server 1 killed (SIGKILL) and started again", ("kill-app", "1"), ("start-app", "1"))
    time.sleep(3)
    fault("hot standby stopped (immediate) and started again", ("stop-standby",), ("start-standby",), pause=6)

    # An import of many rows, and both workers killed while it writes.
    office = Account.objects.get(username="lhasa-office")
    unit_codes = list(Unit.objects.filter(path__startswith=city.path).values_list("code", flat=True)[:500])
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "cluster.xlsx"
        import_file(path, args.import_rows, unit_codes)
        with path.open("rb") as fh:
            job = ledger_services.open_import(
                actor=office,
                unit=office.unit,
                kind=ActivityKind.objects.get(code="collective_study"),
                name="cluster.xlsx",
                language="zh-hans",
                upload=File(fh, name="cluster.xlsx"),
            )
    imported = Activity.objects.filter(title=IMPORTED_TITLE)
    import_task.enqueue(job.pk)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:  # until it writes (its rows go in in one transaction)
        job.refresh_from_db()
        if job.status in (ImportStatus.WRITING, ImportStatus.DONE, ImportStatus.FAILED):
            break
        time.sleep(0.05)
    interrupted = job.status == ImportStatus.WRITING
    if interrupted:
        print(f"  fault: both workers killed while the import was writing ({job.processed} rows)", flush=True)
        cluster("kill-worker", "1")
        cluster("kill-worker", "2")
        time.sleep(1)
        if imported.exists():
            failures.append(f"the interrupted import left {imported.count()} rows")
        cluster("start-worker", "1")
        cluster("start-worker", "2")
        faults.append("both workers killed during an import, started again, the import retried")
        job = ledger_services.retry_import(actor=office, job=job)
        import_task.enqueue(job.pk)
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.status in (ImportStatus.DONE, ImportStatus.FAILED):
            break
        time.sleep(0.5)
    if job.status != ImportStatus.DONE:
        failures.append(f"import ended {job.status}: {job.message[:200]}")
    elif job.created != args.import_rows or imported.count() != args.import_rows:
        failures.append(f"import wrote {imported.count()} of {args.import_rows} rows")

    time.sleep(3)
    stop.set()
    for thread in threads:
        thread.join(timeout=120)
    elapsed = time.monotonic() - started

    # No acknowledged answer lost.
    lost = 0
    for attempt, answers in takers.acknowledged.items():
        stored = dict(Answer.objects.filter(attempt_id=attempt).values_list("position", "chosen"))
        lost += sum(1 for position, chosen in answers.items() if stored.get(position) != chosen)
    if lost:
        failures.append(f"{lost} acknowledged answers not in the database")

    served = sum(n for (_what, outcome), n in tally.counts.items() if outcome == "from the standby")
    if not tally.counts[("dashboard reader", "from the standby")]:
        failures.append("no dashboard was read from the standby")
    # Once the standby has caught up, its figures are the primary's.
    replica.close()
    for _ in range(100):
        with replica.cursor() as cursor:
            cursor.execute("SELECT pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn()")
            if cursor.fetchone()[0]:
                break
        time.sleep(0.1)
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT count(*), coalesce(sum(sessions), 0) FROM ledger_activity")
        on_primary = cursor.fetchone()
    with replica.cursor() as cursor:
        cursor.execute("SELECT count(*), coalesce(sum(sessions), 0) FROM ledger_activity")
        on_replica = cursor.fetchone()
    if on_primary != on_replica:
        failures.append(f"standby {on_replica} against primary {on_primary} after catching up")
    office_http = signed_in(base, "lhasa-office", tally)
    shown = office_http.get(
        f"{base}/api/v1/indicators", params={"unit": "540100", "codes": "study.sessions", **FIGURE_RANGE}
    ).json()
    health = requests.get(f"{base}/health/", timeout=30).json()

    by_what: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    for (what, outcome), n in tally.counts.items():
        by_what[what][outcome] += n
    print()
    print(f"{'requests':<20} {'answered':>9} {'from the standby':>17} {'refused, retried':>17} {'errors':>7}")
    for what in sorted(by_what):
        counts = by_what[what]
        refused = sum(n for outcome, n in counts.items() if outcome.startswith("refused"))
        print(f"{what:<20} {counts['ok']:>9} {counts['from the standby']:>17} {refused:>17} {counts['bad']:>7}")
    total_ok = sum(c["ok"] for c in by_what.values())
    print()
    print(f"load held: {total_ok} requests answered in {elapsed:.0f} s ({total_ok / elapsed:.1f}/s)")
    print(
        f"quiz: {len(takers.acknowledged)} attempts, {sum(map(len, takers.acknowledged.values()))} answers "
        f"acknowledged, {lost} lost, {len(takers.submitted)} submitted"
    )
    print(f"read-your-writes: {writes[0] if writes else 0} activities written, each read back at once")
    print(f"standby: {served} answers read from it")
    print(f"import: {job.created} rows of {args.import_rows}, interrupted first: {'yes' if interrupted else 'no'}")
    print(f"city figure study.sessions through nginx: {shown['items'][0]['value']}; health: {health}")
    print(f"limits: {limits}")
    print("faults survived:")
    for name in faults:
        print(f"  - {name}")
    if tally.bad:
        failures.extend(tally.bad)
    if failures:
        print("FAILED:")
        for failure in failures:
            print(f"  - {failure}")
        return 1
    print("cluster check passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
