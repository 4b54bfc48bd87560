"""Reads of the inbox: the work waiting for an account, gathered from each app's own
selectors (each scoped by ``orgs.scope``), and notices as their reader reads them.

``SOURCES`` is the inbox's registry: one entry per kind of work, naming the app's selector
that finds it and how one record reads as an item. The apps know nothing of it."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.core.cache import cache
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from concerns import selectors as concern_selectors
from concerns import services as concern_rules
from concerns.views import ACTIONS as CONCERN_ACTIONS
from inbox.choices import TEXTS
from inbox.models import Notice
from inbox.recipients import nearest_q
from ledger import selectors as ledger_selectors
from orglife import selectors as orglife_selectors
from orgs.access import STAFF_ROLES, has_role
from orgs.models import Unit
from quality import selectors as quality_selectors
from reports import selectors as report_selectors

# Items of one kind shown at most on the inbox page (the count is of all of them).
PER_SOURCE = 30


@dataclass
class Item:
    """One piece of work waiting: what it is, where, by when, and the link that acts on it."""

    kind: str
    title: str
    unit: Unit | None
    deadline: datetime.date | None
    url: str
    action: str
    since: datetime.date | None = None
    overdue: bool = False


@dataclass
class Source:
    code: str
    label: Promise
    records: Callable[[Any], QuerySet | list]
    item: Callable[[Any, datetime.date], Item]
    more: Callable[[Any], str] | None = None  # the full list, where an app's page has one


def _concern_item(concern: Any, today: datetime.date) -> Item:
    action = concern_rules.WAITING_FOR[concern.state]
    due = concern_rules.deadline(concern)
    return Item(
        kind=str(gettext_lazy("Concern")),
        title=f"#{concern.pk} {concern.category.name}",
        unit=concern.handling_unit if action in concern_rules.HANDLER_ACTIONS else concern.unit,
        deadline=due,
        url=reverse("concerns:concern_detail", args=[concern.pk]),
        action=str(CONCERN_ACTIONS[action][0]),
        since=concern.collected_on,
        overdue=concern.is_overdue(today),
    )


def _verify_item(measure: Any, today: datetime.date) -> Item:
    return Item(
        kind=_("Measure to verify"),
        title=measure.text[:80],
        unit=measure.unit,
        deadline=None,
        url=reverse("orglife:finding_detail", args=[measure.finding_id]) + f"#measure-{measure.pk}",
        action=_("Verify or send back"),
        since=measure.done_on,
    )


def _do_item(measure: Any, today: datetime.date) -> Item:
    return Item(
        kind=_("Measure to carry out"),
        title=measure.text[:80],
        unit=measure.unit,
        deadline=measure.deadline,
        url=reverse("orglife:finding_detail", args=[measure.finding_id]) + f"#measure-{measure.pk}",
        action=_("Report done"),
        since=measure.set_on,
        overdue=measure.deadline < today,
    )


def _finding_item(finding: Any, today: datetime.date) -> Item:
    return Item(
        kind=_("Finding without a measure"),
        title=finding.text[:80],
        unit=finding.unit,
        deadline=None,
        url=reverse("orglife:finding_detail", args=[finding.pk]),
        action=_("Set a measure"),
        since=finding.date,
    )


def _meeting_item(due: Any, today: datetime.date) -> Item:
    return Item(
        kind=_("Meetings due"),
        title=_("%(theme)s: %(n)s organisations have not recorded their meeting")
        % {"theme": due.notice.theme, "n": due.missing},
        unit=due.unit,
        deadline=due.notice.window_to,
        url=reverse("orglife:notice_detail", args=[due.notice.pk]) + "?" + urlencode({"unit": due.unit.code}),
        action=_("See who is missing"),
        since=due.notice.window_from,
        overdue=due.notice.window_to < today,
    )


def _import_item(job: Any, today: datetime.date) -> Item:
    return Item(
        kind=_("Import refused"),
        title=job.original_name,
        unit=job.unit,
        deadline=None,
        url=reverse("ledger:import_status", args=[job.pk]),
        action=_("See the problems"),
        since=timezone.localdate(job.created_at),
    )


def _flag_item(flag: Any, today: datetime.date) -> Item:
    query = urlencode({"unit": flag.unit.code, "check": flag.check_item.code, "status": "open"})
    return Item(
        kind=_("Flag to decide"),
        title=f"{flag.check_item.name} · {flag.detail}" if flag.detail else flag.check_item.name,
        unit=flag.unit,
        deadline=None,
        url=reverse("quality:flag_list") + "?" + query,
        action=_("Confirm or clear"),
        since=timezone.localdate(flag.created),
    )


def _draft_item(draft: Any, today: datetime.date) -> Item:
    query = urlencode({"unit": draft.unit.code, "as_of": draft.as_of.isoformat(), "language": draft.language})
    return Item(
        kind=_("Report to publish"),
        title=f"{draft.unit.name} · {draft.as_of:%Y-%m-%d} · {draft.get_language_display()}",
        unit=draft.unit,
        deadline=None,
        url=reverse("reports:report") + "?" + query,
        action=_("Read and publish"),
        since=timezone.localdate(draft.updated_at),
    )


def _concerns_waiting(user: Any) -> QuerySet:
    """The concerns whose awaited step the user may take (the concerns app's rules), each for
    the nearest accounts of the step's roles above the unit that holds it: a concern assigned
    to a township waits for the township's handlers, not for the county's office above them,
    which may still take the step from the concern's page."""
    turn = Q(pk__in=[])
    for state, action in concern_rules.WAITING_FOR.items():
        field = "handling_unit__path" if action in concern_rules.HANDLER_ACTIONS else "unit__path"
        turn |= Q(state=state) & nearest_q(user, concern_rules.ACTION_ROLES[action], field)
    return concern_selectors.waiting_for(user).filter(turn)


def _measures_to_do(user: Any) -> QuerySet:
    """Open measures, for the writers nearest their unit (``recipients.nearest_q``)."""
    return orglife_selectors.measures_to_do(user).filter(nearest_q(user, orglife_selectors.WRITER_ROLES))


def _findings_without_measures(user: Any) -> QuerySet:
    """Findings without a measure, for the writers nearest their unit."""
    return orglife_selectors.findings_without_measures(user).filter(nearest_q(user, orglife_selectors.WRITER_ROLES))


SOURCES = [
    Source("concerns", gettext_lazy("Concerns"), _concerns_waiting, _concern_item),
    Source("verify", gettext_lazy("Measures to verify"), orglife_selectors.measures_to_verify, _verify_item),
    Source("measures", gettext_lazy("Measures to carry out"), _measures_to_do, _do_item),
    Source("findings", gettext_lazy("Findings without a measure"), _findings_without_measures, _finding_item),
    Source("meetings", gettext_lazy("Meetings due"), orglife_selectors.meetings_due, _meeting_item),
    Source("imports", gettext_lazy("Imports refused"), ledger_selectors.refused_imports, _import_item),
    Source("flags", gettext_lazy("Flags to decide"), quality_selectors.flags_to_decide, _flag_item),
    Source("reports", gettext_lazy("Reports to publish"), report_selectors.drafts_to_publish, _draft_item),
]


@dataclass
class Counts:
    total: int = 0
    by_source: list[tuple[Source, int]] = field(default_factory=list)


def has_inbox(user: Any) -> bool:
    return bool(user.is_authenticated and has_role(user, *STAFF_ROLES))


def _count(records: QuerySet | list) -> int:
    return records.count() if isinstance(records, QuerySet) else len(records)


def counts(user: Any) -> Counts:
    """How much of each kind of work waits for the account (kept for the header's count)."""
    out = Counts()
    if not has_inbox(user):
        return out
    for source in SOURCES:
        n = _count(source.records(user))
        out.by_source.append((source, n))
        out.total += n
    cache.set(_count_key(user), (out.total, unread_count(user)), COUNT_SECONDS)
    return out


# The header's count of work waiting is the one last counted, for this long; a page that
# finds none fetches it after it has loaded (``inbox:count``), so no page pays for it.
COUNT_SECONDS = 120


def _count_key(user: Any) -> str:
    return f"inbox:count:{user.pk}"


def counted(user: Any) -> tuple[int, int] | None:
    """The account's work waiting and unread notices as last counted, if still kept."""
    return cache.get(_count_key(user))


def forget_counts(accounts: Iterable[Any]) -> None:
    """Count these accounts' work again at their next page (something changed for them)."""
    cache.delete_many([_count_key(a) for a in accounts])


def _sort_key(item: Item) -> tuple:
    far = datetime.date.max
    return (not item.overdue, item.deadline is None, item.deadline or far, item.since or far)


def items(user: Any, *, only: str = "", today: datetime.date | None = None) -> list[Item]:
    """The work waiting for the account, overdue first, then by deadline (the work without
    one last, the oldest first); at most ``PER_SOURCE`` of each kind."""
    if not has_inbox(user):
        return []
    today = today or timezone.localdate()
    found: list[Item] = []
    for source in SOURCES:
        if only and source.code != only:
            continue
        records = source.records(user)
        found.extend(source.item(record, today) for record in list(records[:PER_SOURCE]))
    return sorted(found, key=_sort_key)


# --- notices --------------------------------------------------------------------------------


def units_of(notices: Iterable[Notice]) -> dict[int, Unit]:
    ids = {n.params.get("unit") for n in notices if isinstance(n.params.get("unit"), int)}
    return {u.pk: u for u in Unit.objects.filter(pk__in=ids)} if ids else {}


def notice_text(notice: Notice, units: dict[int, Unit]) -> str:
    """The notice in the active language, its parameters filled in."""
    params = dict(notice.params)
    if "unit" in params:
        unit = units.get(params["unit"])
        params["unit"] = unit.name if unit else "—"
    try:
        return str(TEXTS[notice.code]) % params
    except (KeyError, TypeError, ValueError):
        return str(notice.get_code_display())


def notice_detail(notice: Notice) -> str:
    """What a person typed that the notice carries (a file's name, a reason), as typed."""
    parts = [str(notice.params.get(name, "")) for name in ("file", "reason")]
    return ": ".join(p for p in parts if p and p != "—")


@dataclass
class NoticeRow:
    notice: Notice
    text: str
    detail: str = ""


def notices_for(user: Any, *, unread_only: bool = False, limit: int = 50) -> list[NoticeRow]:
    qs = Notice.objects.filter(recipient=user)
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    notices = list(qs.order_by("-created", "-pk")[:limit])
    units = units_of(notices)
    return [NoticeRow(n, notice_text(n, units), notice_detail(n)) for n in notices]


def unread_count(user: Any) -> int:
    return Notice.objects.filter(recipient=user, read_at__isnull=True).count()


def digest_subject() -> str:
    return _("Your work waiting")


def digest_text(counts: Counts, unread: int) -> str:
    lines = [_("Work waiting for you: %(n)s") % {"n": counts.total}]
    lines += [f"· {source.label}: {n}" for source, n in counts.by_source if n]
    lines.append(_("Unread notices: %(n)s") % {"n": unread})
    return "\n".join(lines)
