"""The figures of seed section 4 (serving the people), defined over visits, concerns and
key items, listed in ``INDICATORS`` for the figures app's catalogue.

Every indicator here is a count or a rate (``CountIndicator`` and ``RateIndicator``) over
one kind of row in a unit's subtree and an inclusive date range; the figures app answers
``by_children`` and ``by_month`` with one grouped query each, and indicators over the same
rows (the concerns collected and their rates) together.
Visits count by the unit visited; concerns by the unit where they arose; key items by the
responsible unit.
"""

from __future__ import annotations

import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from campaigns.indicators import (
    Column,
    CountIndicator,
    Fact,
    Facts,
    Part,
    Section,
    Source,
    State,
    TalliedCount,
    TalliedRate,
)
from concerns.choices import (
    OPEN_STATES,
    RESOLVED_STATES,
    UNRESPONDED_STATES,
    ConcernState,
    KeyItemStatus,
    Satisfaction,
)
from concerns.models import Concern, KeyItem, Visit
from orgs.choices import INSTITUTION_KINDS, Rank, UnitKind
from orgs.models import Person, Unit

# --- facts ----------------------------------------------------------------------------------


def visits(unit: Unit, start: datetime.date, end: datetime.date) -> QuerySet:
    return Visit.objects.filter(unit__path__startswith=unit.path, date__gte=start, date__lte=end)


def collected(unit: Unit, start: datetime.date, end: datetime.date) -> QuerySet:
    """Concerns collected in the subtree and range, each counted once (duplicates left out)."""
    return (
        Concern.objects.filter(unit__path__startswith=unit.path, collected_on__gte=start, collected_on__lte=end)
        .exclude(state=ConcernState.DUPLICATE)
        .select_related("unit", "category", "handling_unit")
    )


def resolved(unit: Unit, start: datetime.date, end: datetime.date) -> QuerySet:
    return Concern.objects.filter(
        unit__path__startswith=unit.path,
        state__in=RESOLVED_STATES,
        resolved_on__gte=start,
        resolved_on__lte=end,
    ).select_related("unit", "category", "handling_unit")


def as_of(end: datetime.date) -> datetime.date:
    return min(end, timezone.localdate())


def overdue_q(day: datetime.date) -> Q:
    """Open concerns past a time limit on ``day``: not yet responded to after the response
    limit, or not resolved after the resolution limit."""
    return Q(state__in=OPEN_STATES) & (
        Q(state__in=UNRESPONDED_STATES, response_due__lt=day) | Q(resolution_due__lt=day)
    )


def key_items(unit: Unit, start: datetime.date, end: datetime.date) -> QuerySet:
    return KeyItem.objects.filter(
        responsible_unit__path__startswith=unit.path, listed_on__gte=start, listed_on__lte=end
    ).select_related("programme", "responsible_unit")


def solved_items(unit: Unit, start: datetime.date, end: datetime.date) -> QuerySet:
    return KeyItem.objects.filter(
        responsible_unit__path__startswith=unit.path,
        status=KeyItemStatus.SOLVED,
        solved_on__gte=start,
        solved_on__lte=end,
    ).select_related("programme", "responsible_unit")


def _people_of_rank(rank: str) -> Facts:
    def drill(unit: Unit, start: datetime.date, end: datetime.date) -> QuerySet:
        ids = visits(unit, start, end).filter(people__rank=rank).values("people")
        return Person.objects.filter(pk__in=ids).select_related("unit").order_by("unit__code", "pk")

    return drill


def _units_of_kind(kinds: tuple[str, ...]) -> Facts:
    def drill(unit: Unit, start: datetime.date, end: datetime.date) -> QuerySet:
        ids = visits(unit, start, end).filter(unit__kind__in=kinds).values("unit")
        return Unit.objects.filter(pk__in=ids).order_by("path")

    return drill


# --- columns --------------------------------------------------------------------------------

