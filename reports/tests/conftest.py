import datetime
from decimal import Decimal

import pytest

AS_OF = datetime.date(2021, 12, 31)

# The seed's figures for Lhasa, as the demo's rows give them (see ../../../shared/seed/).
SEED_VALUES = {
    "supervision.groups": 8,
    "centre_group.study_sessions": 13,
    "centre_group.leader_contributions": 90,
    "study.sessions": 28_036,
    "study.discussion_contributions": 42_118,
    "books.copies": 46_312,
    "reading_class.sessions": 361,
    "reading_class.participants": 13_046,
    "competition.sessions": 459,
    "competition.participants": 41_087,
    "film.sessions": 4_026,
    "film.participants": 207_143,
    "base_visit.sessions": 4_430,
    "base_visit.participants": 170_215,
    "quiz.participants": 20_000,
    "training.lecturers": 60,
    "training.cadres": 498,
    "lecture.sessions": 38_054,
    "lecture.audience": 2_914_037,
    "materials.bilingual_copies": 50_000,
    "exhibition.sessions": 1_535,
    "exhibition.visitors": 87_062,
    "micro_lesson.count": 20_137,
    "news.reports": 213,
    "visits.prefecture_leaders": 43,
    "visits.county_cadres": 1_012,
    "visits.townships_reached": 66,
    "visits.villages_reached": 287,
    "visits.institutions_reached": 54,
    "visits.count": 1_624,
    "concerns.collected": 2_308,
    "concerns.resolved": 1_902,
    "concerns.resolution_rate": Decimal("83.8"),
    "key_items.total": 12,
    "key_items.solved": 9,
    "pairing.sessions": 11_042,
    "pairing.participants": 200_318,
    "orglife.meetings": 3_067,
    "orglife.talks": 52_600,
    "orglife.findings": 119_465,
    "orglife.measures": 122_059,
}


@pytest.fixture(autouse=True)
def no_figure_cache(settings):
    """Tests change rows and roll them back (SQLite reuses the rolled-back audit ids), so
    the figure cache is off unless a test turns it on."""
    settings.REPORTS_FIGURE_CACHE_SECONDS = 0


@pytest.fixture
def figure_cache(settings):
    from django.core.cache import cache

    cache.clear()
    settings.REPORTS_FIGURE_CACHE_SECONDS = 600
    yield
    cache.clear()


@pytest.fixture
def seed_values(monkeypatch):
    """Indicator values fixed at the seed's figures (every other indicator zero), so the
    report's wording can be checked without building the whole demo."""
    import reports.report as report_module

    def fake(unit, start, end, codes, progress=None):
        return {code: SEED_VALUES.get(code, 0) for code in report_module.registered_codes(codes)}

    monkeypatch.setattr(report_module, "indicator_values", fake)
    return SEED_VALUES


@pytest.fixture
def immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def kinds(db):
    from ledger.catalogue import ensure_kinds
    from ledger.models import ActivityKind

    ensure_kinds()
    return {k.code: k for k in ActivityKind.objects.all()}


@pytest.fixture
def record(office, kinds):
    """Record an activity through the ledger's service."""
    from ledger import services
    from orgs.models import Unit

    def make(code="540102001", kind="collective_study", date=datetime.date(2021, 7, 1), **fields):
        fields.setdefault("sessions", 1)
        return services.record_activity(
            actor=office, unit=Unit.objects.get(code=code), kind=kinds[kind], date=date, **fields
        )

    return make
