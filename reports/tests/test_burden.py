"""The reporting burden behind a published report: figures from records against numbers typed
by hand, shown on the data-quality page of the reporting burden."""

import datetime

from django.urls import reverse

from reports.selectors import report_burden

START, END = datetime.date(2021, 2, 20), datetime.date(2021, 12, 31)


def _publish(office, unit):
    from django.utils import timezone

    from reports.models import PublishedReport

    PublishedReport.objects.create(
        unit=unit("540100"),
        as_of=END,
        start=START,
        language="zh-hans",
        title="进展情况",
        text="…",
        body={
            "lead": [{"parts": [{"t": "开展集中学习"}, {"f": 0}], "free": False}],
            "sections": [{"key": "x", "paragraphs": [{"parts": [{"t": "另外完成12项、共35人"}], "free": True}]}],
        },
        figures=[{"code": "study.sessions", "value": "1"}],
        sha256="0" * 64,
        published_by=office,
        published_at=timezone.now(),
    )


def test_numbers_typed_into_a_reports_free_text_are_counted(office, unit):
    _publish(office, unit)
    burden = report_burden(office, unit("540100"))
    assert burden.from_records == 1 and burden.typed == 2


def test_the_burden_page_of_data_quality_shows_the_latest_published_report(as_user, office, unit):
    client = as_user(office)
    page = client.get(reverse("quality:burden"), {"unit": "540100"}).content.decode()
    assert 'data-testid="report-burden"' not in page and 'data-testid="delays"' in page
    _publish(office, unit)
    page = client.get(reverse("quality:burden"), {"unit": "540100"}).content.decode()
    assert 'data-testid="report-burden"' in page and "进展情况" in page
