"""Writes of the reports app: editors' free text, publishing (freezing) a report, and
requests for background builds of the page and its exports (``reports.tasks`` runs them)."""

from __future__ import annotations

import datetime
import hashlib
import json
import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from orgs.access import has_role
from orgs.choices import Role
from orgs.models import Unit
from orgs.scope import path_in_scope
from reports import template
from reports.choices import BuildFormat, ReportLanguage
from reports.models import PublishedReport, ReportBuild, ReportDraft, ReportTemplate
from reports.report import build_report, serialise
from reports.selectors import draft_texts
from reports.tasks import build_task

# A figure is never typed: Arabic, full-width and Tibetan digits are refused in free text.
DIGITS = re.compile(r"[0-9０-９༠-༳]")
FREE_TEXT_MAX = 4000


def may_edit(user, unit: Unit) -> bool:
    """Office admins (and superusers) edit and publish the reports of units in their scope."""
    return has_role(user, Role.OFFICE_ADMIN) and path_in_scope(user, unit.path)


def _check(actor, unit: Unit) -> None:
    if not may_edit(actor, unit):
        raise ValidationError({"unit": _("You may not edit the reports of this unit.")})


def _check_language(language: str) -> None:
    if language not in ReportLanguage.values:
        raise ValidationError({"language": _("Choose Chinese or Tibetan.")})


@transaction.atomic
def save_draft(*, actor, unit: Unit, as_of: datetime.date, language: str, texts: dict) -> ReportDraft:
    """Store the free text around the sections. Refuses text holding a digit: figures come
    from indicators only."""
    _check(actor, unit)
    _check_language(language)
    clean: dict[str, dict[str, str]] = {}
    errors = {}
    section_keys = template.section_keys(template.template_of(unit)[0])
    for key, parts in texts.items():
        if key != "lead" and key not in section_keys:
            continue
        for pos, value in (parts or {}).items():
            value = (value or "").strip()
            field = "lead_text" if key == "lead" else f"{key}_{pos}"
            if DIGITS.search(value):
                errors[field] = _("Free text may not hold figures; figures come only from indicators.")
            elif len(value) > FREE_TEXT_MAX:
                errors[field] = _("Keep it under %(n)s characters.") % {"n": FREE_TEXT_MAX}
            elif value:
                clean.setdefault(key, {})[pos] = value
    if errors:
        raise ValidationError(errors)
    draft, _created = ReportDraft.objects.select_for_update().get_or_create(
        unit=unit, as_of=as_of, language=language, defaults={"updated_by": actor}
    )
    draft.texts = clean
    draft.updated_by = actor
    draft.save(update_fields=["texts", "updated_by", "updated_at"])
    return draft


# --- publishing ---------------------------------------------------------------------------


def fingerprint(*, scope: dict, as_of: str, start: str, language: str, text: str, figures: list[dict]) -> str:
    payload = json.dumps(
        {"scope": scope, "as_of": as_of, "start": start, "language": language, "text": text, "figures": figures},
        ensure_ascii=False,
        sort_keys=True,
    )
    return hashlib.sha256(payload.encode()).hexdigest()


class Unchanged(ValidationError):
    """The report reads exactly as a snapshot already published (``published``)."""

    def __init__(self, published: PublishedReport):
        when = timezone.localtime(published.published_at).strftime("%Y-%m-%d %H:%M")
        super().__init__(
            _("This report is already published exactly as it reads now (%(when)s); no new snapshot was made.")
            % {"when": when},
            code="unchanged",
        )
        self.published = published


def _frozen(unit: Unit, as_of: datetime.date, language: str, report) -> tuple[dict, str, dict, list, str]:
    """What a snapshot of the report keeps: its scope, text, body, figures and their hash."""
    body, figures = serialise(report)
    scope = {"unit": unit.code, "path": unit.path, "name_zh": unit.name_zh, "name_bo": unit.name_bo}
    text = report.as_text()
    digest = fingerprint(
        scope=scope,
        as_of=as_of.isoformat(),
        start=report.start.isoformat(),
        language=language,
        text=text,
        figures=figures,
    )
    return scope, text, body, figures, digest


def _published_with(unit: Unit, as_of: datetime.date, language: str, digest: str) -> PublishedReport | None:
    return (
        PublishedReport.objects.filter(unit=unit, as_of=as_of, language=language, sha256=digest)
        .order_by("published_at")
        .first()
    )


def published_as_is(unit: Unit, as_of: datetime.date, language: str, report) -> PublishedReport | None:
    """The snapshot already published of this report exactly as it reads now, if any (the
    page then offers it instead of publishing again)."""
    return _published_with(unit, as_of, language, _frozen(unit, as_of, language, report)[4])


