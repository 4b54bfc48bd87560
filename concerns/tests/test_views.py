from django.urls import reverse

from concerns import services
from concerns.models import Concern, KeyItem, Pairing, Programme, Visit
from concerns.tests.conftest import DAY
from orgs.models import Person, Unit


def _assigned(new_concern, cg_office, unit):
    concern = new_concern()
    services.assign_concern(actor=cg_office, concern=concern, version=concern.version, handling_unit=unit("540102001"))
    return Concern.objects.get(pk=concern.pk)


def test_the_landing_page_shows_the_figures_of_the_section(as_user, cg_reporter, new_concern):
    new_concern()
    response = as_user(cg_reporter).get(reverse("concerns:index"))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-code="concerns.collected"' in body and 'data-code="visits.count"' in body


def test_the_landing_page_lists_overdue_concerns_of_the_handling_unit(
    as_user, cg_reporter, cg_office, new_concern, unit
):
    concern = _assigned(new_concern, cg_office, unit)
    body = as_user(cg_reporter).get(reverse("concerns:index")).content.decode()
    assert 'data-testid="overdue"' in body and f"#{concern.pk}" in body


def test_the_landing_page_needs_a_bounded_number_of_queries(as_user, office, django_assert_max_num_queries):
    client = as_user(office)
    with django_assert_max_num_queries(40):
        assert client.get(reverse("concerns:index")).status_code == 200


def test_a_participant_may_not_open_the_section(as_user, participant):
    assert as_user(participant).get(reverse("concerns:index")).status_code == 403


def test_a_figure_page_shows_the_definition_and_the_rows(as_user, cg_reporter, new_concern):
    concern = new_concern()
    response = as_user(cg_reporter).get(
        reverse("concerns:figure", args=["concerns.resolution_rate"]), {"start": "2021-01-01", "end": "2021-12-31"}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "分母" in body  # the definition says what the denominator is
    assert f"#{concern.pk}" in body


def test_a_figure_outside_the_section_is_404(as_user, cg_reporter):
    assert as_user(cg_reporter).get(reverse("concerns:figure", args=["study.sessions"])).status_code == 404


def test_a_figure_for_a_unit_outside_scope_falls_back_to_the_own_unit(as_user, cg_reporter):
    body = as_user(cg_reporter).get(reverse("concerns:figure", args=["visits.count"]), {"unit": "540104"}).content
    assert 'name="unit" value="540102"' in body.decode()
    assert "达孜区" not in body.decode()


def test_the_figure_page_needs_a_bounded_number_of_queries(as_user, office, django_assert_max_num_queries):
    client = as_user(office)
    with django_assert_max_num_queries(25):
        assert client.get(reverse("concerns:figure", args=["concerns.collected"])).status_code == 200


def test_a_reporter_records_a_concern_through_the_page(as_user, cg_reporter, category):
    response = as_user(cg_reporter).post(
        reverse("concerns:concern_create"),
        {
            "unit": "540102001001",
            "category": category.pk,
            "source": "hotline",
            "description": "路灯不亮",
            "raised_by": "卓玛",
            "contact": "",
            "collected_on": "2021-06-01",
        },
    )
    assert response.status_code == 302
    assert Concern.objects.filter(description="路灯不亮", recorded_by=cg_reporter).exists()


def test_a_concern_outside_scope_cannot_be_recorded(as_user, cg_reporter, category):
    response = as_user(cg_reporter).post(
        reverse("concerns:concern_create"),
        {
            "unit": "540104",
            "category": category.pk,
            "source": "hotline",
            "description": "x",
            "raised_by": "y",
            "collected_on": "2021-06-01",
        },
    )
    assert response.status_code == 200 and 'data-field="unit"' in response.content.decode()


def test_the_concern_list_needs_a_bounded_number_of_queries(
    as_user, cg_reporter, new_concern, django_assert_max_num_queries
):
    for _ in range(5):
        new_concern()
    client = as_user(cg_reporter)
    # One of them reads the campaigns the reader works in (the list's period, the header).
    with django_assert_max_num_queries(13):
        response = client.get(reverse("concerns:concern_list"), {"overdue": "on"})
    assert response.status_code == 200


def test_the_concern_page_shows_the_timeline_and_the_contact_to_the_handling_chain(
    as_user, cg_reporter, cg_office, new_concern, unit, supervisor, office
):
    concern = _assigned(new_concern, cg_office, unit)
    body = as_user(cg_reporter).get(reverse("concerns:concern_detail", args=[concern.pk])).content.decode()
    assert 'data-testid="timeline"' in body and "13900000001" in body


def test_the_contact_is_hidden_from_a_leader_outside_the_handling_chain(as_user, leader, new_concern, office, unit):
    concern = new_concern()
    services.assign_concern(actor=office, concern=concern, version=concern.version, handling_unit=unit("540104"))
    dz = Unit.objects.get(code="540104")
    assert dz.path.startswith(leader.unit.path)  # the city leader's scope holds it, so the leader is in the chain
    body = as_user(leader).get(reverse("concerns:concern_detail", args=[concern.pk])).content.decode()
    assert "13900000001" in body


def test_a_concern_outside_scope_is_404(as_user, dz_reporter, new_concern):
    concern = new_concern()
    assert as_user(dz_reporter).get(reverse("concerns:concern_detail", args=[concern.pk])).status_code == 404
    assert as_user(dz_reporter).post(reverse("concerns:concern_act", args=[concern.pk])).status_code == 404


def test_starting_a_concern_through_the_page(as_user, cg_reporter, cg_office, new_concern, unit):
    concern = _assigned(new_concern, cg_office, unit)
    response = as_user(cg_reporter).post(
        reverse("concerns:concern_act", args=[concern.pk]), {"action": "start", "version": concern.version}
    )
    assert response.status_code == 302
    assert Concern.objects.get(pk=concern.pk).state == "in_progress"


def test_a_refused_transition_shows_a_clear_message(as_user, cg_reporter, new_concern):
    concern = new_concern()
    response = as_user(cg_reporter).post(
        reverse("concerns:concern_act", args=[concern.pk]),
        {"action": "reopen", "version": concern.version, "reason": "x"},
    )
    assert response.status_code == 200
    assert 'data-testid="refusal"' in response.content.decode()


def test_a_stale_edit_gets_a_conflict_message(as_user, cg_reporter, cg_office, new_concern, category):
    concern = new_concern()
    stale = concern.version
    as_user(cg_office).post(
        reverse("concerns:concern_edit", args=[concern.pk]),
        {"version": stale, "category": category.pk, "description": "先改"},
    )
    response = as_user(cg_reporter).post(
        reverse("concerns:concern_edit", args=[concern.pk]),
        {"version": stale, "category": category.pk, "description": "后改"},
    )
    assert response.status_code == 200
    assert "已有其他人修改了它" in response.content.decode()
    assert Concern.objects.get(pk=concern.pk).description == "先改"


def test_a_leader_records_a_visit_through_the_page(as_user, leader, unit):
    person = Person.objects.filter(rank="prefecture", unit__code="540100").first()
    response = as_user(leader).post(
        reverse("concerns:visit_create"),
        {"unit": "540102001", "date": "2021-06-01", "purpose": "research", "people": [person.pk], "notes": "调研"},
    )
    assert response.status_code == 302
    visit = Visit.objects.get(notes="调研")
    assert list(visit.people.all()) == [person]
    assert as_user(leader).get(reverse("concerns:visit_detail", args=[visit.pk])).status_code == 200


def test_the_visit_list_needs_a_bounded_number_of_queries(as_user, office, django_assert_max_num_queries):
    person = Person.objects.filter(rank="prefecture").first()
    for _ in range(5):
        services.record_visit(
            actor=office, unit=Unit.objects.get(code="540102001"), date=DAY, purpose="research", people=[person]
        )
    client = as_user(office)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("concerns:visit_list")).status_code == 200


