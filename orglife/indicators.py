"""Indicators of organisational life (seed section 5) and of the supervision groups' work
(section 1), listed in ``INDICATORS`` for the figures app's catalogue.

The tables behind them are large (the Lhasa demo holds some 120,000 findings and as many
measures), so ``value``, ``by_children`` and ``by_month`` are each one aggregate query
(``CountIndicator`` and ``RateIndicator``, read by the figures app): a prefix filter on the unit path,
grouped by the child's path prefix or by month. The four figures of the measures are
answered together by one query over the measures' covering index.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN

from django.db.models import Exists, Model, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from campaigns.choices import CampaignStatus
from campaigns.indicators import (
    NEVER,
    Column,
    CountIndicator,
    Fact,
    Facts,
    Indicator,
    Number,
    Part,
    RateIndicator,
    Section,
    Source,
    State,
    TalliedCount,
)
from campaigns.models import SupervisionGroup
from orglife.models import Finding, Inspection, Measure, Meeting, MeetingNotice, Talk
from orglife.selectors import overdue_q, today
from orgs.models import Unit


# --- rows ---------------------------------------------------------------------------------
def _dated(model: type[Model], date_field: str = "date") -> Facts:
    """The rows of ``model`` in a unit's subtree dated in the range."""

    def facts(unit: Unit, start: datetime.date, end: datetime.date) -> QuerySet:
        return model.objects.filter(unit__path__startswith=unit.path, **{f"{date_field}__range": (start, end)})

    return facts


meetings = _dated(Meeting)
talks = _dated(Talk)
findings = _dated(Finding)
measures = _dated(Measure, "set_on")
inspections = _dated(Inspection)


# --- completeness of the meetings ---------------------------------------------------------
def _notices(unit: Unit, start: datetime.date, end: datetime.date) -> list[MeetingNotice]:
    """Notices whose window overlaps the period and whose subtree overlaps the unit's."""
    ancestors = unit.ancestor_paths()
    return list(
        MeetingNotice.objects.filter(window_from__lte=end, window_to__gte=start)
        .filter(Q(root_unit__path__in=ancestors) | Q(root_unit__path__startswith=unit.path))
        .select_related("root_unit")
    )


def _expected_q(notices: list[MeetingNotice]) -> Q:
    q = Q(pk__in=[])
    for n in notices:
        q |= Q(path__startswith=n.root_unit.path, kind__in=n.expected_kinds)
    return q


def expected_units(unit: Unit, start: datetime.date, end: datetime.date) -> QuerySet[Unit]:
    """Active party organisations in the subtree that a notice of the period expects to meet,
    each once, annotated with ``held``: whether it recorded a meeting for one of those
    notices by the end of the period."""
    notices = _notices(unit, start, end)
    held = Exists(Meeting.objects.filter(unit=OuterRef("pk"), notice__in=notices, date__lte=end))
    return (
        Unit.objects.filter(path__startswith=unit.path, active=True)
        .filter(_expected_q(notices))
        .annotate(held=held)
        .order_by("path")
    )


# --- supervision groups -------------------------------------------------------------------
@dataclass
class Groups(Indicator):
    """Groups of campaigns overlapping the period that cover the unit, a unit above it or a
    unit below it."""

    def rows(self, unit: Unit, start: datetime.date, end: datetime.date) -> QuerySet:
        ids = (
            SupervisionGroup.objects.filter(campaign__start__lte=end, campaign__end__gte=start)
            .exclude(campaign__status=CampaignStatus.CLOSED)
            .filter(Q(units__path__in=unit.ancestor_paths()) | Q(units__path__startswith=unit.path))
            .values("pk")
        )
        return SupervisionGroup.objects.filter(pk__in=ids).select_related("head", "campaign").order_by("number")

    def value(self, unit: Unit, start: datetime.date, end: datetime.date) -> Number:
        return self.rows(unit, start, end).count()


