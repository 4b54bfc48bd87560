"""House rules that every model of the platform keeps (design decisions 3, 6 and 9)."""

from __future__ import annotations

import pytest
from auditlog.registry import auditlog
from django.apps import apps
from django.db import models

from orgs.models import Unit

OURS = {"core", "orgs", "campaigns", "ledger", "quiz", "concerns", "orglife", "reports"}
MODELS = [m for m in apps.get_models() if m._meta.app_label in OURS and not m._meta.auto_created]

# Models that hang off a unit but are catalogues or links, not ledger rows: they need no
# region of their own (their parent row carries it) — each with the reason.
NOT_LEDGER_ROWS: dict[str, str] = {
    "orgs.Unit": "the tree itself; carries region_code as the source of every row's region",
    "orgs.Person": "a person, not a record of something done",
    "orgs.Account": "a login",
    "campaigns.Campaign": "the campaign's frame",
    "campaigns.SupervisionGroup": "the campaign's frame",
    "concerns.Programme": "a catalogue of a few programmes: a reference table, copied to every node",
    "orglife.MeetingNotice": "a handful of notices per campaign: a reference table, copied to every node",
    "ledger.ImportJob": "the bookkeeping of a background import, not a record of the campaign",
    "ledger.ActivityRollup": "derived totals, rebuilt from the rows; see docs/scaling.md for their placement",
    "campaigns.Tally": "derived totals of the records outside the ledger, rebuilt from the rows like the rollups",
    "reports.ReportDraft": "an editor's free text around a report: a few rows per unit",
    "reports.ReportBuild": "the bookkeeping of a background report build",
    "reports.PublishedReport": "a frozen document: a few rows per unit and year",
}

# Derived data is not audited: it is rebuilt from rows whose every change is.
NOT_AUDITED: dict[str, str] = {
    "ledger.ActivityRollup": "totals kept by the services that write activities; rebuild_rollups recomputes them",
    "campaigns.Tally": "totals kept in the transaction of each write of the rows they count; rebuild_tallies recomputes them",
    "reports.ReportBuild": "the bookkeeping of a background build; what it publishes is audited",
    "core.ImportedFile": "the bookkeeping of imports (a file's hash); each import's batch is audited",
}


def _label(model) -> str:
    return f"{model._meta.app_label}.{model.__name__}"


def _unit_foreign_keys(model) -> list[str]:
    return [f.name for f in model._meta.get_fields() if isinstance(f, models.ForeignKey) and f.related_model is Unit]


@pytest.mark.parametrize("model", MODELS, ids=_label)
def test_every_model_says_what_one_row_means(model):
    doc = (model.__doc__ or "").strip()
    assert doc and not doc.startswith(f"{model.__name__}("), f"{_label(model)} has no docstring"


@pytest.mark.parametrize("model", [m for m in MODELS if _label(m) not in NOT_AUDITED], ids=_label)
def test_every_model_is_audited(model):
    assert auditlog.contains(model), f"{_label(model)} is not registered with the audit log"


@pytest.mark.parametrize("model", [m for m in MODELS if _unit_foreign_keys(m)], ids=_label)
def test_every_row_that_belongs_to_a_unit_can_be_scoped(model):
    assert hasattr(model._default_manager, "visible_to") or hasattr(
        model._default_manager.get_queryset(), "visible_to"
    ), f"{_label(model)} has a unit but no visible_to()"


@pytest.mark.parametrize(
    "model",
    [m for m in MODELS if _unit_foreign_keys(m) and _label(m) not in NOT_LEDGER_ROWS],
    ids=_label,
)
def test_every_ledger_row_carries_its_region_for_sharding(model):
    fields = {f.name for f in model._meta.get_fields()}
    assert "region_code" in fields, f"{_label(model)} belongs to a unit but has no region_code"