def test_a_visit_outside_scope_is_404(as_user, dz_reporter, office):
    person = Person.objects.filter(rank="prefecture").first()
    visit = services.record_visit(
        actor=office, unit=Unit.objects.get(code="540102001"), date=DAY, purpose="research", people=[person]
    )
    assert as_user(dz_reporter).get(reverse("concerns:visit_detail", args=[visit.pk])).status_code == 404


def test_the_assignment_map_shows_the_gaps(as_user, office, django_assert_max_num_queries):
    client = as_user(office)
    with django_assert_max_num_queries(15):
        response = client.get(reverse("concerns:assignments"))
    assert 'data-testid="townships-open"' in response.content.decode()


def test_an_office_admin_assigns_a_leader_through_the_page(as_user, office):
    person = Person.objects.filter(rank="prefecture", unit__code="540100").first()
    response = as_user(office).post(
        reverse("concerns:assignment_create"),
        {"form": "leader", "leader-person": person.pk, "leader-target": "540102001", "leader-since": "2021-03-01"},
    )
    assert response.status_code == 302
    assert person.assignments.filter(target__code="540102001").exists()


def test_a_reporter_may_not_assign_leaders(as_user, cg_reporter):
    assert as_user(cg_reporter).get(reverse("concerns:assignment_create")).status_code == 403


def _item(unit_code):
    programme = Programme.objects.create(unit=Unit.objects.get(code="540100"), name_zh="平安拉萨便民工程", name_bo="x")
    return KeyItem.objects.create(
        programme=programme,
        title_zh="停车难",
        title_bo="x",
        responsible_unit=Unit.objects.get(code=unit_code),
        listed_on=DAY,
        region_code="540100",
    )


def test_key_items_list_and_detail(as_user, office, django_assert_max_num_queries):
    item = _item("540102")
    client = as_user(office)
    with django_assert_max_num_queries(12):
        assert "停车难" in client.get(reverse("concerns:key_item_list")).content.decode()
    assert client.get(reverse("concerns:key_item_detail", args=[item.pk])).status_code == 200