def units_inspected(unit: Unit, start: datetime.date, end: datetime.date) -> QuerySet:
    return Unit.objects.filter(pk__in=inspections(unit, start, end).values("unit_id")).order_by("path")


def _t(zh: str, bo: str, en: str) -> dict[str, str]:
    return {"zh-hans": zh, "bo": bo, "en": en}


TIMES = _t("次", "ཐེངས།", "times")
ITEMS = _t("个", "རྣམ་གྲངས།", "items")
UNITS = _t("个", "སྡེ་ཁག", "units")
PERCENT = _t("%", "བརྒྱ་ཆ།", "%")
MEETINGS = _t("场", "ཐེངས།", "meetings")

_DATE = Column(_("Date"), lambda r: r.date)
_UNIT = Column(_("Unit"), lambda r: r.unit.name)
_CODE = Column(pgettext_lazy("orglife", "Code"), lambda r: r.code)
_NAME = Column(_("Name"), lambda r: r.name)

INDICATORS: list[Indicator] = [
    TalliedCount(
        code="orglife.meetings",
        section=Section.ORGLIFE,
        name=_t("专题组织生活会", "ཆེད་དོན་སྒྲིག་འཛུགས་འཚོ་བའི་ཚོགས་འདུ།", "Organisational-life meetings"),
        measure=MEETINGS,
        definition=_t(
            "期内召开并登记的专题组织生活会场数（每个党组织每个通知一场）。",
            "དུས་ཚིགས་འདིའི་ནང་འཚོགས་པའི་ཆེད་དོན་སྒྲིག་འཛུགས་འཚོ་བའི་ཚོགས་འདུའི་ཐེངས་གྲངས། (ཏང་སྒྲིག་རེ་རེས་བརྡ་ཐོ་རེ་རེར་ཐེངས་གཅིག)",
            "Meetings held in the period and recorded (one per party organisation and notice).",
        ),
        tally={"n": Part("orglife.meeting")},
        facts=meetings,
        related=("unit",),
        ordering=("-date", "-pk"),
        row_columns=[_DATE, _UNIT, Column(_("Place"), lambda r: r.place)],
    ),
    CountIndicator(
        code="orglife.expected",
        section=Section.ORGLIFE,
        name=_t("应召开组织生活会的党组织", "ཚོགས་འདུ་འཚོགས་དགོས་པའི་ཏང་སྒྲིག", "Party organisations expected to meet"),
        measure=UNITS,
        definition=_t(
            "期内有效通知所要求类别的在册党组织数（已撤销的不计）。",
            "དུས་ཚིགས་འདིའི་བརྡ་ཐོས་བླང་བྱ་བཏོན་པའི་རིགས་ཀྱི་ཏང་སྒྲིག་གི་གྲངས། (མེད་པར་བཟོས་པ་མི་རྩི།)",
            "Active party organisations of the kinds a notice of the period calls to meet (closed ones do not count).",
        ),
        facts=expected_units,
        path_field="path",
        date_field="",
        row_columns=[_CODE, _NAME, Column(_("Held"), lambda r: r.held)],
    ),
    RateIndicator(
        code="orglife.completeness",
        section=Section.ORGLIFE,
        kind="rate",
        name=_t("组织生活会召开率", "ཚོགས་འདུ་འཚོགས་པའི་བརྒྱ་ཆ།", "Meetings held, rate"),
        measure=PERCENT,
        definition=_t(
            "已召开的应召开党组织数 ÷ 应召开党组织数 × 100，不超过100%。",
            "ཚོགས་འདུ་འཚོགས་ཟིན་པའི་ཏང་སྒྲིག་གི་གྲངས་ ÷ འཚོགས་དགོས་པའི་ཏང་སྒྲིག་གི་གྲངས་ × ༡༠༠",
            "Expected organisations that held their meeting ÷ expected organisations × 100; never above 100%.",
        ),
        facts=expected_units,
        path_field="path",
        date_field="",
        numerator=Q(held=True),
        rounding=ROUND_HALF_EVEN,
        row_columns=[_CODE, _NAME, Column(_("Held"), lambda r: r.held)],
    ),
    TalliedCount(
        code="orglife.talks",
        section=Section.ORGLIFE,
        name=_t("谈心谈话", "སེམས་ཀྱི་གླེང་མོལ།", "Heart-to-heart talks"),
        measure=TIMES,
        definition=_t(
            "期内登记的谈心谈话次数（每两人一次为一条）。",
            "དུས་ཚིགས་འདིའི་ནང་ཐོ་འགོད་བྱས་པའི་སེམས་ཀྱི་གླེང་མོལ་གྱི་ཐེངས་གྲངས།",
            "Heart-to-heart talks recorded in the period, one per pair of people and day.",
        ),
        tally={"n": Part("orglife.talk")},
        facts=talks,
        related=("unit",),
        ordering=("-date", "-pk"),
        row_columns=[_DATE, _UNIT, Column(_("Talked"), lambda r: r.name_a), Column(_("With"), lambda r: r.name_b)],
    ),
    TalliedCount(
        code="orglife.findings",
        section=Section.ORGLIFE,
        name=_t("检视问题", "ཞིབ་བཤེར་བྱས་པའི་གནད་དོན།", "Problems found"),
        measure=ITEMS,
        definition=_t(
            "期内通过组织生活会、谈心谈话、自我检视和督导检查查摆出的问题数。",
            "དུས་ཚིགས་འདིའི་ནང་ཚོགས་འདུ། གླེང་མོལ། རང་ཞིབ། ལྟ་སྐུལ་བཅས་ནས་རྙེད་པའི་གནད་དོན་གྱི་གྲངས།",
            "Problems found in the period in meetings, talks, self-examination and inspections.",
        ),
        tally={"n": Part("orglife.finding")},
        facts=findings,
        related=("unit", "category"),
        ordering=("-date", "-pk"),
        row_columns=[
            _DATE,
            _UNIT,
            Column(pgettext_lazy("orglife", "Category"), lambda r: r.category.name),
            Column(_("Problem"), lambda r: r.text),
        ],
    ),
]

