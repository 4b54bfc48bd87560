"""The Lhasa demo's data quality: realistic entry times for the ledger, a realistic sprinkling
of anomalies, then one run of every check over the city.

The other apps' demos write their rows in bulk at seeding time, so every activity looks
entered "today", years after it happened. ``build`` first gives each activity the moment a
unit would plausibly have entered it (most the same day or within a week, a few units at
each month's end), then plants anomalies that change no seed figure:

- entry-time anomalies (late entries, a few rows entered before their date, one burst of a
  month's rows entered in minutes) touch only ``created_at``;
- implausible counts move participant-times between rows of the same kind and month, so that
  every total and every month keeps its value (study and test participants are no seed
  figure at all; lecture audiences keep their exact sum);
- a few concerns resolved the day they were collected, without evidence, or called back by
  their resolver; a few rectification measures closed before they were set (dates only, all
  inside the campaign);
- identical answer sequences among attempts already flagged as too fast (which do not count
  in the 20,000).

Rows the other demos already made doubtful (the same title entered twice on one day, the
fast quiz attempts) are flagged as they are. ``finish`` runs every check once over Lhasa.
"""

from __future__ import annotations

import datetime
import random
import zoneinfo

from django.conf import settings
from django.db import connection

from core.seeding import DemoContext
from orgs.models import Unit

LATE = 30
EARLY = 6
BATCHERS = 0.12  # share of units that enter everything at month end


def _aware(day: datetime.date, minutes: int, tz) -> datetime.datetime:
    local = datetime.datetime.combine(day, datetime.time(0, 0)) + datetime.timedelta(minutes=minutes)
    return local.replace(tzinfo=tz).astimezone(datetime.UTC)


def _month_end(day: datetime.date) -> datetime.date:
    return (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1) - datetime.timedelta(days=1)


def _entry_times(rng: random.Random, city: Unit, *, plant: bool = True) -> dict[str, int]:
    """Give every activity of the city a plausible moment of entry; with ``plant``, also a
    few late entries, a few entered before the event and one burst."""
    from ledger.models import Activity

    tz = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    rows = list(
        Activity.objects.filter(unit__path__startswith=city.path).order_by("pk").values_list("pk", "unit_id", "date")
    )
    units = sorted({r[1] for r in rows})
    batchers = set(rng.sample(units, int(len(units) * BATCHERS)))
    late = set(rng.sample(range(len(rows)), LATE)) if plant else set()
    early = set(rng.sample(sorted(set(range(len(rows))) - late), EARLY)) if plant else set()
    stamps: list[tuple] = []
    for i, (pk, unit_id, day) in enumerate(rows):
        if i in late:
            entered = day + datetime.timedelta(days=rng.randint(75, 200))
        elif i in early:
            entered = day - datetime.timedelta(days=rng.randint(3, 12))
        elif unit_id in batchers:
            end = _month_end(day)
            entered = end + datetime.timedelta(days=rng.choice((-1, 0, 1, 2)))
            entered = max(entered, day)
        else:
            entered = day + datetime.timedelta(
                days=rng.choices((0, 1, 2, 3, 5, 8, 13, 21), (40, 20, 12, 9, 8, 6, 3, 2))[0]
            )
        stamps.append((entered, rng.randint(8 * 60 + 30, 19 * 60), pk, unit_id, day))
    # One burst: a township entered a whole month's rows in a few minutes.
    burst = _burst(rows, rng) if plant else {}
    out: list[tuple] = []
    for entered, minutes, pk, _unit_id, _day in stamps:
        if pk in burst:
            entered, minutes = burst[pk]
        moment = _aware(entered, minutes, tz)
        out.append((moment, moment, pk))
    ops = connection.ops
    table = ops.quote_name(Activity._meta.db_table)
    sql = f"UPDATE {table} SET {ops.quote_name('created_at')} = %s, {ops.quote_name('updated_at')} = %s WHERE {ops.quote_name('id')} = %s"
    with connection.cursor() as cursor:
        for i in range(0, len(out), 5000):
            cursor.executemany(
                sql,
                [
                    (ops.adapt_datetimefield_value(a), ops.adapt_datetimefield_value(b), pk)
                    for a, b, pk in out[i : i + 5000]
                ],
            )
    return {"late": len(late), "early": len(early), "batchers": len(batchers), "burst": len(burst)}