def test_an_office_adds_and_completes_a_milestone_then_confirms(as_user, office):
    item = _item("540102")
    client = as_user(office)
    url = reverse("concerns:key_item_act", args=[item.pk])
    client.post(url, {"action": "milestone", "title_zh": "施工", "due": "2021-09-01", "weight": 3})
    milestone = item.milestones.get()
    refused = client.post(url, {"action": "confirm"})
    assert 'data-testid="refusal"' in refused.content.decode()
    client.post(url, {"action": "done", "milestone": milestone.pk})
    client.post(url, {"action": "confirm"})
    assert KeyItem.objects.get(pk=item.pk).status == "solved"


def test_a_key_item_outside_scope_is_404(as_user, dz_reporter):
    item = _item("540102")
    assert as_user(dz_reporter).get(reverse("concerns:key_item_detail", args=[item.pk])).status_code == 404


def test_an_office_promotes_a_concern_into_a_key_item(as_user, office, new_concern):
    concern = new_concern()
    programme = Programme.objects.create(unit=Unit.objects.get(code="540100"), name_zh="幸福拉萨惠民工程", name_bo="x")
    response = as_user(office).post(
        reverse("concerns:concern_act", args=[concern.pk]),
        {
            "action": "promote",
            "programme": programme.pk,
            "title_zh": "背街小巷脏乱",
            "title_bo": "ལམ་ཕྲན་གཙང་སྦྲ།",
            "responsible_unit": "540100D25",
        },
    )
    assert response.status_code == 302
    item = KeyItem.objects.get(title_zh="背街小巷脏乱")
    assert list(item.concerns.all()) == [concern]


def test_pairings_list_and_detail(as_user, office, cg_reporter, dz_reporter, django_assert_max_num_queries):
    branch = Unit.objects.filter(
        path__startswith=Unit.objects.get(code="540102001001").path, kind="party_branch"
    ).first()
    pairing = services.create_pairing(
        actor=office, city_org=Unit.objects.get(code="540100D16P0"), village_branch=branch, since=DAY
    )
    client = as_user(cg_reporter)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("concerns:pairing_list")).status_code == 200
    assert as_user(cg_reporter).get(reverse("concerns:pairing_detail", args=[pairing.pk])).status_code == 200
    assert as_user(dz_reporter).get(reverse("concerns:pairing_detail", args=[pairing.pk])).status_code == 404
    assert Pairing.objects.visible_to(cg_reporter).count() == 1


def test_the_categories_page_shows_the_time_limits(as_user, cg_reporter):
    assert "停车" in as_user(cg_reporter).get(reverse("concerns:categories")).content.decode()


def test_overdue_concerns_stand_out_in_the_list(as_user, cg_reporter, new_concern):
    concern = new_concern()  # collected 2021-06-01, never responded to: long past its limit
    body = as_user(cg_reporter).get(reverse("concerns:concern_list"), {"overdue": "on"}).content.decode()
    assert f"#{concern.pk}" in body and "badge bad" in body


def test_an_office_links_a_concern_to_a_key_item(as_user, office, new_concern):
    item = _item("540102")
    concern = new_concern()
    client = as_user(office)
    client.post(reverse("concerns:key_item_act", args=[item.pk]), {"action": "link", "concern": f"#{concern.pk}"})
    assert list(item.concerns.all()) == [concern]
    refused = client.post(reverse("concerns:key_item_act", args=[item.pk]), {"action": "link", "concern": "999999"})
    assert 'data-testid="refusal"' in refused.content.decode()


def test_the_handling_units_home_page_shows_its_overdue_concerns(as_user, cg_reporter, cg_office, new_concern):
    import datetime

    concern = new_concern(collected_on=datetime.date(2021, 3, 1))
    services.assign_concern(actor=cg_office, concern=concern, handling_unit=concern.unit, version=concern.version)
    page = as_user(cg_office).get(reverse("home")).content.decode()
    assert 'data-testid="overdue"' in page
    assert f"#{concern.pk}" in page


def test_a_pairing_counts_the_theme_days_and_volunteering_of_its_city_organisation(as_user, office):
    from ledger import services as ledger
    from ledger.models import ActivityKind

    city_org = Unit.objects.get(code="540100D16P0")
    branch = Unit.objects.filter(
        path__startswith=Unit.objects.get(code="540102001001").path, kind="party_branch"
    ).first()
    pairing = services.create_pairing(actor=office, city_org=city_org, village_branch=branch, since=DAY)
    below = Unit.objects.filter(path__startswith=city_org.path).exclude(pk=city_org.pk).first()
    for code, unit in (
        ("pairing_theme_day", city_org),
        ("pairing_volunteering", below),
        ("collective_study", city_org),
    ):
        ledger.record_activity(
            actor=office, unit=unit, kind=ActivityKind.objects.get(code=code), date=DAY, sessions=1, participants=12
        )
    response = as_user(office).get(reverse("concerns:pairing_detail", args=[pairing.pk]))
    assert response.context["activities"] == 2
