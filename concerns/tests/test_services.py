import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.utils import translation

from concerns import services
from concerns.models import Concern, ConcernEvent
from concerns.tests.conftest import DAY


@pytest.fixture(autouse=True)
def in_english():
    with translation.override("en"):
        yield


def _fresh(concern):
    return Concern.objects.select_related("unit", "handling_unit").get(pk=concern.pk)


def test_a_collected_concern_gets_due_dates_from_its_category(new_concern, category):
    concern = new_concern()
    assert concern.state == "collected"
    assert (concern.response_due - DAY).days == category.response_days
    assert (concern.resolution_due - DAY).days == category.resolution_days
    assert concern.region_code == "540100"
    assert concern.events.get().kind == "collect"


def test_a_concern_goes_from_collection_to_verified_callback(new_concern, cg_office, cg_reporter, unit):
    concern = new_concern()
    services.assign_concern(actor=cg_office, concern=concern, version=concern.version, handling_unit=unit("540102001"))
    concern = _fresh(concern)
    services.start_concern(actor=cg_reporter, concern=concern, version=concern.version)
    concern = _fresh(concern)
    services.resolve_concern(
        actor=cg_reporter, concern=concern, version=concern.version, action_taken="划设车位", evidence="照片 12 张"
    )
    concern = _fresh(concern)
    services.record_callback(actor=cg_office, concern=concern, version=concern.version, satisfaction="satisfied")
    concern = _fresh(concern)
    assert concern.state == "verified"
    assert concern.responded_on and concern.resolved_on
    kinds = list(concern.events.values_list("kind", flat=True))
    assert kinds == ["collect", "assign", "start", "resolve", "callback"]


def test_every_transition_is_audited(new_concern, cg_office, unit):
    concern = new_concern()
    services.assign_concern(actor=cg_office, concern=concern, version=concern.version, handling_unit=unit("540102001"))
    assert LogEntry.objects.get_for_object(concern).filter(action=LogEntry.Action.UPDATE).exists()
    event = concern.events.get(kind="assign")
    assert LogEntry.objects.get_for_object(event).exists()


def test_a_transition_not_allowed_from_the_current_state_is_refused(new_concern, cg_reporter):
    concern = new_concern()
    with pytest.raises(ValidationError) as exc:
        services.resolve_concern(
            actor=cg_reporter, concern=concern, version=concern.version, action_taken="x", evidence="y"
        )
    assert "handling unit" in str(exc.value) or "collected" in str(exc.value)


def test_a_resolve_before_start_is_refused_by_the_state_table(new_concern, cg_office, cg_reporter, unit):
    concern = new_concern()
    services.assign_concern(actor=cg_office, concern=concern, version=concern.version, handling_unit=unit("540102001"))
    concern = _fresh(concern)
    with pytest.raises(ValidationError) as exc:
        services.resolve_concern(
            actor=cg_reporter, concern=concern, version=concern.version, action_taken="x", evidence="y"
        )
    assert "state" in exc.value.error_dict
    assert _fresh(concern).state == "assigned"


def _resolved(new_concern, cg_office, cg_reporter, unit):
    concern = new_concern()
    services.assign_concern(actor=cg_office, concern=concern, version=concern.version, handling_unit=unit("540102001"))
    concern = _fresh(concern)
    services.start_concern(actor=cg_reporter, concern=concern, version=concern.version)
    concern = _fresh(concern)
    services.resolve_concern(
        actor=cg_reporter, concern=concern, version=concern.version, action_taken="a", evidence="b"
    )
    return _fresh(concern)


def test_the_resolver_may_not_verify_their_own_resolution(new_concern, cg_office, cg_reporter, unit):
    concern = _resolved(new_concern, cg_office, cg_reporter, unit)
    with pytest.raises(ValidationError) as exc:
        services.record_callback(actor=cg_reporter, concern=concern, version=concern.version, satisfaction="satisfied")
    assert "somebody other than" in exc.value.message_dict["satisfaction"][0]
    assert _fresh(concern).state == "resolved"


def test_an_unsatisfied_callback_reopens_the_concern(new_concern, cg_office, cg_reporter, unit):
    concern = _resolved(new_concern, cg_office, cg_reporter, unit)
    services.record_callback(actor=cg_office, concern=concern, version=concern.version, satisfaction="not_satisfied")
    concern = _fresh(concern)
    assert concern.state == "reopened" and concern.satisfaction == "not_satisfied"
    services.start_concern(actor=cg_reporter, concern=concern, version=concern.version)
    assert _fresh(concern).state == "in_progress"


def test_resolution_needs_what_was_done_and_evidence(new_concern, cg_office, cg_reporter, unit):
    concern = new_concern()
    services.assign_concern(actor=cg_office, concern=concern, version=concern.version, handling_unit=unit("540102001"))
    concern = _fresh(concern)
    services.start_concern(actor=cg_reporter, concern=concern, version=concern.version)
    concern = _fresh(concern)
    with pytest.raises(ValidationError) as exc:
        services.resolve_concern(
            actor=cg_reporter, concern=concern, version=concern.version, action_taken="", evidence=""
        )
    assert "action_taken" in exc.value.error_dict


def test_an_assignment_outside_the_assigners_reach_is_refused(new_concern, cg_office, unit):
    concern = new_concern()
    with pytest.raises(ValidationError) as exc:
        services.assign_concern(actor=cg_office, concern=concern, version=concern.version, handling_unit=unit("540104"))
    assert "within your reach" in exc.value.message_dict["handling_unit"][0]
    assert _fresh(concern).handling_unit is None


