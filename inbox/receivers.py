"""The events the apps announce, turned into notices to the accounts whose turn it is.

- a concern assigned (or reassigned): the handling unit's handlers;
- a concern returned: the assigners of the unit where it arose;
- a concern declared not resolvable: the office that signs it off;
- its sign-off granted or refused: the handling unit's handlers;
- a measure reported done: the supervisors of the groups covering its unit;
- a measure verified or sent back: the writers of its unit;
- an import refused: the account that uploaded it.

Each notice is keyed by its event (the timeline event's id, the measure's step and the
moment it was taken, the import), so an event announced twice makes one notice."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from concerns import services as concern_rules
from concerns.choices import EventKind
from concerns.signals import concern_moved
from inbox import recipients, selectors, services
from inbox.choices import NoticeCode
from ledger.signals import import_refused
from orglife import selectors as orglife_selectors
from orglife.signals import measure_moved
from orgs.scope import path_in_scope

CONCERN_EVENTS = {
    EventKind.ASSIGN: (NoticeCode.CONCERN_ASSIGNED, "start"),
    EventKind.REASSIGN: (NoticeCode.CONCERN_ASSIGNED, "start"),
    EventKind.RETURN: (NoticeCode.CONCERN_RETURNED, "assign"),
    EventKind.MARK_NOT_RESOLVABLE: (NoticeCode.CONCERN_SIGN_OFF_ASKED, "sign_off"),
    EventKind.SIGN_OFF: (NoticeCode.CONCERN_SIGNED_OFF, "resolve"),
    EventKind.REFUSE_SIGN_OFF: (NoticeCode.CONCERN_SIGN_OFF_REFUSED, "resolve"),
}


def on_concern_moved(sender: Any, event: Any, concern: Any, **kwargs: Any) -> None:
    if event.actor is not None:
        selectors.forget_counts([event.actor])  # the step taken leaves the actor's inbox
    if event.kind not in CONCERN_EVENTS:
        return
    code, action = CONCERN_EVENTS[event.kind]
    if event.kind == EventKind.RETURN:
        unit = concern.unit  # it is back with the assigners where it arose
    else:
        unit = concern_rules.holding_unit(concern, action)

    def allowed(account: Any) -> bool:
        if account.pk == event.actor_id:
            return False  # nobody is told of their own step
        if action in concern_rules.HANDLER_ACTIONS:
            return concern_rules.handles(account, concern)
        return concern_rules.can_reach(account, concern)

    params: dict[str, Any] = {"concern": concern.pk}
    if code == NoticeCode.CONCERN_ASSIGNED:
        params.update(unit=concern.handling_unit_id, due=concern.response_due.isoformat())
    if code in (NoticeCode.CONCERN_RETURNED, NoticeCode.CONCERN_SIGN_OFF_ASKED):
        params["unit"] = event.handling_unit_id
    if event.reason:
        params["reason"] = event.reason
    elif code in (NoticeCode.CONCERN_RETURNED, NoticeCode.CONCERN_SIGN_OFF_REFUSED):
        params["reason"] = "—"
    services.notify(
        recipients=recipients.nearest(unit, concern_rules.ACTION_ROLES[action], allowed=allowed),
        code=code,
        key=f"concern:{concern.pk}:event:{event.pk}",
        params=params,
        url=reverse("concerns:concern_detail", args=[concern.pk]),
    )


MEASURE_STEPS = {
    "done": NoticeCode.MEASURE_DONE,
    "verified": NoticeCode.MEASURE_VERIFIED,
    "refused": NoticeCode.MEASURE_REFUSED,
}


def on_measure_moved(sender: Any, measure: Any, step: str, actor: Any, reason: str = "", **kwargs: Any) -> None:
    if actor is not None:
        selectors.forget_counts([actor])
    if step not in MEASURE_STEPS:
        return
    if step == "done":
        groups = orglife_selectors.covering_groups(measure.unit)
        to = [a for a in recipients.supervisors_covering(measure.unit, groups) if path_in_scope(a, measure.unit.path)]
    else:
        to = services.measure_holders(measure)
    to = [a for a in to if a.pk != getattr(actor, "pk", None)]
    params: dict[str, Any] = {"unit": measure.unit_id}
    if step == "refused":
        params["reason"] = reason or "—"
    # A measure may go round (done, sent back, done again): each pass is its own event.
    passes = measure.refusals.count()
    services.notify(
        recipients=to,
        code=MEASURE_STEPS[step],
        key=f"measure:{measure.pk}:{step}:{passes}",
        params=params,
        url=reverse("orglife:finding_detail", args=[measure.finding_id]) + f"#measure-{measure.pk}",
    )


def on_import_refused(sender: Any, job: Any, **kwargs: Any) -> None:
    owner = job.created_by
    if owner is None or not path_in_scope(owner, job.unit.path):
        return
    services.notify(
        recipients=[owner],
        code=NoticeCode.IMPORT_REFUSED,
        key=f"import:{job.pk}:refused",
        params={"file": job.original_name, "reason": (job.message or "—")[:300]},
        url=reverse("ledger:import_status", args=[job.pk]),
    )


def connect() -> None:
    concern_moved.connect(on_concern_moved, weak=False, dispatch_uid="inbox.concern_moved")
    measure_moved.connect(on_measure_moved, weak=False, dispatch_uid="inbox.measure_moved")
    import_refused.connect(on_import_refused, weak=False, dispatch_uid="inbox.import_refused")
