from auditlog.models import LogEntry
from django.test import Client
from django.urls import reverse

from orgs.models import Account, Unit


def test_the_tree_opens_at_the_accounts_own_unit(as_user, cg_reporter):
    response = as_user(cg_reporter).get(reverse("orgs:unit_tree"))
    assert response.status_code == 302
    assert response.url == reverse("orgs:unit_detail", args=["540102"])


def test_a_unit_page_lists_its_children(as_user, cg_reporter):
    response = as_user(cg_reporter).get(reverse("orgs:unit_detail", args=["540102"]))
    assert response.status_code == 200
    assert "八廓街道" in response.content.decode()


def test_a_unit_outside_scope_is_404(as_user, cg_reporter):
    assert as_user(cg_reporter).get(reverse("orgs:unit_detail", args=["540104"])).status_code == 404
    assert as_user(cg_reporter).get(reverse("orgs:unit_detail", args=["nope"])).status_code == 404


def test_the_unit_page_needs_a_bounded_number_of_queries(as_user, office, django_assert_max_num_queries):
    client = as_user(office)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("orgs:unit_detail", args=["540100"]))
    assert response.status_code == 200


def test_an_office_admin_creates_a_unit_through_the_page(as_user, cg_office):
    response = as_user(cg_office).post(
        reverse("orgs:unit_create", args=["540102001"]),
        {
            "code": "540102001090",
            "name_zh": "试验社区",
            "name_bo": "ཚོད་ལྟའི་སྡོད་ཁུལ།",
            "kind": "village",
            "party_members": 5,
        },
    )
    assert response.status_code == 302
    created = Unit.objects.get(code="540102001090")
    entry = LogEntry.objects.get_for_object(created).get()
    assert entry.actor == cg_office


def test_a_refused_unit_shows_the_message_at_the_field(as_user, cg_office):
    response = as_user(cg_office).post(
        reverse("orgs:unit_create", args=["540102001"]),
        {"code": "540102001091", "name_zh": "试验社区", "name_bo": "", "kind": "village", "party_members": 5},
    )
    assert response.status_code == 200
    assert 'data-field="name_bo"' in response.content.decode()
    assert not Unit.objects.filter(code="540102001091").exists()


def test_a_reporter_may_not_open_the_unit_form(as_user, cg_reporter):
    assert as_user(cg_reporter).get(reverse("orgs:unit_create", args=["540102"])).status_code == 403


def test_moving_a_unit_under_its_descendant_is_refused_in_the_page(as_user, cg_office):
    response = as_user(cg_office).post(reverse("orgs:unit_move", args=["540102001"]), {"parent": "540102001001"})
    assert response.status_code == 200
    assert 'data-field="parent"' in response.content.decode()


def test_moving_under_an_unknown_code_names_the_field(as_user, cg_office):
    response = as_user(cg_office).post(reverse("orgs:unit_move", args=["540102001001"]), {"parent": "540104001"})
    assert 'data-field="parent"' in response.content.decode()


def test_an_office_admin_creates_an_account_for_its_subtree(as_user, cg_office):
    response = as_user(cg_office).post(
        reverse("orgs:account_create"),
        {"username": "barkor-2", "unit": "540102001", "role": "reporter", "password": "a-long-enough-pass-9"},
    )
    assert response.status_code == 302
    assert Account.objects.get(username="barkor-2").unit.code == "540102001"


def test_an_account_outside_scope_is_refused_at_the_unit_field(as_user, cg_office):
    response = as_user(cg_office).post(
        reverse("orgs:account_create"),
        {"username": "dz-2", "unit": "540104", "role": "reporter", "password": "a-long-enough-pass-9"},
    )
    assert 'data-field="unit"' in response.content.decode()
    assert not Account.objects.filter(username="dz-2").exists()


def test_disabling_an_account_outside_scope_is_404(as_user, cg_office):
    dagze = Account.objects.get(username="dagze-reporter")
    response = as_user(cg_office).post(reverse("orgs:account_set_active", args=[dagze.pk]), {"active": "0"})
    assert response.status_code == 404
    dagze.refresh_from_db()
    assert dagze.is_active


def test_the_history_shows_who_changed_what(as_user, cg_office):
    client = as_user(cg_office)
    client.post(
        reverse("orgs:unit_edit", args=["540102001"]),
        {
            "name_zh": "八廓街道办事处",
            "name_bo": "བར་སྐོར་ཁྲོམ་གཞུང་ལས་དོན་ཁང་།",
            "kind": "township",
            "party_members": 10,
            "version": Unit.objects.get(code="540102001").version,
        },
    )
    page = client.get(reverse("orgs:unit_history", args=["540102001"])).content.decode()
    assert "八廓街道办事处" in page and "城关区学教办" in page


def test_the_account_list_shows_only_the_subtree(as_user, cg_office):
    page = as_user(cg_office).get(reverse("orgs:account_list")).content.decode()
    assert "barkor-reporter" in page
    assert "dagze-reporter" not in page


def test_unit_search_finds_units_in_scope_only(as_user, cg_reporter):
    page = as_user(cg_reporter).get(reverse("orgs:unit_search"), {"q": "5401"}).content.decode()
    assert "540102" in page and "540104" not in page


def test_the_second_of_two_concurrent_edits_is_refused_with_a_clear_message(cg_office):
    first, second = Client(), Client()
    first.force_login(cg_office)
    second.force_login(cg_office)
    url = reverse("orgs:unit_edit", args=["540102002"])
    # Both editors open the form and see the same version.
    version = first.get(url).context["form"].initial["version"]
    assert second.get(url).context["form"].initial["version"] == version
    data = {"name_zh": "吉日街道", "name_bo": "སྐྱིད་རི་ཁྲོམ་གཞུང་ལས་དོན་ཁང་།", "kind": "township", "party_members": 1}
    assert first.post(url, {**data, "party_members": 11, "version": version}).status_code == 302
    response = second.post(url, {**data, "party_members": 22, "version": version})
    assert response.status_code == 200
    assert "Someone else changed this record" in response.content.decode() or "他人" in response.content.decode()
    assert Unit.objects.get(code="540102002").party_members == 11