VISIT_COLUMNS = [
    Column(_("Date"), lambda v: v.date),
    Column(_("Where"), lambda v: v.unit.name),
    Column(_("Purpose"), lambda v: v.get_purpose_display()),
]
PERSON_COLUMNS = [
    Column(pgettext_lazy("person", "Name"), lambda p: p.name),
    Column(_("Post"), lambda p: p.post),
    Column(_("Unit"), lambda p: p.unit.name),
]
UNIT_COLUMNS = [
    Column(_("Name"), lambda u: u.name),
    Column(_("Unit code"), lambda u: u.code),
    Column(_("Kind"), lambda u: u.get_kind_display()),
]
CONCERN_COLUMNS = [
    Column(_("Number"), lambda c: f"#{c.pk}"),
    Column(_("Collected on"), lambda c: c.collected_on),
    Column(_("Where it arose"), lambda c: c.unit.name),
    Column(_("Category"), lambda c: c.category.name),
    Column(_("State"), lambda c: c.get_state_display()),
    Column(_("Handling unit"), lambda c: c.handling_unit.name if c.handling_unit else ""),
]
ITEM_COLUMNS = [
    Column(_("Key item"), lambda i: i.title),
    Column(_("Programme"), lambda i: i.programme.name),
    Column(_("Responsible unit"), lambda i: i.responsible_unit.name),
    Column(_("Status"), lambda i: i.get_status_display()),
]


def _texts(zh: str, bo: str, en: str) -> dict[str, str]:
    return {"zh-hans": zh, "bo": bo, "en": en}


VISITS_COUNT = TalliedCount(
    code="visits.count",
    section=Section.SERVING,
    name=_texts("调研走访次数", "ཞིབ་འཇུག་ཐེངས་གྲངས།", "Research visits"),
    measure=_texts("次", "ཐེངས།", "visits"),
    definition=_texts(
        "走访日期在期间内、走访单位在本单位及下级的走访记录数；一次走访无论几人同行计一次。",
        "དུས་ཚིགས་ནང་གི་ཚེས་གྲངས་དང་ལས་ཁུངས་འདི་དང་དེའི་འོག་གི་ལས་ཁུངས་དུ་བྱས་པའི་ཞིབ་འཇུག་ཐོ་འགོད་ཀྱི་གྲངས། ཐེངས་གཅིག་ལ་མི་ག་ཚོད་སོང་ཡང་ཐེངས་གཅིག་ཏུ་བརྩི།",
        "Visits dated in the period to a unit in the subtree; one visit counts once however many people went.",
    ),
    tally={"n": Part("concerns.visit")},
    facts=visits,
    row_columns=VISIT_COLUMNS,
)


def _people_indicator(code: str, rank: str, name: dict, definition: dict) -> CountIndicator:
    return CountIndicator(
        code=code,
        section=Section.SERVING,
        name=name,
        measure=_texts("人", "མི།", "people"),
        definition=definition,
        facts=visits,
        counted="people",
        distinct=True,
        alone=True,
        where=lambda start, end: Q(people__rank=rank),
        drill=_people_of_rank(rank),
        row_columns=PERSON_COLUMNS,
    )


VISITS_PREFECTURE = _people_indicator(
    "visits.prefecture_leaders",
    Rank.PREFECTURE,
    _texts("下基层的地级领导", "རྨང་རིམ་དུ་ཕེབས་པའི་ས་ཁུལ་རིམ་པའི་འགོ་ཁྲིད།", "Prefecture-level leaders who went down"),
    _texts(
        "期间内至少参加一次走访（走访单位在本单位及下级）的地级领导人数，按人计，不按次计。",
        "དུས་ཚིགས་ནང་ཉུང་མཐར་ཐེངས་གཅིག་ཞིབ་འཇུག་ལ་ཞུགས་པའི་ས་ཁུལ་རིམ་པའི་འགོ་ཁྲིད་ཀྱི་མི་གྲངས། མི་ལྟར་བརྩི་བ་ལས་ཐེངས་ལྟར་མི་བརྩི།",
        "Distinct prefecture-level people who took part in at least one visit to the subtree in the period (people, not visits).",
    ),
)
VISITS_COUNTY = _people_indicator(
    "visits.county_cadres",
    Rank.COUNTY,
    _texts("下基层的县处级干部", "རྨང་རིམ་དུ་ཕེབས་པའི་རྫོང་རིམ་ལས་བྱེད།", "County-level cadres who went down"),
    _texts(
        "期间内至少参加一次走访（走访单位在本单位及下级）的县处级干部人数，按人计，不按次计。",
        "དུས་ཚིགས་ནང་ཉུང་མཐར་ཐེངས་གཅིག་ཞིབ་འཇུག་ལ་ཞུགས་པའི་རྫོང་རིམ་ལས་བྱེད་ཀྱི་མི་གྲངས། མི་ལྟར་བརྩི་བ་ལས་ཐེངས་ལྟར་མི་བརྩི།",
        "Distinct county/division-level people who took part in at least one visit to the subtree in the period.",
    ),
)


