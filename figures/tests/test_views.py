"""The indicator pages: every figure for a unit and range, its breakdowns and its rows."""

from django.urls import reverse


def test_the_pages_keep_their_addresses_under_the_ledger():
    assert reverse("figures:table") == "/ledger/indicators/"
    assert reverse("figures:detail", args=["study.sessions"]) == "/ledger/indicators/study.sessions/"
    assert reverse("figures:rows", args=["study.sessions"]) == "/ledger/indicators/study.sessions/rows/"


def test_the_figures_page_links_every_value_to_its_rows(as_user, record, office, django_assert_max_num_queries):
    record("540102001", participants=5)
    client = as_user(office)
    with django_assert_max_num_queries(40):
        response = client.get(reverse("figures:table"), {"unit": "540100"})
    body = response.content.decode()
    assert response.status_code == 200
    assert 'data-code="study.sessions">1</a>' in body
    assert reverse("figures:rows", args=["study.sessions"]) + "?unit=540100" in body


def test_the_indicator_page_breaks_down_by_children_and_months(as_user, record, office):
    record("540102001", participants=5)
    body = as_user(office).get(reverse("figures:detail", args=["study.sessions"]), {"unit": "540100"}).content.decode()
    assert "城关区" in body and "2021-07" in body


def test_the_rows_behind_a_figure_are_exactly_its_rows(as_user, record, office):
    record("540102001", title="计入")
    record("540102001", kind="film", title="不计入", participants=5)
    body = (
        as_user(office)
        .get(reverse("figures:rows", args=["study.sessions"]), {"unit": "540102", "start": "2021-07-01"})
        .content.decode()
    )
    assert "计入" in body and "不计入" not in body


def test_indicator_pages_refuse_a_unit_outside_scope(as_user, cg_reporter):
    client = as_user(cg_reporter)
    for name, args in [("figures:table", []), ("figures:detail", ["study.sessions"]),
                       ("figures:rows", ["study.sessions"])]:  # fmt: skip
        assert client.get(reverse(name, args=args), {"unit": "540104"}).status_code == 404
    assert client.get(reverse("figures:detail", args=["no.such"])).status_code == 404