def _burst(rows: list[tuple], rng: random.Random) -> dict[int, tuple[datetime.date, int]]:
    by_unit_month: dict[tuple, list[int]] = {}
    for pk, unit_id, day in rows:
        by_unit_month.setdefault((unit_id, day.year, day.month), []).append(pk)
    candidates = sorted((len(v), k) for k, v in by_unit_month.items() if 22 <= len(v) <= 40)
    if not candidates:
        return {}
    _n, key = candidates[len(candidates) // 2]
    day = _month_end(datetime.date(key[1], key[2], 1)) + datetime.timedelta(days=1)
    return {pk: (day, 20 * 60 + 5 + (i % 6)) for i, pk in enumerate(by_unit_month[key])}


def _implausible(rng: random.Random, city: Unit) -> int:
    """Move participant-times between rows of the same kind and month: a few rows become
    implausible for their unit (or their venue), totals stay exactly as they were."""
    from ledger.models import Activity
    from ledger.quality_checks import VENUE_CAPACITY, people_of

    changed: list[tuple[int, int]] = []
    small = list(
        Activity.objects.filter(
            unit__path__startswith=city.path, kind__code__in=("collective_study", "must_know_test"), participants__gt=5
        )
        .order_by("pk")
        .values_list("pk", "kind_id", "date", "participants", "sessions", "unit__path")
    )
    people = people_of({r[5] for r in small})
    pool: dict[tuple, list[list]] = {}
    for r in small:
        pool.setdefault((r[1], r[2].year, r[2].month), []).append(list(r))
    picks = rng.sample(small, 40)
    used: set[int] = set()
    for pk, kind_id, day, participants, sessions, path in picks:
        if len([c for c in changed if c[1] > 0]) >= 12 or pk in used or people[path] <= 0 or people[path] > 60:
            continue
        target = people[path] * sessions * 3
        need = target - participants
        donors = [d for d in pool[(kind_id, day.year, day.month)] if d[0] != pk and d[0] not in used and d[3] > 10]
        rng.shuffle(donors)
        gathered = 0
        taken = []
        for d in donors:
            give = min(d[3] - 5, need - gathered)
            if give <= 0:
                break
            taken.append((d, give))
            gathered += give
        if gathered < need:
            continue
        used.add(pk)
        changed.append((pk, need))
        for d, give in taken:
            used.add(d[0])
            d[3] -= give
            changed.append((d[0], -give))
    # Lectures in offices with more people per session than an office hall holds.
    lectures = list(
        Activity.objects.filter(unit__path__startswith=city.path, kind__family="lecture", venue_kind="offices")
        .order_by("pk")
        .values_list("pk", "date", "participants", "sessions", "kind_id")
    )
    by_month: dict[tuple, list[list]] = {}
    for r in lectures:
        by_month.setdefault((r[4], r[1].year, r[1].month), []).append(list(r))
    months = sorted(by_month)
    for month in rng.sample(months, min(4, len(months))):
        rows = by_month[month]
        first = rows[0]
        if first[0] in used:
            continue
        need = VENUE_CAPACITY["offices"] + 120 - first[2]
        gathered = 0
        for d in rows[1:]:
            if d[0] in used:
                continue
            give = min(d[2] - 10, need - gathered)
            if give <= 0:
                continue
            used.add(d[0])
            changed.append((d[0], -give))
            gathered += give
            if gathered >= need:
                break
        if gathered == need:
            used.add(first[0])
            changed.append((first[0], need))
    with connection.cursor() as cursor:
        table = connection.ops.quote_name(Activity._meta.db_table)
        cursor.executemany(
            f"UPDATE {table} SET participants = participants + %s WHERE id = %s", [(d, pk) for pk, d in changed]
        )
    return len([c for c in changed if c[1] > 0])


def _concerns(rng: random.Random, city: Unit, office) -> int:
    from concerns.models import Concern, ConcernEvent

    resolved = list(
        Concern.objects.filter(unit__path__startswith=city.path, state__in=("resolved", "verified"))
        .exclude(resolved_on=None)
        .order_by("pk")
    )
    picks = rng.sample(resolved, 15)
    fast, bare, own = picks[:6], picks[6:10], picks[10:]
    for c in fast:
        c.resolved_on = c.collected_on
        ConcernEvent.objects.filter(concern=c, kind__in=("resolve", "callback")).update(
            at=datetime.datetime.combine(c.collected_on, datetime.time(10)).replace(tzinfo=datetime.UTC)
        )
    for c in bare:
        c.evidence = ""
        ConcernEvent.objects.filter(concern=c, kind="resolve").update(evidence="")
    verified = [c for c in own if c.state == "verified"]
    for c in verified:
        c.resolved_by = office
    Concern.objects.bulk_update(fast + bare + verified, ["resolved_on", "evidence", "resolved_by"])
    return len(picks)


def _measures(rng: random.Random, city: Unit) -> int:
    from orglife.models import Measure

    closed = list(
        Measure.objects.filter(unit__path__startswith=city.path, closed_on__isnull=False, done_on__isnull=False)
        .order_by("pk")
        .values_list("pk", "set_on")[:5000]
    )
    picks = rng.sample(closed, min(8, len(closed)))
    for pk, set_on in picks:
        early = set_on - datetime.timedelta(days=rng.randint(2, 10))
        Measure.objects.filter(pk=pk).update(done_on=early, verified_on=early, closed_on=early)
    return len(picks)


def _same_answers(rng: random.Random, ctx: DemoContext) -> int:
    """Six of the attempts already flagged as too fast (so not counted) give one and the same
    answer sequence, as a script would."""
    from quiz import services
    from quiz.models import Attempt

    quiz = ctx.made.get("quiz_closed")
    if quiz is None:
        return 0
    fast = list(Attempt.objects.filter(quiz=quiz, flagged_fast=True).order_by("pk")[:6])
    if len(fast) < 6:
        return 0
    ids = {qid for a in fast for qid, _o in a.paper}
    key = services.answer_key(sorted(ids))
    for a in fast:
        a.answers = ["A"] * len(a.paper)
        a.marks = services.mark(a.paper, a.answers, key)
        a.correct = a.marks.count("1")
        a.score = services.score_of(a.correct, len(a.paper))
        a.passed = a.score >= quiz.pass_mark
    Attempt.objects.bulk_update(fast, ["answers", "marks", "correct", "score", "passed"])
    return len(fast)


def build(ctx: DemoContext) -> None:
    from quality.catalogue import ensure_checks

    ensure_checks()
    city: Unit = ctx.made["city"]
    rng = random.Random(ctx.seed + 75)
    office = ctx.made.get("accounts", {}).get("lhasa-office")
    entry = _entry_times(rng, city)
    moved = _implausible(rng, city)
    concerns = _concerns(rng, city, office)
    measures = _measures(rng, city)
    same = _same_answers(rng, ctx)
    ctx.log(
        f"  entry times: {entry['batchers']} units enter at month end, {entry['late']} late, "
        f"{entry['early']} before the event, a burst of {entry['burst']}; implausible counts: {moved}; "
        f"concerns: {concerns}; measures: {measures}; identical answers: {same}"
    )
    # Rows changed in bulk, without the signals that keep the tallies.
    from campaigns import tallies
    from concerns.models import Concern
    from orglife.models import Measure
    from quiz.models import Attempt

    tallies.recount(Concern, Measure, Attempt)


def finish(ctx: DemoContext) -> None:
    from quality import services

    city: Unit = ctx.made["city"]
    rows, raised, seconds = services.run_checks(city)
    ctx.log(f"  quality: {raised} flags over {rows} rows in {seconds:.1f} s")