def _reached_indicator(code: str, kinds: tuple[str, ...], name: dict, definition: dict) -> CountIndicator:
    return CountIndicator(
        code=code,
        section=Section.SERVING,
        name=name,
        measure=_texts("个", "གྲངས།", "units"),
        definition=definition,
        facts=visits,
        counted="unit",
        distinct=True,
        where=lambda start, end: Q(unit__kind__in=kinds),
        drill=_units_of_kind(kinds),
        row_columns=UNIT_COLUMNS,
    )


VISITS_TOWNSHIPS = _reached_indicator(
    "visits.townships_reached",
    (UnitKind.TOWNSHIP,),
    _texts("走访的乡镇（街道）", "ཞིབ་འཇུག་བྱས་པའི་ཤང་གྲོང་རྡལ།", "Townships and streets reached"),
    _texts(
        "期间内被走访过的乡镇、街道数（以走访记录的走访单位为准，按单位计）。",
        "དུས་ཚིགས་ནང་ཞིབ་འཇུག་བྱས་པའི་ཤང་དང་གྲོང་རྡལ། ཁྲོམ་གཞུང་གི་གྲངས། ལས་ཁུངས་ལྟར་བརྩི།",
        "Distinct townships and streets that were the place of at least one visit in the period.",
    ),
)
VISITS_VILLAGES = _reached_indicator(
    "visits.villages_reached",
    (UnitKind.VILLAGE,),
    _texts("走访的村（社区）", "ཞིབ་འཇུག་བྱས་པའི་གྲོང་ཚོ་དང་སྡོད་ཁུལ།", "Villages and communities reached"),
    _texts(
        "期间内被走访过的村、社区数（以走访记录的走访单位为准，按单位计）。",
        "དུས་ཚིགས་ནང་ཞིབ་འཇུག་བྱས་པའི་གྲོང་ཚོ་དང་སྡོད་ཁུལ་གྱི་གྲངས། ལས་ཁུངས་ལྟར་བརྩི།",
        "Distinct villages and communities that were the place of at least one visit in the period.",
    ),
)
VISITS_INSTITUTIONS = _reached_indicator(
    "visits.institutions_reached",
    tuple(INSTITUTION_KINDS),
    _texts(
        "走访的学校、寺庙、企业", "ཞིབ་འཇུག་བྱས་པའི་སློབ་གྲྭ་དང་དགོན་པ། ཁེ་ལས།", "Schools, monasteries and enterprises reached"
    ),
    _texts(
        "期间内被走访过的学校、寺庙、企业数（按单位计）。",
        "དུས་ཚིགས་ནང་ཞིབ་འཇུག་བྱས་པའི་སློབ་གྲྭ་དང་དགོན་པ། ཁེ་ལས་ཀྱི་གྲངས། ལས་ཁུངས་ལྟར་བརྩི།",
        "Distinct schools, monasteries and enterprises that were the place of at least one visit in the period.",
    ),
)