def test_a_reporter_may_not_assign(new_concern, cg_reporter, unit):
    concern = new_concern()
    with pytest.raises(ValidationError):
        services.assign_concern(
            actor=cg_reporter, concern=concern, version=concern.version, handling_unit=unit("540102001")
        )


def test_the_second_of_two_simultaneous_edits_gets_a_conflict(new_concern, cg_office, cg_reporter, category):
    concern = new_concern()
    first = _fresh(concern)
    second = _fresh(concern)
    services.update_concern(
        actor=cg_reporter, concern=first, version=first.version, description="第一", category=category
    )
    with pytest.raises(ValidationError) as exc:
        services.update_concern(
            actor=cg_office, concern=second, version=second.version, description="第二", category=category
        )
    assert "Somebody else changed this concern" in exc.value.message_dict["version"][0]
    assert _fresh(concern).description == "第一"


def test_a_reassignment_needs_a_reason_and_is_recorded(new_concern, cg_office, unit):
    concern = new_concern()
    services.assign_concern(actor=cg_office, concern=concern, version=concern.version, handling_unit=unit("540102001"))
    concern = _fresh(concern)
    with pytest.raises(ValidationError):
        services.assign_concern(
            actor=cg_office, concern=concern, version=concern.version, handling_unit=unit("540102002")
        )
    services.assign_concern(
        actor=cg_office, concern=concern, version=concern.version, handling_unit=unit("540102002"), note="属地调整"
    )
    event = ConcernEvent.objects.get(concern=concern, kind="reassign")
    assert event.reason == "属地调整"


def test_a_returned_concern_goes_back_to_collected_with_its_reason(new_concern, cg_office, cg_reporter, unit):
    concern = new_concern()
    services.assign_concern(actor=cg_office, concern=concern, version=concern.version, handling_unit=unit("540102001"))
    concern = _fresh(concern)
    services.return_concern(actor=cg_reporter, concern=concern, version=concern.version, reason="不属本单位职责")
    concern = _fresh(concern)
    assert concern.state == "collected" and concern.handling_unit is None
    assert concern.events.get(kind="return").handling_unit.code == "540102001"


def test_not_resolvable_needs_the_offices_sign_off(new_concern, cg_office, cg_reporter, unit):
    concern = new_concern()
    services.assign_concern(actor=cg_office, concern=concern, version=concern.version, handling_unit=unit("540102001"))
    concern = _fresh(concern)
    services.mark_not_resolvable(actor=cg_reporter, concern=concern, version=concern.version, reason="规划限制")
    concern = _fresh(concern)
    with pytest.raises(ValidationError):
        services.sign_off_not_resolvable(actor=cg_reporter, concern=concern, version=concern.version, approve=True)
    services.sign_off_not_resolvable(actor=cg_office, concern=concern, version=concern.version, approve=True)
    assert _fresh(concern).state == "closed_not_resolvable"


def test_a_duplicate_points_at_its_original(new_concern, cg_office):
    original = new_concern()
    copy = new_concern()
    services.mark_duplicate(actor=cg_office, concern=copy, version=copy.version, original=original)
    copy = _fresh(copy)
    assert copy.state == "duplicate" and copy.duplicate_of == original
    with pytest.raises(ValidationError):
        services.mark_duplicate(actor=cg_office, concern=original, version=original.version, original=original)


def test_a_concern_is_visible_through_where_it_arose_or_who_handles_it(
    new_concern, office, dz_reporter, cg_reporter, unit
):
    concern = new_concern()
    assert not Concern.objects.visible_to(dz_reporter).filter(pk=concern.pk).exists()
    services.assign_concern(actor=office, concern=concern, version=concern.version, handling_unit=unit("540104"))
    assert Concern.objects.visible_to(dz_reporter).filter(pk=concern.pk).exists()
    assert Concern.objects.visible_to(cg_reporter).filter(pk=concern.pk).exists()


def test_contact_details_are_for_the_handling_chain_only(new_concern, office, dz_reporter, supervisor, unit):
    concern = new_concern()
    services.assign_concern(actor=office, concern=concern, version=concern.version, handling_unit=unit("540104"))
    concern = _fresh(concern)
    assert services.can_see_contact(dz_reporter, concern)
    assert not services.can_see_contact(supervisor, concern)


def test_a_visit_names_at_least_one_person(office, unit):
    with pytest.raises(ValidationError) as exc:
        services.record_visit(actor=office, unit=unit("540102001"), date=DAY, purpose="research", people=[])
    assert "people" in exc.value.error_dict


def test_a_key_item_is_solved_only_when_every_milestone_is_done(office, unit):
    from concerns.models import Programme

    programme = Programme.objects.create(unit=unit("540100"), name_zh="平安拉萨便民工程", name_bo="x")
    item = services.create_key_item(
        actor=office,
        programme=programme,
        title_zh="停车难",
        title_bo="x",
        responsible_unit=unit("540100D16"),
        listed_on=DAY,
    )
    milestone = services.add_milestone(actor=office, item=item, title_zh="调查", due=DAY, weight=2)
    with pytest.raises(ValidationError):
        services.confirm_key_item(actor=office, item=item)
    services.complete_milestone(actor=office, milestone=milestone)
    item = services.confirm_key_item(actor=office, item=item)
    assert item.status == "solved"


def test_a_pairing_joins_a_party_organisation_with_a_village_branch(office, unit):
    from orgs.models import Unit

    branch = Unit.objects.filter(path__startswith=unit("540102001001").path, kind="party_branch").first()
    pairing = services.create_pairing(actor=office, city_org=unit("540100D16P0"), village_branch=branch, since=DAY)
    assert pairing.region_code == "540100"
    with pytest.raises(ValidationError):
        services.create_pairing(actor=office, city_org=unit("540100D16"), village_branch=branch, since=DAY)