@transaction.atomic
def publish_report(*, actor, unit: Unit, as_of: datetime.date, language: str) -> PublishedReport:
    """Freeze the report as it reads now: text, body, every figure with its indicator code
    and definition version, and a SHA-256 over them. A report that reads exactly as one
    already published (same unit, date, language and hash) is refused (``Unchanged``)."""
    _check(actor, unit)
    _check_language(language)
    report = build_report(unit, as_of, language, draft_texts=draft_texts(unit, as_of, language))
    scope, text, body, figures, digest = _frozen(unit, as_of, language, report)
    # Publish once: the same report, unchanged, is not frozen again. Publishing the unit's
    # reports one at a time (the unit's row locked) keeps two clicks from making two.
    Unit.objects.select_for_update().filter(pk=unit.pk).first()
    same = _published_with(unit, as_of, language, digest)
    if same is not None:
        raise Unchanged(same)
    return PublishedReport.objects.create(
        template_version=report.template_version,
        indicator_versions=indicator_versions(report.indicator_versions),
        unit=unit,
        as_of=as_of,
        start=report.start,
        language=language,
        scope=scope,
        title=report.title,
        text=text,
        body=body,
        figures=figures,
        sha256=digest,
        published_by=actor,
        published_at=timezone.now(),
    )


def indicator_versions(versions: dict[str, int]) -> list[dict]:
    """The definitions a report used: each indicator's code and version, and whether the
    office defined it in the page (its version then that of the defined indicator's row)."""
    from ledger.models import DefinedIndicator

    defined = dict(DefinedIndicator.objects.filter(code__in=list(versions)).values_list("code", "version"))
    return [
        {"code": code, "version": defined.get(code, version), "defined": code in defined}
        for code, version in versions.items()
    ]


def verify(published: PublishedReport) -> bool:
    """Whether the stored snapshot still matches its hash."""
    return published.sha256 == fingerprint(
        scope=published.scope,
        as_of=published.as_of.isoformat(),
        start=published.start.isoformat(),
        language=published.language,
        text=published.text,
        figures=published.figures,
    )


# --- background builds ----------------------------------------------------------------------


def may_read(user, unit: Unit) -> bool:
    return path_in_scope(user, unit.path)


@transaction.atomic
def request_build(*, actor, unit: Unit, as_of: datetime.date, language: str, format: str) -> ReportBuild:
    """Record a build and enqueue it (it runs at once under the immediate task backend)."""
    if not may_read(actor, unit):
        raise ValidationError({"unit": _("No unit with this code in your scope.")})
    _check_language(language)
    if format not in BuildFormat.values:
        raise ValidationError({"format": _("Unknown format.")})
    build = ReportBuild.objects.create(unit=unit, as_of=as_of, language=language, format=format, requested_by=actor)
    transaction.on_commit(lambda: build_task.enqueue(build.pk))
    return build


# --- the report's template ------------------------------------------------------------------------


def may_edit_template(user, campaign) -> bool:
    """The office admins whose scope holds the campaign's root unit edit its report template."""
    return campaign is not None and has_role(user, Role.OFFICE_ADMIN) and path_in_scope(user, campaign.root_unit.path)


def known_codes() -> set[str]:
    from figures import catalogue

    return set(catalogue.codes())


def check_template(document, also_known: set[str] | None = None) -> None:
    """Refuse a template the editor would refuse, every problem named. ``also_known``: codes
    accepted besides the installed indicators' (those the stored template already names: an
    app may be uninstalled, and its clauses simply drop)."""
    problems = template.check_document(document, known_codes() | (also_known or set()))
    if problems:
        raise ValidationError({"document": problems})


@transaction.atomic
def save_template(*, actor, campaign, document: dict, version: int | None = None) -> ReportTemplate:
    """Store the campaign's report template after checking all of it; its version rises by
    one. ``version``: the one the editor started from — refused when someone saved since."""
    if not may_edit_template(actor, campaign):
        raise ValidationError({"document": _("You may not edit the report template of this campaign.")})
    row = ReportTemplate.objects.select_for_update().filter(campaign=campaign).first()
    stored = row.document if row else template.shipped_document()
    check_template(document, set(template.document_codes(stored)))
    current = row.version if row else template.SHIPPED_VERSION
    if version is not None and version != current:
        raise ValidationError(
            {
                "document": _(
                    "The template was changed since you opened it (it is now version %(version)s); "
                    "open it again and redo your change."
                )
                % {"version": current}
            }
        )
    clean = template.clean_document(document)
    if row is None:
        row = ReportTemplate(campaign=campaign, version=current)
    elif row.document == clean:
        return row
    row.document = clean
    row.version = current + 1
    row.changed_by = actor
    row.save()
    return row


@transaction.atomic
def install_template(*, campaign, document: dict, actor=None, check: bool = True) -> ReportTemplate:
    """Give a campaign a template (a campaign's import, the demo): checked as the editor checks
    (``check=False`` for the template the platform ships, checked by its tests, which may name
    indicators of apps not installed here). Version 1 for a campaign that had none; one more
    than the last when it replaces a different one."""
    if check:
        check_template(document)
    clean = template.clean_document(document)
    row = ReportTemplate.objects.select_for_update().filter(campaign=campaign).first()
    if row is None:
        return ReportTemplate.objects.create(campaign=campaign, document=clean, version=1, changed_by=actor)
    if row.document != clean:
        row.document = clean
        row.version += 1
        row.changed_by = actor
        row.save()
    return row


def change_template(*, actor, campaign, change, version: int, **kwargs) -> ReportTemplate:
    """Apply one of ``reports.template``'s changes (``with_sentence``, ``without_sentence``,
    ``with_section``, ``without_section``, ``with_line``) to the campaign's template and store it."""
    document, _version = template.template_of_campaign(campaign)
    return save_template(actor=actor, campaign=campaign, document=change(document, **kwargs), version=version)
