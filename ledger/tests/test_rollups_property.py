"""Random writes, edits and deletes; afterwards, for random subtrees and date ranges, every
answer read from the rollups equals the sum over exactly the rows it links to."""

import datetime

from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ledger import selectors, services
from ledger.indicators import BY_CODE, INDICATORS
from ledger.models import Activity, ActivityKind
from orgs.models import Unit

UNITS = ["540100", "540102", "540102001", "540102001001", "540102D01", "540104", "540104001"]
KINDS = ["collective_study", "lecture_theory", "lecture_arts", "materials", "training", "film"]
START = datetime.date(2021, 2, 20)
day = st.integers(min_value=0, max_value=314).map(lambda n: START + datetime.timedelta(days=n))
fields = st.fixed_dictionaries(
    {
        "sessions": st.integers(1, 5),
        "participants": st.integers(1, 300),
        "copies": st.integers(1, 1000),
        "venue_kind": st.sampled_from(["villages", "schools", "monasteries"]),
        "language": st.sampled_from(["zh", "bo", "bilingual"]),
        "target": st.sampled_from(["lecturers", "cadres"]),
        "place": st.just("井冈山"),
    }
)
write = st.tuples(st.just("write"), st.sampled_from(UNITS), st.sampled_from(KINDS), day, fields)
edit = st.tuples(st.just("edit"), st.integers(0, 50), st.sampled_from(UNITS), day, fields)
delete = st.tuples(st.just("delete"), st.integers(0, 50))
query = st.tuples(st.sampled_from(UNITS), day, day)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    ops=st.lists(st.one_of(write, write, edit, delete), min_size=1, max_size=14), queries=st.lists(query, max_size=4)
)
def test_rollups_always_equal_the_rows(office, ops, queries):
    with transaction.atomic():
        for op in ops:
            existing = list(Activity.objects.order_by("pk"))
            if op[0] == "write":
                _, code, kind, date, values = op
                services.record_activity(
                    actor=office,
                    unit=Unit.objects.get(code=code),
                    kind=ActivityKind.objects.get(code=kind),
                    date=date,
                    **values,
                )
            elif op[0] == "edit" and existing:
                _, n, code, date, values = op
                activity = existing[n % len(existing)]
                services.update_activity(
                    actor=office,
                    activity=activity,
                    version=activity.version,
                    unit=Unit.objects.get(code=code),
                    date=date,
                    **values,
                )
            elif op[0] == "delete" and existing:
                services.delete_activity(actor=office, activity=existing[op[1] % len(existing)])
        assert services.rollup_differences() == []
        for code, a, b in [("540100", START, datetime.date(2021, 12, 31)), *queries]:
            unit = Unit.objects.get(code=code)
            start, end = min(a, b), max(a, b)
            figures = selectors.answer(unit, start, end, INDICATORS)
            for indicator in INDICATORS:
                rows = indicator.rows(unit, start, end)
                expected = sum(getattr(r, indicator.measure_field) for r in rows)
                assert figures.total[indicator.code] == expected, (indicator.code, code, start, end)
                assert sum(v[indicator.code] for _m, v in figures.months) == expected
            own = BY_CODE["study.sessions"].rows(unit, start, end).filter(unit=unit)
            children_sum = sum(v["study.sessions"] for _c, v in figures.children)
            assert children_sum + sum(r.sessions for r in own) == figures.total["study.sessions"]
        transaction.set_rollback(True)