CONCERNS_COLLECTED = TalliedCount(
    code="concerns.collected",
    section=Section.SERVING,
    name=_texts("收集问题", "བསྡུས་པའི་གནད་དོན།", "Concerns collected"),
    measure=_texts("个", "གྲངས།", "concerns"),
    definition=_texts(
        "收集日期在期间内、发生地在本单位及下级的问题数；标为重复的问题不计（同一问题只计一次）。",
        "བསྡུ་བའི་ཚེས་གྲངས་དུས་ཚིགས་ནང་ཡོད་པ་དང་། བྱུང་ས་ལས་ཁུངས་འདི་དང་འོག་ཏུ་ཡོད་པའི་གནད་དོན་གྲངས། བསྐྱར་ཟློས་སུ་བཀོད་པ་མི་བརྩི།",
        "Concerns collected in the period that arose in the subtree; duplicates are left out (one problem counts once).",
    ),
    tally={"n": Part("concerns.concern", ("collected",))},
    facts=collected,
    date_field="collected_on",
    row_columns=CONCERN_COLUMNS,
)
CONCERNS_RESOLVED = TalliedCount(
    code="concerns.resolved",
    section=Section.SERVING,
    name=_texts("已办结问题", "ཐག་གཅོད་ཟིན་པའི་གནད་དོན།", "Concerns resolved"),
    measure=_texts("个", "གྲངས།", "concerns"),
    definition=_texts(
        "办结日期在期间内、当前状态为“已办结”或“已回访”的问题数；被重新打开的问题在再次办结前不计，确认无法解决的不计。",
        "ཐག་གཅོད་ཚེས་གྲངས་དུས་ཚིགས་ནང་ཡོད་ཅིང་ད་ལྟའི་གནས་སྟངས་ཐག་གཅོད་ཟིན་པའམ་ཕྱིར་འདྲི་བྱས་ཟིན་པའི་གནད་དོན་གྲངས། བསྐྱར་དུ་ཁ་ཕྱེ་བ་ནི་ཡང་བསྐྱར་ཐག་མ་ཆོད་བར་མི་བརྩི།",
        "Concerns resolved in the period that are now resolved or verified by callback; a reopened concern does not "
        "count until it is resolved again; concerns signed off as not resolvable do not count.",
    ),
    tally={"n": Part("concerns.concern", ("resolved",))},
    facts=resolved,
    date_field="resolved_on",
    row_columns=CONCERN_COLUMNS,
)
CONCERNS_RESPONSE_RATE = TalliedRate(
    code="concerns.response_rate",
    section=Section.SERVING,
    kind="rate",
    name=_texts("问题响应率", "གནད་དོན་ལ་ལན་འདེབས་ཚད།", "Response rate"),
    measure=_texts("%", "%", "%"),
    definition=_texts(
        "分子：期间内收集的问题中，承办单位已响应（已开始办理，或已申报无法解决）的数量；分母：期间内收集的问题（不含重复）。"
        "被退回、重新打开的问题只要曾被响应即计入分子。",
        "བགོས་གྲངས་ནི་དུས་ཚིགས་ནང་བསྡུས་པའི་གནད་དོན་ཁྲོད་ལས་སྒྲུབ་ལས་ཁུངས་གྱིས་ལན་བཏབ་ཟིན་པ། (ལས་ཀ་འགོ་ཚུགས་པའམ་ཐག་གཅོད་མི་ཐུབ་པར་ཞུ་བ་ཕུལ་བ།) "
        "བགོ་གཞི་ནི་དུས་ཚིགས་ནང་བསྡུས་པའི་གནད་དོན། (བསྐྱར་ཟློས་མི་བརྩི།)",
        "Numerator: concerns collected in the period that the handling unit has responded to (taken up, or declared "
        "not resolvable). Denominator: concerns collected in the period, duplicates left out. A returned or reopened "
        "concern that was once taken up stays in the numerator.",
    ),
    tally={"n": Part("concerns.concern", ("responded",)), "d": Part("concerns.concern", ("collected",))},
    facts=collected,
    date_field="collected_on",
    numerator=Q(responded_on__isnull=False),
    row_columns=CONCERN_COLUMNS,
)
CONCERNS_RESOLUTION_RATE = TalliedRate(
    code="concerns.resolution_rate",
    section=Section.SERVING,
    kind="rate",
    name=_texts("问题办结率", "གནད་དོན་ཐག་གཅོད་ཚད།", "Resolution rate"),
    measure=_texts("%", "%", "%"),
    definition=_texts(
        "分子：期间内收集、当前已办结或已回访的问题；分母：期间内收集的问题，不含重复，也不含经学教办签认无法解决的问题。"
        "重新打开的问题计入分母，再次办结前不计入分子。",
        "བགོས་གྲངས་ནི་དུས་ཚིགས་ནང་བསྡུས་ཤིང་ད་ལྟ་ཐག་གཅོད་ཟིན་པའམ་ཕྱིར་འདྲི་བྱས་ཟིན་པའི་གནད་དོན། བགོ་གཞི་ནི་དུས་ཚིགས་ནང་བསྡུས་པའི་གནད་དོན། "
        "བསྐྱར་ཟློས་དང་ལས་ཁང་གིས་ཐག་གཅོད་མི་ཐུབ་པར་མིང་རྟགས་བཀོད་པ་མི་བརྩི། བསྐྱར་དུ་ཁ་ཕྱེ་བ་བགོ་གཞིར་བརྩི།",
        "Numerator: concerns collected in the period that are now resolved or verified. Denominator: concerns "
        "collected in the period, leaving out duplicates and concerns the office signed off as not resolvable. A "
        "reopened concern stays in the denominator and leaves the numerator until it is resolved again.",
    ),
    tally={
        "n": Part("concerns.concern", ("resolved_now",)),
        "d": Part("concerns.concern", ("resolvable",)),
    },
    facts=collected,
    date_field="collected_on",
    numerator=Q(state__in=RESOLVED_STATES),
    denominator=~Q(state=ConcernState.CLOSED_NOT_RESOLVABLE),
    row_columns=CONCERN_COLUMNS,
)
CONCERNS_SATISFACTION_RATE = TalliedRate(
    code="concerns.satisfaction_rate",
    section=Section.SERVING,
    kind="rate",
    name=_texts("群众满意率", "མང་ཚོགས་ཡིད་ཚིམ་ཚད།", "Satisfaction rate"),
    measure=_texts("%", "%", "%"),
    definition=_texts(
        "分子：期间内收集、最近一次回访结果为“满意”的问题；分母：期间内收集、已回访的问题（满意、基本满意、不满意）。"
        "基本满意只计入分母；回访不满意的问题被重新打开，在再次办结前仍按不满意计；再次办结后以新的回访为准。无法解决的问题不回访，不计。",
        "བགོས་གྲངས་ནི་དུས་ཚིགས་ནང་བསྡུས་ཤིང་ཕྱིར་འདྲི་མཐའ་མ་ཡིད་ཚིམ་པའི་གནད་དོན། བགོ་གཞི་ནི་དུས་ཚིགས་ནང་བསྡུས་ཤིང་ཕྱིར་འདྲི་བྱས་ཟིན་པའི་གནད་དོན། "
        "ཕལ་ཆེར་ཡིད་ཚིམ་པ་བགོ་གཞིར་མ་གཏོགས་མི་བརྩི། ཡིད་མ་ཚིམ་པས་བསྐྱར་དུ་ཁ་ཕྱེ་བ་ནི་ཡང་བསྐྱར་ཐག་མ་ཆོད་བར་ཡིད་མ་ཚིམ་པར་བརྩི།",
        "Numerator: concerns collected in the period whose latest callback was satisfied. Denominator: concerns "
        "collected in the period with a callback (satisfied, partly, not satisfied). Partly satisfied counts in the "
        "denominator only. A concern reopened after an unsatisfied callback counts as not satisfied until it is "
        "resolved again; then the new callback counts. Not-resolvable concerns get no callback and do not count.",
    ),
    tally={"n": Part("concerns.concern", ("satisfied",)), "d": Part("concerns.concern", ("callback",))},
    facts=collected,
    date_field="collected_on",
    numerator=Q(satisfaction=Satisfaction.SATISFIED),
    denominator=~Q(satisfaction=""),
    row_columns=CONCERN_COLUMNS,
)
CONCERNS_OVERDUE = TalliedCount(
    code="concerns.overdue",
    section=Section.SERVING,
    name=_texts("超期问题", "དུས་ཚོད་ལས་བརྒལ་བའི་གནད་དོན།", "Overdue concerns"),
    measure=_texts("个", "གྲངས།", "concerns"),
    definition=_texts(
        "期间内收集、在期末（或今天，取较早者）仍未办结的问题中，超过响应时限仍未响应或超过办结时限仍未办结的数量；时限按问题类别计。",
        "དུས་ཚིགས་ནང་བསྡུས་ཤིང་དུས་མཇུག་ལ་ད་དུང་ཐག་མ་ཆོད་པའི་གནད་དོན་ཁྲོད་ལན་འདེབས་དུས་ཚོད་དམ་ཐག་གཅོད་དུས་ཚོད་ལས་བརྒལ་བའི་གྲངས། དུས་ཚོད་ནི་རིགས་ལྟར་གཏན་འཁེལ།",
        "Concerns collected in the period that, at the end of the period (or today, if earlier), are still open and "
        "past their category's response limit (not yet taken up) or resolution limit.",
    ),
    tally={"n": Part("concerns.concern", ("open",), when="overdue")},
    facts=collected,
    where=lambda start, end: overdue_q(as_of(end)),
    date_field="collected_on",
    row_columns=CONCERN_COLUMNS,
)
KEY_ITEMS_TOTAL = TalliedCount(
    code="key_items.total",
    section=Section.SERVING,
    name=_texts("重点事项", "གལ་ཆེའི་དོན་ཚན།", "Key items"),
    measure=_texts("项", "ཚན།", "items"),
    definition=_texts(
        "列入重点事项清单日期在期间内、责任单位在本单位及下级的事项数。",
        "གལ་ཆེའི་དོན་ཚན་ཐོ་འགོད་ཀྱི་ཚེས་གྲངས་དུས་ཚིགས་ནང་ཡོད་ཅིང་འགན་འཁུར་ལས་ཁུངས་འདི་དང་འོག་ཏུ་ཡོད་པའི་དོན་ཚན་གྲངས།",
        "Items listed on the key-items list in the period whose responsible unit is in the subtree.",
    ),
    tally={"n": Part("concerns.key_item", ("listed",))},
    facts=key_items,
    path_field="responsible_unit__path",
    date_field="listed_on",
    row_columns=ITEM_COLUMNS,
)
KEY_ITEMS_SOLVED = TalliedCount(
    code="key_items.solved",
    section=Section.SERVING,
    name=_texts("已解决的重点事项", "ཐག་ཆོད་ཟིན་པའི་གལ་ཆེའི་དོན་ཚན།", "Key items solved"),
    measure=_texts("项", "ཚན།", "items"),
    definition=_texts(
        "所有节点完成并经学教办确认解决、确认日期在期间内的重点事项数。",
        "ལས་རིམ་ཚང་མ་ལེགས་གྲུབ་བྱུང་ཞིང་ལས་ཁང་གིས་ཐག་ཆོད་པར་ངོས་འཛིན་བྱས་པའི་གལ་ཆེའི་དོན་ཚན་གྲངས།",
        "Key items whose milestones are all done and that the office confirmed solved in the period.",
    ),
    tally={"n": Part("concerns.key_item", ("solved",))},
    facts=solved_items,
    path_field="responsible_unit__path",
    date_field="solved_on",
    row_columns=ITEM_COLUMNS,
)

