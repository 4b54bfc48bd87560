"""The demo ledger reproduces every figure of seed sections 2 and 3 (and the pairings of
section 4) for Lhasa as of 2021-12-31, in the seed's own rounding."""

import datetime
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.core.management import call_command
from django.db import transaction

from conftest import build_demo_foundation
from ledger import demo, selectors
from ledger.catalogue import ensure_kinds
from ledger.indicators import INDICATORS
from ledger.models import Activity

# code -> (how the seed gives it, the figure): "exact", "wan" with decimals (2.8万 ...), or
# "plus" ("4000余": just above).
SEED = {
    "centre_group.study_sessions": ("exact", 13),
    "centre_group.leader_contributions": ("exact", 90),
    "study.sessions": ("wan", "2.8"),
    "study.discussion_contributions": ("wan", "4.2"),
    "books.copies": ("wan", "4.63"),
    "reading_class.sessions": ("exact", 361),
    "reading_class.participants": ("wan", "1.3"),
    "competition.sessions": ("exact", 459),
    "competition.participants": ("wan", "4.1"),
    "film.sessions": ("plus", 4000),
    "film.participants": ("wan", "20.7"),
    "base_visit.sessions": ("exact", 4430),
    "base_visit.participants": ("wan", "17"),
    "training.lecturers": ("exact", 60),
    "training.cadres": ("exact", 498),
    "lecture.sessions": ("wan", "3.8"),
    "lecture.audience": ("wan", "291.4"),
    "materials.bilingual_copies": ("exact", 50000),
    "exhibition.sessions": ("exact", 1535),
    "exhibition.visitors": ("wan", "8.7"),
    "micro_lesson.count": ("plus", 20000),
    "news.reports": ("plus", 200),
    "pairing.sessions": ("wan", "1.1"),
    "pairing.participants": ("wan", "20"),
}


def in_seed_rounding(value: int, how: str, figure) -> bool:
    if how == "exact":
        return value == figure
    if how == "plus":
        return figure < value < figure * 1.1
    wan = Decimal(figure)
    places = Decimal(1).scaleb(wan.as_tuple().exponent)
    return (Decimal(value) / 10000).quantize(places, rounding=ROUND_HALF_UP) == wan


def test_the_seed_rounding_reads_as_the_seed_does():
    assert in_seed_rounding(28_036, "wan", "2.8") and not in_seed_rounding(28_600, "wan", "2.8")
    assert in_seed_rounding(4_026, "plus", 4000) and not in_seed_rounding(4_000, "plus", 4000)


@pytest.fixture(scope="module")
def demo_ledger(django_db_setup, django_db_blocker):
    """The demo's foundation and ledger, built once for this module (the point of these
    tests is the demo's figures), inside a transaction that is rolled back at the end."""
    with django_db_blocker.unblock(), transaction.atomic():
        ensure_kinds()
        ctx = build_demo_foundation()
        demo.build(ctx)
        demo.finish(ctx)
        yield ctx
        transaction.set_rollback(True)


def test_the_demo_reproduces_every_figure_of_the_seed_as_of_the_campaigns_end(demo_ledger):
    city = demo_ledger.made["city"]
    figures = selectors.answer(city, datetime.date(2021, 2, 20), datetime.date(2021, 12, 31), INDICATORS)
    for code, (how, figure) in SEED.items():
        assert in_seed_rounding(figures.total[code], how, figure), (code, figures.total[code], figure)
    venues = sum(v for c, v in figures.total.items() if c.startswith("lecture.sessions."))
    assert venues == figures.total["lecture.sessions"]
    assert all(figures.total[f"lecture.sessions.{v}"] > 0 for v in ("villages", "schools", "monasteries", "barracks"))


def test_the_demo_is_about_150000_rows_spread_over_units_and_months(demo_ledger):
    assert 130_000 < Activity.objects.count() < 170_000
    assert Activity.objects.values("unit").distinct().count() > 2000
    assert Activity.objects.filter(date__lt=datetime.date(2021, 2, 20)).count() == 0
    assert Activity.objects.filter(date__month=12).exists() and Activity.objects.filter(date__month=3).exists()


def test_the_demo_rollups_check_out(demo_ledger, capsys):
    call_command("check_rollups")
    assert "equal" in capsys.readouterr().out
