"""Whose turn: for a record with a workflow (a concern, a measure, an import, a report
build), who did what when, who holds it now (unit and role), the next steps and who may take
them, and the deadline. The rules are the apps' own (``concerns.services.next_steps``,
``orglife.selectors.measure_steps``); this only reads them out."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from auditlog.models import LogEntry
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from concerns import services as concern_rules
from concerns.models import Concern
from concerns.views import ACTIONS as CONCERN_ACTIONS
from inbox import recipients
from ledger.choices import ImportStatus
from ledger.models import ImportJob
from orglife import selectors as orglife_selectors
from orglife.choices import MeasureStatus
from orglife.models import Measure
from orgs.choices import Role
from reports.choices import BuildStatus
from reports.models import ReportBuild


@dataclass
class Step:
    label: str
    roles: str
    where: str
    person: str = ""  # a named account, as its name is written (users' data)


@dataclass
class Entry:
    at: datetime.datetime | datetime.date | None
    who: str
    what: str
    detail: str = ""  # what a person typed (a reason), as typed

    @property
    def day_only(self) -> bool:
        return not isinstance(self.at, datetime.datetime)


@dataclass
class Workflow:
    holder: str = ""
    holder_person: str = ""
    steps: list[Step] = field(default_factory=list)
    deadline: datetime.date | None = None
    overdue: bool = False
    timeline: list[Entry] = field(default_factory=list)


def _roles(roles: tuple[str, ...]) -> str:
    return " / ".join(str(Role(r).label) for r in roles) if roles else "—"


def _who(account: Any) -> str:
    return str(account) if account is not None else "—"


def _where(unit: Any, roles: tuple[str, ...]) -> str:
    """The unit whose accounts take a step held at ``unit``: the nearest one at or above it
    that has accounts of ``roles`` (``inbox.recipients.nearest``), else the unit itself."""
    accounts = recipients.nearest(unit, roles)
    return accounts[0].unit.name if accounts else unit.name


def for_concern(concern: Concern) -> Workflow:
    """The concern's holder and steps; its timeline is its own (``ConcernEvent``), on its page."""
    flow = Workflow(deadline=concern_rules.deadline(concern))
    flow.overdue = concern.is_overdue(timezone.localdate())
    steps = concern_rules.next_steps(concern)
    for action, roles, unit in steps:
        label = CONCERN_ACTIONS[action][0] if action in CONCERN_ACTIONS else action
        flow.steps.append(Step(str(label), _roles(roles), _where(unit, roles)))
    if steps:
        flow.holder = f"{flow.steps[0].where} · {flow.steps[0].roles}"
    return flow


MEASURE_STEP_LABELS = {
    "done": lambda: _("Report done"),
    "verify": lambda: _("Verify"),
    "refuse": lambda: _("Send back"),
    "close": lambda: pgettext("rectification", "Close the measure"),
}


def _measure_where(measure: Measure, where: str) -> str:
    if where == "unit":
        return _where(measure.unit, orglife_selectors.WRITER_ROLES)
    groups = [g.name for g in orglife_selectors.covering_groups(measure.unit)]
    return " / ".join(groups) or "—"


def for_measure(measure: Measure) -> Workflow:
    flow = Workflow()
    if measure.status == MeasureStatus.OPEN:
        flow.deadline = measure.deadline
        flow.overdue = measure.is_overdue(timezone.localdate())
    steps = orglife_selectors.measure_steps(measure)
    for step, roles, where in steps:
        flow.steps.append(Step(MEASURE_STEP_LABELS[step](), _roles(roles), _measure_where(measure, where)))
    if steps:
        _step, roles, where = steps[0]
        flow.holder = f"{_measure_where(measure, where)} · {_roles(roles)}"
    flow.timeline.append(Entry(measure.set_on, "—", _("Measure set")))
    labels = dict(MeasureStatus.choices)
    for entry in LogEntry.objects.get_for_object(measure).select_related("actor").order_by("timestamp", "pk"):
        change = (entry.changes_dict or {}).get("status")
        if change and len(change) == 2 and change[0] not in (None, "None"):  # the creation is "Measure set"
            what = _("Status: %(before)s → %(after)s") % {
                "before": labels.get(change[0], change[0]),
                "after": labels.get(change[1], change[1]),
            }
            flow.timeline.append(Entry(entry.timestamp, _who(entry.actor), what))
    for refusal in measure.refusals.select_related("refused_by").order_by("refused_at"):
        flow.timeline.append(Entry(refusal.refused_at, _who(refusal.refused_by), _("Sent back"), detail=refusal.reason))
    flow.timeline.sort(key=lambda e: _moment(e.at))
    return flow


def _moment(at: Any) -> datetime.datetime:
    if isinstance(at, datetime.datetime):
        return at
    if isinstance(at, datetime.date):
        return timezone.make_aware(datetime.datetime.combine(at, datetime.time.min))
    return timezone.now()


def for_import(job: ImportJob) -> Workflow:
    flow = Workflow()
    flow.timeline.append(Entry(job.created_at, _who(job.created_by), _("File uploaded")))
    if job.finished_at:
        flow.timeline.append(Entry(job.finished_at, "—", str(job.get_status_display())))
    if job.status == ImportStatus.FAILED:
        flow.holder, flow.holder_person = job.unit.name, _who(job.created_by)
        flow.steps.append(Step(_("Correct the file and upload it again"), "", job.unit.name, _who(job.created_by)))
    elif job.running:
        flow.holder = _("The platform (checking in the background)")
    return flow


def for_build(build: ReportBuild) -> Workflow:
    flow = Workflow()
    flow.timeline.append(Entry(build.created_at, _who(build.requested_by), _("Build requested")))
    if build.finished_at:
        flow.timeline.append(Entry(build.finished_at, "—", str(build.get_status_display())))
    if build.status == BuildStatus.DONE:
        flow.holder = f"{build.unit.name} · {_roles((Role.OFFICE_ADMIN,))}"
        flow.steps.append(Step(_("Read and publish"), _roles((Role.OFFICE_ADMIN,)), build.unit.name))
    elif build.status == BuildStatus.FAILED:
        flow.holder, flow.holder_person = build.unit.name, _who(build.requested_by)
        flow.steps.append(Step(_("Build it again"), "", build.unit.name, _who(build.requested_by)))
    elif build.running:
        flow.holder = _("The platform (building in the background)")
    return flow


def workflow(obj: Any) -> Workflow | None:
    if isinstance(obj, Concern):
        return for_concern(obj)
    if isinstance(obj, Measure):
        return for_measure(obj)
    if isinstance(obj, ImportJob):
        return for_import(obj)
    if isinstance(obj, ReportBuild):
        return for_build(obj)
    return None