ALL = [
    VISITS_COUNT,
    VISITS_PREFECTURE,
    VISITS_COUNTY,
    VISITS_TOWNSHIPS,
    VISITS_VILLAGES,
    VISITS_INSTITUTIONS,
    CONCERNS_COLLECTED,
    CONCERNS_RESOLVED,
    CONCERNS_RESPONSE_RATE,
    CONCERNS_RESOLUTION_RATE,
    CONCERNS_SATISFACTION_RATE,
    CONCERNS_OVERDUE,
    KEY_ITEMS_TOTAL,
    KEY_ITEMS_SOLVED,
]
CODES = [i.code for i in ALL]
BY_CODE = {i.code: i for i in ALL}
INDICATORS = ALL


# --- tallies (campaigns.tallies): what each row counts --------------------------------------
def _visit_facts(row: dict) -> list[Fact]:
    return [Fact(row["unit__path"], row["date"])]


def _concern_facts(row: dict) -> list[Fact]:
    """A concern counts on the day it was collected (duplicates not) under each of the keys
    its state gives, and an open one under "open" with the first limit it can pass (``due``);
    a resolved one also counts on the day it was resolved."""
    path, state, out = row["unit__path"], row["state"], []
    if state in RESOLVED_STATES and row["resolved_on"] is not None:
        out.append(Fact(path, row["resolved_on"], "resolved"))
    if state == ConcernState.DUPLICATE:
        return out
    day = row["collected_on"]
    keys = ["collected"]
    keys += ["responded"] if row["responded_on"] is not None else []
    keys += ["resolved_now"] if state in RESOLVED_STATES else []
    keys += ["resolvable"] if state != ConcernState.CLOSED_NOT_RESOLVABLE else []
    keys += ["satisfied"] if row["satisfaction"] == Satisfaction.SATISFIED else []
    keys += ["callback"] if row["satisfaction"] != "" else []
    out += [Fact(path, day, k) for k in keys]
    if state in OPEN_STATES:
        due = row["resolution_due"]
        if state in UNRESPONDED_STATES:
            due = min(due, row["response_due"])
        out.append(Fact(path, day, "open", due=due))
    return out


