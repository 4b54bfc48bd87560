"""Editors' free text, publishing (the snapshot and its hash), what changed since, and
background builds."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from reports import selectors, services
from reports.choices import BuildStatus
from reports.models import PublishedReport, ReportBuild
from reports.tests.conftest import AS_OF


def test_free_text_is_stored_for_the_unit_date_and_language(office, unit):
    draft = services.save_draft(
        actor=office, unit=unit("540100"), as_of=AS_OF, language="zh-hans", texts={"learning": {"before": "亮点突出。"}}
    )
    assert draft.texts == {"learning": {"before": "亮点突出。"}}
    assert selectors.draft_texts(unit("540100"), AS_OF, "zh-hans") == draft.texts
    assert selectors.draft_texts(unit("540100"), AS_OF, "bo") == {}


@pytest.mark.parametrize("typed", ["共开展3场", "共开展３场", "ཐེངས་༣"])
def test_free_text_may_not_hold_a_figure(office, unit, typed):
    with pytest.raises(ValidationError) as exc:
        services.save_draft(
            actor=office, unit=unit("540100"), as_of=AS_OF, language="zh-hans", texts={"learning": {"after": typed}}
        )
    assert "learning_after" in exc.value.error_dict


def test_only_office_admins_in_scope_edit_or_publish(cg_reporter, cg_office, unit):
    with pytest.raises(ValidationError):
        services.save_draft(actor=cg_reporter, unit=unit("540102"), as_of=AS_OF, language="zh-hans", texts={})
    with pytest.raises(ValidationError):
        services.publish_report(actor=cg_office, unit=unit("540100"), as_of=AS_OF, language="zh-hans")


def test_publishing_freezes_text_figures_versions_and_a_hash(office, unit, seed_values):
    published = services.publish_report(actor=office, unit=unit("540100"), as_of=AS_OF, language="zh-hans")
    assert published.scope["unit"] == "540100"
    assert "2.8万场次" in published.text
    study = next(f for f in published.figures if f["code"] == "study.sessions")
    assert study == {
        "code": "study.sessions",
        "version": 1,
        "value": "28036",
        "formatted": "2.8万场次",
        "section": "learning",
    }
    assert len(published.sha256) == 64
    assert services.verify(published)
    published.figures[0]["value"] = "1"
    assert not services.verify(published)


def test_a_published_report_shows_the_same_figures_after_rows_change(office, unit, record):
    activity = record(code="540102001", kind="collective_study", sessions=3)
    published = services.publish_report(actor=office, unit=unit("540102"), as_of=AS_OF, language="zh-hans")
    assert "集中学习3场次" in published.text

    from ledger import services as ledger_services

    ledger_services.update_activity(actor=office, activity=activity, version=activity.version, sessions=7)
    published = PublishedReport.objects.get(pk=published.pk)
    frozen = selectors.published_report(published)
    assert "集中学习3场次" in "".join(p.text for s in frozen.sections for p in s.paragraphs)

    differences = {d.code: d for d in selectors.differences(published)}
    assert set(differences) == {"study.sessions"}
    changed = differences["study.sessions"]
    assert (changed.published, changed.today) == ("3", "7")
    assert [e.object_id for e in changed.changes] == [activity.pk]


def test_nothing_differs_right_after_publishing(office, unit, record):
    record(code="540102001", kind="collective_study", sessions=3)
    published = services.publish_report(actor=office, unit=unit("540102"), as_of=AS_OF, language="bo")
    assert selectors.differences(published) == []


def test_a_build_runs_in_the_background_and_reports_progress(
    office, unit, seed_values, immediate_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        build = services.request_build(
            actor=office, unit=unit("540100"), as_of=AS_OF, language="zh-hans", format="docx"
        )
    build = ReportBuild.objects.get(pk=build.pk)
    assert build.status == BuildStatus.DONE
    assert build.progress == 100
    assert "291.4万人次" in build.text
    assert build.file.name.endswith(".docx")


def test_a_build_outside_scope_is_refused(cg_office, unit):
    with pytest.raises(ValidationError):
        services.request_build(
            actor=cg_office, unit=unit("540100"), as_of=datetime.date(2021, 12, 31), language="bo", format="pdf"
        )


def test_cached_figures_are_served_until_a_record_changes(unit, record, figure_cache, django_assert_max_num_queries):
    from reports.report import build_report

    record(code="540102001", kind="collective_study", sessions=3)
    assert "集中学习3场次" in build_report(unit("540102"), AS_OF, "zh-hans").as_text()
    with django_assert_max_num_queries(6):
        assert "集中学习3场次" in build_report(unit("540102"), AS_OF, "zh-hans").as_text()
    record(code="540102002", kind="collective_study", sessions=2)
    assert "集中学习5场次" in build_report(unit("540102"), AS_OF, "zh-hans").as_text()