_MEASURE_COLUMNS = [
    Column(_("Set on"), lambda r: r.set_on),
    _UNIT,
    Column(_("Measure"), lambda r: r.text),
    Column(_("Deadline"), lambda r: r.deadline),
    Column(_("Status"), lambda r: r.get_status_display()),
]


def _measures(code: str, name: dict, definition: dict, part: Part, where=None) -> TalliedCount:
    return TalliedCount(
        code=code,
        section=Section.ORGLIFE,
        name=name,
        measure=ITEMS,
        definition=definition,
        facts=measures,
        date_field="set_on",
        where=where,
        tally={"n": part},
        related=("unit",),
        ordering=("-set_on", "-pk"),
        row_columns=_MEASURE_COLUMNS,
    )


INDICATORS += [
    _measures(
        "orglife.measures",
        _t("整改措施", "ལེགས་བཅོས་ཀྱི་ཐབས་ཇུས།", "Rectification measures"),
        _t(
            "期内检视问题所定的整改措施数。",
            "དུས་ཚིགས་འདིའི་གནད་དོན་ལ་གཏན་འཁེལ་བྱས་པའི་ལེགས་བཅོས་ཐབས་ཇུས་ཀྱི་གྲངས།",
            "Measures set in the period for the problems found.",
        ),
        Part("orglife.measure", ("set",)),
    ),
    _measures(
        "orglife.measures_done",
        _t("已完成整改措施", "ལེགས་གྲུབ་པའི་ལེགས་བཅོས་ཐབས་ཇུས།", "Measures done"),
        _t(
            "期内所定、截至期末已报完成（附佐证）的整改措施数。",
            "དུས་ཚིགས་འདིའི་ནང་གཏན་འཁེལ་བྱས་ཤིང་དུས་མཇུག་བར་ར་སྤྲོད་དང་བཅས་ལེགས་གྲུབ་པའི་ཐབས་ཇུས།",
            "Measures set in the period and reported done, with evidence, by its end.",
        ),
        Part("orglife.measure", ("done",), when="by_end"),
        lambda s, e: Q(done_on__lte=e),
    ),
    _measures(
        "orglife.measures_verified",
        _t("已验收整改措施", "ར་སྤྲོད་ཚད་ལོངས་བྱས་པའི་ལེགས་བཅོས་ཐབས་ཇུས།", "Measures verified"),
        _t(
            "期内所定、截至期末已由督导组验收（含已销号）的整改措施数。",
            "དུས་ཚིགས་འདིའི་ནང་གཏན་འཁེལ་བྱས་ཤིང་དུས་མཇུག་བར་ལྟ་སྐུལ་ཚོ་ཆུང་གིས་ཚད་ལོངས་བྱས་པའི་ཐབས་ཇུས།",
            "Measures set in the period and verified by a supervision group (closed ones included) by its end.",
        ),
        Part("orglife.measure", ("verified",), when="by_end"),
        lambda s, e: Q(verified_on__lte=e),
    ),
    _measures(
        "orglife.measures_overdue",
        _t("逾期未完成整改措施", "དུས་ཡོལ་ནས་མ་གྲུབ་པའི་ལེགས་བཅོས་ཐབས་ཇུས།", "Measures overdue"),
        _t(
            "期内所定、截至期末（或今天）已过时限仍未完成的整改措施数。",
            "དུས་ཚིགས་འདིའི་ནང་གཏན་འཁེལ་བྱས་ཤིང་དུས་མཇུག་བར་དུས་ཚོད་ཡོལ་ཡང་མ་གྲུབ་པའི་ཐབས་ཇུས།",
            "Measures set in the period that are past their deadline and not done at its end (or today).",
        ),
        Part("orglife.measure", ("late",), when="overdue"),
        lambda s, e: overdue_q(min(e, today())),
    ),
    Groups(
        code="supervision.groups",
        section=Section.SUPERVISION,
        name=_t("督导组", "ལྟ་སྐུལ་ཚོ་ཆུང་།", "Supervision groups"),
        measure=_t("个", "ཚོ་ཆུང་།", "groups"),
        definition=_t(
            "期内负责督导本单位（或其上级、下级单位）的综合指导督导组数。",
            "དུས་ཚིགས་འདིའི་ནང་སྡེ་ཁག་འདི་དང་དེའི་འོག་གི་སྡེ་ཁག་ལ་ལྟ་སྐུལ་བྱེད་པའི་ཚོ་ཆུང་གི་གྲངས།",
            "Supervision groups of the period that cover the unit, a unit above it or a unit below it.",
        ),
        row_columns=[Column(_("Group"), lambda r: r.name), Column(_("Head"), lambda r: r.head.name)],
    ),
    CountIndicator(
        code="supervision.units_covered",
        section=Section.SUPERVISION,
        name=_t("督导覆盖单位", "ལྟ་སྐུལ་ཁྱབ་པའི་སྡེ་ཁག", "Units inspected"),
        measure=UNITS,
        definition=_t(
            "期内督导组至少检查过一次的单位数。",
            "དུས་ཚིགས་འདིའི་ནང་ལྟ་སྐུལ་ཚོ་ཆུང་གིས་ཉུང་མཐར་ཐེངས་གཅིག་ཞིབ་བཤེར་བྱས་པའི་སྡེ་ཁག་གི་གྲངས།",
            "Units a supervision group inspected at least once in the period.",
        ),
        facts=inspections,
        counted="unit_id",
        distinct=True,
        drill=units_inspected,
        row_columns=[_CODE, _NAME],
    ),
    TalliedCount(
        code="supervision.inspections",
        section=Section.SUPERVISION,
        name=_t("督导检查", "ལྟ་སྐུལ་ཞིབ་བཤེར།", "Inspections"),
        measure=TIMES,
        definition=_t(
            "期内督导组到所联系单位开展检查的次数。",
            "དུས་ཚིགས་འདིའི་ནང་ལྟ་སྐུལ་ཚོ་ཆུང་གིས་སྡེ་ཁག་ལ་ཞིབ་བཤེར་བྱས་པའི་ཐེངས་གྲངས།",
            "Visits of supervision groups to the units they cover in the period.",
        ),
        tally={"n": Part("orglife.inspection")},
        facts=inspections,
        related=("unit", "group"),
        ordering=("-date", "-pk"),
        row_columns=[
            _DATE,
            _UNIT,
            Column(_("Group"), lambda r: r.group.name),
            Column(_("Checked"), lambda r: r.checked),
        ],
    ),
]

