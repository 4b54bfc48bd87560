"""The figures of seed sections 2 and 3 (and the pairings of section 4) as indicators over
the ledger. Each is a family of kinds, a count field and, where the seed asks, a filter on
venue kind, language or trained group. They are answered from the rollups
(``ledger.selectors.answer``, which ``ROLLUPS`` names for the figures app, so that it reads
them all in one pass); drill-downs read the rows."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db import DEFAULT_DB_ALIAS
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from campaigns.indicators import (
    Column,
    Indicator,
    Number,
    Part,
    Section,
    Source,
    State,
    Tallied,
    TalliedCount,
    declared,
    declared_tallies,
    percent,
)
from campaigns.models import Tally
from campaigns.tallies import answer as tallied_answer
from ledger import reach
from ledger.choices import VenueKind
from ledger.models import Activity, DefinedIndicator
from ledger.selectors import answer
from orgs.models import Unit


def _measure_cell(name: str):
    return lambda row: getattr(row, name)


@dataclass
class LedgerIndicator(Indicator):
    """A sum of one count field (``measure_field``) over the activities of some families,
    optionally narrowed by venue kind, language, outlet level or trained group. Answered
    from the ledger's rollups (``ledger.selectors.answer``), one indicator at a time here,
    many at once by the figures app; summing ``measure_field`` over ``rows`` gives the same."""

    families: tuple[str, ...] = ()
    measure_field: str = "sessions"
    filters: dict[str, str] = field(default_factory=dict)

    def condition(self, kind_ids: dict[str, list[int]] | None = None) -> Q:
        """Which rows count, as a filter valid on both activities and rollups. Given the
        kinds of each family (``kind_ids``), it tests the kind column itself, sparing the
        database a join per row."""
        if kind_ids is not None:
            return Q(kind_id__in=self.kind_pks(kind_ids) or [0], **self.filters)
        return Q(kind__family__in=self.families, **self.filters)

    def kind_pks(self, kind_ids: dict[str, list[int]]) -> list[int]:
        """The kinds whose rows count, given the kinds of each family."""
        return [pk for f in self.families for pk in kind_ids.get(f, [])]

    def value(self, unit: Unit, start: datetime.date, end: datetime.date) -> Number:
        return answer(unit, start, end, [self], by_children=False, by_month=False).total[self.code]

    def by_children(self, unit: Unit, start: datetime.date, end: datetime.date) -> list[tuple[Unit, Number]]:
        return [(child, v[self.code]) for child, v in answer(unit, start, end, [self], by_month=False).children]

    def by_month(self, unit: Unit, start: datetime.date, end: datetime.date) -> list[tuple[datetime.date, Number]]:
        return [(m, v[self.code]) for m, v in answer(unit, start, end, [self], by_children=False).months]

    def rows(self, unit: Unit, start: datetime.date, end: datetime.date) -> QuerySet:
        return (
            Activity.objects.filter(unit__path__startswith=unit.path, date__gte=start, date__lte=end)
            .filter(self.condition())
            .select_related("unit", "kind")
            .order_by("date", "pk")
        )


def _columns(measure_field: str, label: Any) -> list[Column]:
    return [
        Column(_("Date"), lambda a: a.date),
        Column(_("Unit"), lambda a: a.unit.name),
        Column(_("Kind"), lambda a: a.kind.name),
        Column(pgettext_lazy("ledger", "Title"), lambda a: a.title),
        Column(label, _measure_cell(measure_field)),
    ]


MEASURE_LABELS = {
    "sessions": pgettext_lazy("ledger", "Sessions"),
    "participants": _("Participant-times"),
    "copies": _("Copies"),
}


def _ind(code, section, families, measure_field, zh, bo, en, unit, definition, filters=None):
    """``unit`` and ``definition`` are (zh, bo, en) triples."""
    return LedgerIndicator(
        code=code,
        section=section,
        name={"zh-hans": zh, "bo": bo, "en": en},
        measure={"zh-hans": unit[0], "bo": unit[1], "en": unit[2]},
        definition={"zh-hans": definition[0], "bo": definition[1], "en": definition[2]},
        kind="sum" if measure_field != "sessions" else "count",
        families=tuple(families),
        measure_field=measure_field,
        filters=filters or {},
        row_columns=_columns(measure_field, MEASURE_LABELS[measure_field]),
    )


SESSIONS = ("场次", "ཐེངས་གྲངས།", "sessions")
TIMES = ("人次", "མི་ཐེངས།", "person-times")
PEOPLE = ("人", "མི་གྲངས།", "people")
COPIES = ("份", "པར་གྲངས།", "copies")
BOOKS = ("本", "དེབ།", "copies")
ITEMS = ("个", "གྲངས་ཀ", "items")
REPORTS = ("篇", "སྙན་ཞུ།", "reports")


def _sum_def(what_zh, what_bo, what_en):
    return (f"{what_zh}之和", f"{what_bo}བསྡོམས་འབོར།", f"Sum of {what_en}")


LEARN, LECT, SERVE = Section.LEARNING, Section.LECTURES, Section.SERVING

INDICATORS: list[LedgerIndicator] = [
    _ind(
        "centre_group.study_sessions",
        LEARN,
        ["centre_group"],
        "sessions",
        "理论学习中心组集体学习研讨",
        "ལྟ་གྲུབ་སློབ་སྦྱོང་ལྟེ་བའི་ཚོ་ཆུང་གི་མཉམ་སློབ་དང་གྲོས་བསྡུར།",
        "Centre group collective study and discussion",
        SESSIONS,
        _sum_def(
            "理论学习中心组集体学习的场次",
            "ལྟ་གྲུབ་སློབ་སྦྱོང་ལྟེ་བའི་ཚོ་ཆུང་གི་མཉམ་སློབ་ཐེངས་གྲངས་ཀྱི་",
            "sessions of theory-study centre group study",
        ),
    ),
    _ind(
        "centre_group.leader_contributions",
        LEARN,
        ["centre_group"],
        "participants",
        "地厅级领导交流研讨发言",
        "ས་ཐོག་གི་འགོ་ཁྲིད་ཀྱི་གླེང་མོལ་གླེང་བརྗོད།",
        "Leaders' discussion contributions",
        TIMES,
        _sum_def(
            "中心组学习中的发言人次",
            "ལྟེ་བའི་ཚོ་ཆུང་གི་སློབ་སྦྱོང་ནང་གི་གླེང་བརྗོད་མི་ཐེངས་ཀྱི་",
            "contributions made in centre group study",
        ),
    ),
    _ind(
        "study.sessions",
        LEARN,
        ["study"],
        "sessions",
        "各级党组织集体学习",
        "རིམ་པ་ཁག་གི་ཏང་སྒྲིག་འཛུགས་ཀྱི་མཉམ་སློབ།",
        "Collective study by party organisations",
        SESSIONS,
        _sum_def("集体学习的场次", "མཉམ་སློབ་ཐེངས་གྲངས་ཀྱི་", "collective study sessions"),
    ),
    _ind(
        "study.discussion_contributions",
        LEARN,
        ["discussion"],
        "participants",
        "交流研讨发言",
        "བསམ་ཚུལ་བརྗེ་རེས་གླེང་མོལ།",
        "Discussion contributions",
        TIMES,
        _sum_def("交流研讨的发言人次", "གླེང་མོལ་གྱི་གླེང་བརྗོད་མི་ཐེངས་ཀྱི་", "discussion contributions"),
    ),
    _ind(
        "books.copies",
        LEARN,
        ["books"],
        "copies",
        "购买发放书籍",
        "དཔེ་དེབ་ཉོས་ནས་བགོ་འགྲེམས།",
        "Books bought and handed out",
        BOOKS,
        _sum_def("购买发放书籍的册数", "ཉོས་ནས་བགོ་འགྲེམས་བྱས་པའི་དཔེ་དེབ་ཀྱི་", "copies of books handed out"),
    ),
    _ind(
        "reading_class.sessions",
        LEARN,
        ["reading_class"],
        "sessions",
        "专题读书班",
        "ཆེད་དོན་དཔེ་ཀློག་འཛིན་གྲྭ།",
        "Special reading classes",
        SESSIONS,
        _sum_def("读书班的期数", "དཔེ་ཀློག་འཛིན་གྲྭའི་ཐེངས་གྲངས་ཀྱི་", "reading class sessions"),
    ),
    _ind(
        "reading_class.participants",
        LEARN,
        ["reading_class"],
        "participants",
        "读书班参加人次",
        "དཔེ་ཀློག་འཛིན་གྲྭར་ཞུགས་མི་ཐེངས།",
        "Reading class participants",
        TIMES,
        _sum_def("读书班的参加人次", "དཔེ་ཀློག་འཛིན་གྲྭར་ཞུགས་མི་ཐེངས་ཀྱི་", "reading class participant-times"),
    ),
    _ind(
        "competition.sessions",
        LEARN,
        ["competition"],
        "sessions",
        "党史知识竞赛",
        "ཏང་ལོ་རྒྱུས་ཤེས་བྱའི་འགྲན་བསྡུར།",
        "Party-history knowledge competitions",
        SESSIONS,
        _sum_def("知识竞赛的场次", "འགྲན་བསྡུར་ཐེངས་གྲངས་ཀྱི་", "competition sessions"),
    ),
    _ind(
        "competition.participants",
        LEARN,
        ["competition"],
        "participants",
        "知识竞赛参与人次",
        "འགྲན་བསྡུར་ལ་ཞུགས་མི་ཐེངས།",
        "Competition participants",
        TIMES,
        _sum_def("知识竞赛的参与人次", "འགྲན་བསྡུར་ལ་ཞུགས་མི་ཐེངས་ཀྱི་", "competition participant-times"),
    ),
    _ind(
        "film.sessions",
        LEARN,
        ["film"],
        "sessions",
        "红色电影放映",
        "དམར་པོའི་གློག་བརྙན་འགྲེམས་སྟོན།",
        "Red film screenings",
        SESSIONS,
        _sum_def("红色电影放映的场次", "གློག་བརྙན་འགྲེམས་སྟོན་ཐེངས་གྲངས་ཀྱི་", "film screenings"),
    ),
    _ind(
        "film.participants",
        LEARN,
        ["film"],
        "participants",
        "红色电影观影人次",
        "དམར་པོའི་གློག་བརྙན་ལྟ་མཁན་མི་ཐེངས།",
        "Film audience",
        TIMES,
        _sum_def("观影人次", "གློག་བརྙན་ལྟ་མཁན་མི་ཐེངས་ཀྱི་", "film audience"),
    ),
    _ind(
        "base_visit.sessions",
        LEARN,
        ["base_visit"],
        "sessions",
        "参观红色教育和廉政警示教育基地",
        "དམར་པོ་དང་གཙང་སྲུང་སློབ་གསོའི་རྨང་གཞིར་ལྟ་སྐོར།",
        "Visits to red and integrity education bases",
        SESSIONS,
        _sum_def("参观教育基地的场次", "རྨང་གཞིར་ལྟ་སྐོར་ཐེངས་གྲངས་ཀྱི་", "base visits"),
    ),
    _ind(
        "base_visit.participants",
        LEARN,
        ["base_visit"],
        "participants",
        "参观教育基地人次",
        "སློབ་གསོའི་རྨང་གཞིར་ལྟ་སྐོར་མི་ཐེངས།",
        "Base visitors",
        TIMES,
        _sum_def("参观教育基地的人次", "རྨང་གཞིར་ལྟ་སྐོར་མི་ཐེངས་ཀྱི་", "base visitors"),
    ),
    _ind(
        "training.lecturers",
        LECT,
        ["training"],
        "participants",
        "赴井冈山、延安培训宣讲员",
        "ཅིང་ཀང་ཧྲན་དང་ཡན་ཨན་དུ་ཁྱབ་བསྒྲགས་པ་སྦྱོང་བརྡར།",
        "Lecturers trained at Jinggangshan and Yan'an",
        PEOPLE,
        _sum_def("宣讲员外出培训人数", "ཁྱབ་བསྒྲགས་པ་ཕྱི་ཕྱོགས་སྦྱོང་བརྡར་མི་གྲངས་ཀྱི་", "lecturers trained off site"),
        {"target": "lecturers"},
    ),
    _ind(
        "training.cadres",
        LECT,
        ["training"],
        "participants",
        "选派基层干部赴红色教育基地培训",
        "གཞི་རིམ་ལས་བྱེད་པ་དམར་པོའི་སློབ་གསོ་རྨང་གཞིར་སྦྱོང་བརྡར།",
        "Grassroots cadres trained at red sites",
        PEOPLE,
        _sum_def("基层干部外出培训人数", "གཞི་རིམ་ལས་བྱེད་པ་ཕྱི་ཕྱོགས་སྦྱོང་བརྡར་མི་གྲངས་ཀྱི་", "grassroots cadres trained off site"),
        {"target": "cadres"},
    ),
    _ind(
        "lecture.sessions",
        LECT,
        ["lecture"],
        "sessions",
        "各类宣讲",
        "རིགས་སྣ་ཚོགས་ཀྱི་ཁྱབ་བསྒྲགས།",
        "Lectures of all kinds",
        SESSIONS,
        _sum_def("各类宣讲的场次", "ཁྱབ་བསྒྲགས་ཐེངས་གྲངས་ཀྱི་", "lecture sessions of every format"),
    ),
    _ind(
        "lecture.audience",
        LECT,
        ["lecture"],
        "participants",
        "宣讲受众",
        "ཁྱབ་བསྒྲགས་ཉན་མཁན།",
        "Lecture audience",
        TIMES,
        _sum_def("宣讲受众人次", "ཁྱབ་བསྒྲགས་ཉན་མཁན་མི་ཐེངས་ཀྱི་", "lecture audience"),
    ),
    _ind(
        "materials.bilingual_copies",
        LECT,
        ["materials"],
        "copies",
        "印发藏汉双语宣讲材料",
        "བོད་རྒྱ་ཡིག་གཉིས་ཀྱི་ཁྱབ་བསྒྲགས་ཡིག་ཆ་པར་སྐྲུན།",
        "Bilingual lecture materials printed",
        COPIES,
        _sum_def("藏汉双语宣讲材料的份数", "ཡིག་གཉིས་ཁྱབ་བསྒྲགས་ཡིག་ཆའི་པར་གྲངས་ཀྱི་", "bilingual copies printed"),
        {"language": "bilingual"},
    ),
    _ind(
        "exhibition.sessions",
        LECT,
        ["exhibition"],
        "sessions",
        "党史展馆接待参观团组",
        "ཏང་ལོ་རྒྱུས་འགྲེམས་ཁང་གིས་ལྟ་སྐོར་ཚོ་ཆུང་བསུ་བ།",
        "Exhibition halls: visiting groups received",
        SESSIONS,
        _sum_def("接待参观的批次", "ལྟ་སྐོར་ཚོ་ཆུང་གི་ཐེངས་གྲངས་ཀྱི་", "visiting groups received"),
    ),
    _ind(
        "exhibition.visitors",
        LECT,
        ["exhibition"],
        "participants",
        "党史展馆参观人次",
        "ཏང་ལོ་རྒྱུས་འགྲེམས་ཁང་ལྟ་སྐོར་མི་ཐེངས།",
        "Exhibition hall visitors",
        TIMES,
        _sum_def("展馆参观人次", "འགྲེམས་ཁང་ལྟ་སྐོར་མི་ཐེངས་ཀྱི་", "exhibition visitors"),
    ),
    _ind(
        "micro_lesson.count",
        LECT,
        ["micro_lesson"],
        "sessions",
        "微党课、微宣讲、小案例",
        "ཏང་གི་སློབ་ཚན་ཆུང་ཆུང་དང་ཁྱབ་བསྒྲགས་ཆུང་ཆུང་། དཔེ་མཚོན་ཆུང་ཆུང་།",
        "Micro-lessons, micro-lectures and small cases",
        ITEMS,
        _sum_def("微党课、微宣讲、小案例的个数", "སློབ་ཚན་ཆུང་ཆུང་གི་གྲངས་ཀྱི་", "micro-lessons, micro-lectures and cases"),
    ),
    _ind(
        "news.reports",
        LECT,
        ["news"],
        "sessions",
        "中央、区、市媒体新闻报道",
        "ཀྲུང་དབྱང་དང་ལྗོངས། གྲོང་ཁྱེར་གྱི་བརྒྱུད་ལམ་དུ་གསར་འགྱུར་སྙན་ཞུ།",
        "News reports in central, regional and city media",
        REPORTS,
        _sum_def("新闻报道篇数", "གསར་འགྱུར་སྙན་ཞུའི་", "news reports"),
    ),
    _ind(
        "pairing.sessions",
        SERVE,
        ["pairing"],
        "sessions",
        "结对共建主题党日和志愿服务",
        "ཆ་སྒྲིག་མཉམ་འཛུགས་ཀྱི་ཏང་ཉིན་དང་རང་འཐད་ཞབས་ཞུ།",
        "Pairing theme days and volunteering",
        SESSIONS,
        _sum_def("结对共建活动场次", "ཆ་སྒྲིག་མཉམ་འཛུགས་ཐེངས་གྲངས་ཀྱི་", "pairing activities"),
    ),
    _ind(
        "pairing.participants",
        SERVE,
        ["pairing"],
        "participants",
        "结对共建党员参与人次",
        "ཆ་སྒྲིག་མཉམ་འཛུགས་ལ་ཏང་ཡོན་ཞུགས་མི་ཐེངས།",
        "Pairing member participants",
        TIMES,
        _sum_def("结对共建党员参与人次", "ཏང་ཡོན་ཞུགས་མི་ཐེངས་ཀྱི་", "members' participant-times in pairings"),
    ),
]

VENUE_NAMES = {
    VenueKind.OFFICES: ("进机关", "ལས་ཁུངས་སུ།", "offices"),
    VenueKind.VILLAGES: ("进农村", "གྲོང་གསེབ་ཏུ།", "villages"),
    VenueKind.ENTERPRISES: ("进企业", "ཁེ་ལས་སུ།", "enterprises"),
    VenueKind.SCHOOLS: ("进学校", "སློབ་གྲྭར།", "schools"),
    VenueKind.COMMUNITIES: ("进社区", "སྡོད་ཁུལ་དུ།", "communities"),
    VenueKind.BARRACKS: ("进军营", "དམག་སྒར་དུ།", "barracks"),
    VenueKind.MONASTERIES: ("进寺庙", "དགོན་སྡེར།", "monasteries"),
}
for venue, (v_zh, v_bo, v_en) in VENUE_NAMES.items():
    INDICATORS.append(
        _ind(f"lecture.sessions.{venue.value}", LECT, ["lecture"], "sessions",
             f"宣讲{v_zh}", f"ཁྱབ་བསྒྲགས་{v_bo}", f"Lectures in {v_en}", SESSIONS,
             _sum_def(f"{v_zh}宣讲的场次", f"{v_bo}ཁྱབ་བསྒྲགས་ཐེངས་གྲངས་ཀྱི་", f"lectures held in {v_en}"),
             {"venue_kind": venue.value})
    )  # fmt: skip

BY_CODE = {i.code: i for i in INDICATORS}


# --- indicators the office defines in the page (``ledger.models.DefinedIndicator``) ----------


@dataclass
class DefinedLedgerIndicator(LedgerIndicator):
    """A defined indicator over chosen kinds (rather than families): answered from the same
    rollups as every ``LedgerIndicator``."""

    kinds: tuple[int, ...] = ()

    def kind_pks(self, kind_ids: dict[str, list[int]]) -> list[int]:
        return list(self.kinds)

    def condition(self, kind_ids: dict[str, list[int]] | None = None) -> Q:
        return Q(kind_id__in=list(self.kinds) or [0], **self.filters)


@dataclass
class DefinedTallied(TalliedCount):
    """A defined indicator over records the tallies count (concerns, meetings, quiz
    attempts ...): the number of records (``n``) or the sum of their values (``total``) in
    the chosen states of the source, answered from the tallies (``campaigns.tallies``) as
    every declared tallied indicator is. States add up: a record in two chosen states counts
    twice. Its rows are the tallies of the unit itself (its subtree's, per day and state)."""

    source: str = ""
    states: tuple[State, ...] = ()
    summed: str = "n"

    def __post_init__(self) -> None:
        # The drill-down lists tallies, not records of units: no "own level" rows.
        self.drill = self.tally_rows

    def from_tally(self, got: dict[str, Any]) -> Number:
        return sum(got.values())

    def value(self, unit: Unit, start: datetime.date, end: datetime.date) -> Number:
        return tallied_answer(unit, start, end, [self], by_children=False, by_month=False).total[self.code]

    def by_children(self, unit: Unit, start: datetime.date, end: datetime.date) -> list[tuple[Unit, Number]]:
        return [(c, v[self.code]) for c, v in tallied_answer(unit, start, end, [self], by_month=False).children]

    def by_month(self, unit: Unit, start: datetime.date, end: datetime.date) -> list[tuple[datetime.date, Number]]:
        return [(m, v[self.code]) for m, v in tallied_answer(unit, start, end, [self], by_children=False).months]

    def tally_rows(self, unit: Unit, start: datetime.date, end: datetime.date) -> QuerySet:
        return Tally.objects.filter(
            unit=unit, source=self.source, key__in=sorted({s.key for s in self.states}), day__gte=start, day__lte=end
        ).order_by("day", "key", "pk")

    def rows(self, unit: Unit, start: datetime.date, end: datetime.date) -> QuerySet:
        return self.tally_rows(unit, start, end)


@dataclass
class DefinedReach(DefinedTallied):
    """A defined indicator counting the distinct units of the subtree that recorded at least
    one activity of its kinds (and filters) in the range: answered from the tallies of
    ``ledger.reach`` (``ledger.reach``), a distinct count kept in every write's transaction.
    Each unit counts in its own subtree only, so the figure adds up over child units (the
    unit itself counting 0 or 1), though not over months (a unit reached in two months
    counts once in the range); its facts are the tallies of each unit reached, at that unit
    (one a day). Its rows are the activities that count."""

    kinds: tuple[int, ...] = ()
    filters: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.facts = self.reached
        self.path_field = "unit__path"
        self.date_field = "day"
        self.drill = self.activities

    def summable(self) -> bool:
        return True  # over child units (the units partition the subtree)

    def measures(self, start: datetime.date, end: datetime.date) -> dict[str, Any]:
        return {"n": Count("unit", distinct=True)}

    def figure(self, got: dict[str, Any]) -> Number:
        return got.get("n") or 0

    def reached(self, unit: Unit, start: datetime.date, end: datetime.date) -> QuerySet:
        """The tallies of each unit reached in the subtree, at that unit: a day's activities."""
        return Tally.objects.filter(
            unit__path__startswith=unit.path,
            source=reach.SOURCE_NAME,
            key__startswith=f"{self.tally['units'].keys[0]}#",
            day__gte=start,
            day__lte=end,
        )

    def activities(self, unit: Unit, start: datetime.date, end: datetime.date) -> QuerySet:
        return (
            Activity.objects.filter(unit__path__startswith=unit.path, date__gte=start, date__lte=end)
            .filter(kind_id__in=list(self.kinds) or [0], **self.filters)
            .select_related("unit", "kind")
            .order_by("date", "pk")
        )

    def rows(self, unit: Unit, start: datetime.date, end: datetime.date) -> QuerySet:
        return self.activities(unit, start, end)

    def recount(self, unit: Unit, start: datetime.date, end: datetime.date) -> int:
        """The figure counted from the activities themselves: for a definition not saved yet
        (the form's preview), which has no tallies."""
        return self.activities(unit, start, end).order_by().aggregate(n=Count("unit", distinct=True))["n"]


def _tally_columns(states: tuple[State, ...], total: bool) -> list[Column]:
    names = {s.key: s for s in states}

    def state(row: Any) -> str:
        known = names.get(row.key)
        return known.label if known else row.key

    columns = [
        Column(_("Date"), lambda t: t.day),
        Column(_("State"), state),
        Column(_("Number of records"), lambda t: t.n),
    ]
    if total:
        columns.append(Column(_("Sum of the records' values"), lambda t: t.total))
    return columns


def _answer_any(
    unit: Unit, start: datetime.date, end: datetime.date, parts: list[Indicator], **kwargs: Any
) -> tuple[dict[str, Number], list[tuple[Unit, dict[str, Number]]], list[tuple[datetime.date, dict[str, Number]]]]:
    """The figures of ledger and tallied indicators together: each kind from its own
    rollups, merged by code (per child, per month)."""
    ledger = [p for p in parts if isinstance(p, LedgerIndicator)]
    tallied = [p for p in parts if isinstance(p, Tallied)]
    total: dict[str, Number] = {}
    children: dict[int, tuple[Unit, dict[str, Number]]] = {}
    by_month: dict[datetime.date, dict[str, Number]] = {}
    for answered in (
        answer(unit, start, end, ledger, **kwargs) if ledger else None,
        tallied_answer(unit, start, end, tallied, **kwargs) if tallied else None,
    ):
        if answered is None:
            continue
        total.update(answered.total)
        for child, values in answered.children:
            children.setdefault(child.pk, (child, {}))[1].update(values)
        for month, values in answered.months:
            by_month.setdefault(month, {}).update(values)
    return total, list(children.values()), sorted(by_month.items())


@dataclass
class LedgerRate(Indicator):
    """A defined percentage of two indicators, each a count or a sum of the ledger's rollups
    or of the tallies, read from them; its rows are the denominator's."""

    numerator: Indicator | None = None
    denominator: Indicator | None = None

    def _parts(self) -> list[Indicator]:
        assert self.numerator is not None and self.denominator is not None
        return [self.numerator, self.denominator]

    def _rate(self, got: dict[str, Number]) -> Number:
        num, den = self._parts()
        return percent(int(got[num.code]), int(got[den.code]))

    def value(self, unit: Unit, start: datetime.date, end: datetime.date) -> Number:
        return self._rate(_answer_any(unit, start, end, self._parts(), by_children=False, by_month=False)[0])

    def by_children(self, unit: Unit, start: datetime.date, end: datetime.date) -> list[tuple[Unit, Number]]:
        return [(c, self._rate(v)) for c, v in _answer_any(unit, start, end, self._parts(), by_month=False)[1]]

    def by_month(self, unit: Unit, start: datetime.date, end: datetime.date) -> list[tuple[datetime.date, Number]]:
        return [(m, self._rate(v)) for m, v in _answer_any(unit, start, end, self._parts(), by_children=False)[2]]

    def rows(self, unit: Unit, start: datetime.date, end: datetime.date) -> QuerySet:
        return self._parts()[1].rows(unit, start, end)


def tally_sources() -> dict[str, Source]:
    """The kinds of record counted in the tallies that the office may define indicators over."""
    return {s.name: s for s in declared_tallies() if s.names}


def _texts(row: Any, stem: str) -> dict[str, str]:
    return {"zh-hans": getattr(row, f"{stem}_zh"), "bo": getattr(row, f"{stem}_bo"), "en": getattr(row, f"{stem}_en")}


FILTER_FIELDS = ("venue_kind", "language", "outlet_level", "target")


def build(
    row: DefinedIndicator, kind_pks: list[int] | None = None, known: dict[str, Indicator] | None = None
) -> Indicator:
    """The indicator a definition stands for (saved or not: the preview builds one from the
    form). ``kind_pks`` are its kinds (read from the row when not given); ``known`` maps the
    codes a rate may name to their indicators."""
    common = {
        "code": row.code,
        "section": row.section,
        "name": _texts(row, "name"),
        "measure": _texts(row, "measure"),
        "definition": _texts(row, "definition"),
        "version": row.version,
    }
    if row.measure == DefinedIndicator.Measure.RATE:
        known = known if known is not None else {}
        numerator, denominator = known[row.numerator], known[row.denominator]
        # A change of either part changes the rate: its version rises with theirs.
        common["version"] = row.version + numerator.version - 1 + denominator.version - 1
        return LedgerRate(
            **common,
            kind="rate",
            numerator=numerator,
            denominator=denominator,
        )
    if row.source != DefinedIndicator.LEDGER:
        source = tally_sources()[row.source]
        states = tuple(st for st in (source.state(k) for k in row.keys or []) if st is not None)
        states = states or source.states[:1] or (State("all", ("", "", "")),)
        summed = "total" if row.measure == DefinedIndicator.Measure.TOTAL else "n"
        return DefinedTallied(
            **common,
            kind="sum" if summed == "total" else "count",
            source=source.name,
            states=states,
            summed=summed,
            tally={f"s{n}": Part(source.name, (st.key,), summed, st.when) for n, st in enumerate(states)},
            row_columns=_tally_columns(states, summed == "total"),
        )
    if kind_pks is None:
        kind_pks = sorted(row.kinds.values_list("pk", flat=True))
    if row.measure == DefinedIndicator.Measure.REACH:
        return DefinedReach(
            **common,
            kind="count",
            source=reach.SOURCE_NAME,
            kinds=tuple(kind_pks),
            filters={f: getattr(row, f) for f in FILTER_FIELDS if getattr(row, f)},
            tally={"units": Part(reach.SOURCE_NAME, (reach.key_of(row.pk),), when="first")},
            row_columns=_columns("sessions", MEASURE_LABELS["sessions"]),
        )
    shown = row.measure if row.measure != "rows" else "sessions"
    return DefinedLedgerIndicator(
        **common,
        kind="count" if row.measure in ("sessions", "rows") else "sum",
        measure_field=row.measure,
        filters={f: getattr(row, f) for f in FILTER_FIELDS if getattr(row, f)},
        kinds=tuple(kind_pks),
        row_columns=_columns(shown, MEASURE_LABELS[shown]),
    )


def summed_by_code() -> dict[str, Indicator]:
    """Every indicator a rate may name: the declared ledger indicators, the counts and sums
    answered from the tallies, and the defined counts and sums."""
    out: dict[str, Indicator] = dict(BY_CODE)
    out.update((i.code, i) for i in declared() if isinstance(i, Tallied) and i.kind in ("count", "sum"))
    rows = DefinedIndicator.objects.exclude(measure=DefinedIndicator.Measure.RATE).prefetch_related("kinds")
    for row in rows:
        built = _built(row)
        if built is not None:
            out[row.code] = built
    return out


def _built(row: DefinedIndicator) -> Indicator | None:
    """A saved count or sum, or None when its kind of record is no longer declared."""
    if row.source != DefinedIndicator.LEDGER and row.source not in tally_sources():
        return None
    return build(row, sorted(k.pk for k in row.kinds.all()))


def defined() -> list[Indicator]:
    """The indicators the office has defined, built from their rows (two queries). Read from
    the primary database: the catalogue keeps what it reads until the next change, so a
    standby that lags behind must not answer."""
    rows = list(DefinedIndicator.objects.using(DEFAULT_DB_ALIAS).prefetch_related("kinds"))
    if not rows:
        return []
    known: dict[str, Indicator] = dict(BY_CODE)
    known.update((i.code, i) for i in declared() if isinstance(i, Tallied) and i.kind in ("count", "sum"))
    out: list[Indicator] = []
    for row in rows:
        if row.measure != DefinedIndicator.Measure.RATE:
            built = _built(row)
            if built is not None:
                known[row.code] = built
                out.append(built)
    for row in rows:
        if row.measure == DefinedIndicator.Measure.RATE and row.numerator in known and row.denominator in known:
            out.append(build(row, known=known))
    return out


# The tallies the ledger keeps: the units each defined "units reached" indicator reached.
TALLIES = [reach.SOURCE]

# How the figures app answers these indicators: from the rollups, many at once.
ROLLUPS = {LedgerIndicator: "ledger.selectors.answer"}
# The indicators defined as data, read by the figures app whenever they change.
DEFINED = "ledger.indicators.defined"
