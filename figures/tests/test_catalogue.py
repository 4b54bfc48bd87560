"""The catalogue gathers what the domain apps declare, and a figure whose rollup nobody
registered is still answered, from its rows."""

import datetime
import types
from dataclasses import dataclass

import pytest
from django.db.models import QuerySet

from campaigns import indicators as vocabulary
from campaigns.indicators import CountIndicator, Indicator, Section
from figures import catalogue, reading
from ledger.indicators import BY_CODE, LedgerIndicator
from ledger.models import Activity
from orgs.models import Account, Unit

JULY = datetime.date(2021, 7, 1)
START, END = datetime.date(2021, 7, 1), datetime.date(2021, 9, 30)
TEXTS = {"zh-hans": "测试", "bo": "ཚོད་ལྟ།", "en": "test"}


def _sessions_facts(unit: Unit, start: datetime.date, end: datetime.date) -> QuerySet:
    return Activity.objects.filter(unit__path__startswith=unit.path, date__gte=start, date__lte=end)


DECLARED = CountIndicator(
    code="test.activities",
    section=Section.LEARNING,
    name=TEXTS,
    measure=TEXTS,
    definition=TEXTS,
    facts=_sessions_facts,
)


@dataclass
class RolledUp(Indicator):
    """An indicator whose app would keep a rollup but registered no answer for it."""

    def rows(self, unit: Unit, start: datetime.date, end: datetime.date) -> QuerySet:
        return _sessions_facts(unit, start, end)


def _app(name: str, **declarations) -> types.SimpleNamespace:
    """An installed app whose ``indicators`` module declares ``declarations``."""
    module = types.ModuleType(name)
    module.__path__ = []  # a package, so that it may have an ``indicators`` submodule
    indicators = types.ModuleType(f"{name}.indicators")
    for key, value in declarations.items():
        setattr(indicators, key, value)
    return types.SimpleNamespace(name=name, module=module, indicators=indicators)


@pytest.fixture
def declaring_app(monkeypatch):
    """One more installed app, ``declaring``, that lists ``DECLARED`` and a rollup answer."""
    import sys

    answered = []

    def answer(unit, start, end, indicators, *, by_children=True, by_month=True, children=None):
        answered.append([i.code for i in indicators])
        return types.SimpleNamespace(total={i.code: 41 for i in indicators}, children=[], months=[])

    app = _app("declaring", INDICATORS=[DECLARED], ROLLUPS={RolledUp: answer})
    monkeypatch.setitem(sys.modules, "declaring", app.module)
    monkeypatch.setitem(sys.modules, "declaring.indicators", app.indicators)
    monkeypatch.setattr(vocabulary, "module_has_submodule", lambda module, name: name == "indicators")
    monkeypatch.setattr(vocabulary.apps, "get_app_configs", lambda: [app])
    monkeypatch.setattr(catalogue, "_REGISTRY", {})
    monkeypatch.setattr(catalogue, "_ROLLUPS", {})
    monkeypatch.setattr(catalogue, "_SOURCES", [])  # discover() fills it in place: the real one stays
    return answered


def test_every_domain_apps_declaration_is_in_the_catalogue():
    for declared in [*BY_CODE.values(), *vocabulary.declared()]:
        assert catalogue.get(declared.code) is declared
    assert catalogue.rollup_of(BY_CODE["study.sessions"]) is not None
    assert catalogue.rollup_of(catalogue.get("concerns.collected")) is not None  # from the tallies
    assert catalogue.rollup_of(catalogue.get("orglife.expected")) is None  # read from its rows


def test_a_declared_indicator_and_its_rollup_answer_join_the_catalogue(declaring_app, db):
    catalogue.discover()
    assert list(catalogue.codes()) == ["test.activities"]
    assert catalogue.get("test.activities") is DECLARED
    rolled = RolledUp(code="test.rolled", section=Section.LEARNING, name=TEXTS, measure=TEXTS, definition=TEXTS)
    catalogue.register(rolled)
    city = Unit.objects.get(code="540100")
    assert reading.values(["test.rolled"], city, START, END) == {"test.rolled": 41}
    assert declaring_app == [["test.rolled"]]


def test_an_indicator_is_registered_once():
    with pytest.raises(ValueError):
        catalogue.register(
            LedgerIndicator(code="study.sessions", section=Section.LEARNING, name={}, measure={}, definition={})
        )


def test_an_indicator_without_a_registered_rollup_is_counted_from_its_rows(record, unit, monkeypatch):
    record("540102001", date=JULY)
    record("540104", date=JULY + datetime.timedelta(days=40))
    record("540200", date=JULY, actor=Account.objects.get(username="shigatse-office"))  # another city
    rolled = RolledUp(code="test.rolled", section=Section.LEARNING, name=TEXTS, measure=TEXTS, definition=TEXTS)
    monkeypatch.setitem(catalogue._REGISTRY, rolled.code, rolled)
    city = unit("540100")
    assert catalogue.rollup_of(rolled) is None
    assert reading.values([rolled.code], city, START, END) == {rolled.code: 2}
    got = reading.breakdown(rolled, city, START, END)
    assert dict((c.code, v) for c, v in got.children)["540104"] == 1
    assert [v for _m, v in got.months] == [1, 1, 0]


def test_the_ledgers_rows_add_up_to_the_figures_of_its_rollups(record, unit, monkeypatch):
    record("540102001", date=JULY, sessions=3)
    record("540102001", kind="film", date=JULY, sessions=2, participants=40)
    city = unit("540100")
    codes = ["study.sessions", "film.sessions", "film.participants"]
    from_rollups = reading.values(codes, city, START, END)
    from_rows = {c: Indicator.value(BY_CODE[c], city, START, END) for c in codes}  # the rows' sum
    assert from_rows == from_rollups == {"study.sessions": 3, "film.sessions": 2, "film.participants": 40}
    monkeypatch.setattr(catalogue, "_ROLLUPS", {})
    assert catalogue.rollup_of(BY_CODE["study.sessions"]) is None
    assert reading.values(codes, city, START, END) == from_rollups  # each through its own value