def _key_item_facts(row: dict) -> list[Fact]:
    path = row["responsible_unit__path"]
    out = [Fact(path, row["listed_on"], "listed")]
    if row["status"] == KeyItemStatus.SOLVED and row["solved_on"] is not None:
        out.append(Fact(path, row["solved_on"], "solved"))
    return out


_ALL = State("all", ("全部", "ཡོངས་རྫོགས།", "all"))
_CONCERN_STATES = (
    State(
        "collected",
        ("期内收集（不含重复）", "དུས་ཚིགས་ནང་བསྡུས་པ། (བསྐྱར་ཟློས་མ་གཏོགས།)", "collected (no duplicates)"),
        "collected",
    ),
    State("in_progress", ("办理中", "སྒྲུབ་བཞིན་པ།", "in progress"), "open"),
    State("overdue", ("逾期未办结", "དུས་ཡོལ་ནས་མ་གྲུབ་པ།", "overdue"), "open", "overdue"),
    State("responded", ("已答复", "ལན་བཏབ་ཟིན་པ།", "responded"), "responded"),
    State("resolved_now", ("已办结", "ཐག་ཆོད་ཟིན་པ།", "resolved"), "resolved_now"),
    State(
        "resolved",
        ("期内办结（按办结日）", "དུས་ཚིགས་ནང་ཐག་ཆོད་པ། (ཐག་ཆོད་ཉིན་ལྟར།)", "resolved in the period (by day resolved)"),
        "resolved",
    ),
    State("satisfied", ("回访满意", "ཕྱིར་འདྲི་བར་ཚིམ་པ།", "satisfied on callback"), "satisfied"),
)
TALLIES = [
    Source(
        "concerns.visit",
        Visit,
        ("unit__path", "date"),
        _visit_facts,
        names=("走访", "ལྟ་སྐོར།", "visits"),
        states=(_ALL,),
    ),
    Source(
        "concerns.concern",
        Concern,
        (
            "unit__path",
            "collected_on",
            "state",
            "responded_on",
            "satisfaction",
            "response_due",
            "resolution_due",
            "resolved_on",
        ),
        _concern_facts,
        names=("群众诉求", "མང་ཚོགས་ཀྱི་རེ་བ།", "concerns"),
        states=_CONCERN_STATES,
    ),
    Source(
        "concerns.key_item",
        KeyItem,
        ("responsible_unit__path", "listed_on", "status", "solved_on"),
        _key_item_facts,
        names=("重点事项", "གལ་ཆེའི་དོན་ཚན།", "key items"),
        states=(
            State("listed", ("列入", "ཐོར་བཀོད་པ།", "listed"), "listed"),
            State("solved", ("期内解决", "དུས་ཚིགས་ནང་ཐག་ཆོད་པ།", "solved in the period"), "solved"),
        ),
    ),
]