BY_CODE = {i.code: i for i in INDICATORS}


# --- tallies (campaigns.tallies): what each row counts --------------------------------------
def _dated_fact(row: dict) -> list[Fact]:
    return [Fact(row["unit__path"], row["date"])]


def _measure_facts(row: dict) -> list[Fact]:
    """A measure counts as set on its day, and as done or verified by those days (``until``); one
    that is not done or done after its deadline may be overdue on a day: past ``due`` and
    before ``until``. (One done by its deadline never is.)"""
    path, day, done = row["unit__path"], row["set_on"], row["done_on"] or NEVER
    out = [Fact(path, day, "set")]
    if row["done_on"] is not None:
        out.append(Fact(path, day, "done", until=done))
    if row["verified_on"] is not None:
        out.append(Fact(path, day, "verified", until=row["verified_on"]))
    if done > row["deadline"]:
        out.append(Fact(path, day, "late", until=done, due=row["deadline"]))
    return out


_ALL = State("all", ("全部", "ཡོངས་རྫོགས།", "all"))
TALLIES = [
    Source(
        "orglife.meeting",
        Meeting,
        ("unit__path", "date"),
        _dated_fact,
        names=("组织生活会", "སྒྲིག་འཛུགས་འཚོ་བའི་ཚོགས་འདུ།", "organisational-life meetings"),
        states=(_ALL,),
    ),
    Source(
        "orglife.talk",
        Talk,
        ("unit__path", "date"),
        _dated_fact,
        names=("谈心谈话", "སེམས་ཀྱི་གླེང་མོལ།", "heart-to-heart talks"),
        states=(_ALL,),
    ),
    Source(
        "orglife.finding",
        Finding,
        ("unit__path", "date"),
        _dated_fact,
        names=("检视问题", "ཞིབ་བཤེར་བྱས་པའི་གནད་དོན།", "problems found"),
        states=(_ALL,),
    ),
    Source(
        "orglife.inspection",
        Inspection,
        ("unit__path", "date"),
        _dated_fact,
        names=("督导检查", "ལྟ་སྐུལ་ཞིབ་བཤེར།", "inspections"),
        states=(_ALL,),
    ),
    Source(
        "orglife.measure",
        Measure,
        ("unit__path", "set_on", "done_on", "verified_on", "deadline"),
        _measure_facts,
        names=("整改措施", "ལེགས་བཅོས་ཀྱི་ཐབས་ཇུས།", "rectification measures"),
        states=(
            State("set", ("期内制定", "དུས་ཚིགས་ནང་གཏན་འཁེལ་བྱས་པ།", "set in the period"), "set"),
            State("done", ("期末前完成", "དུས་མཇུག་སྔོན་ལ་ལེགས་གྲུབ།", "done by the end"), "done", "by_end"),
            State("verified", ("期末前验收", "དུས་མཇུག་སྔོན་ལ་ཚད་ལོངས་བྱས་པ།", "verified by the end"), "verified", "by_end"),
            State("overdue", ("逾期未完成", "དུས་ཡོལ་ནས་མ་གྲུབ་པ།", "overdue"), "late", "overdue"),
        ),
    ),
]
