import pytest
from django.core.exceptions import ValidationError

from orgs import services
from orgs.choices import Role, UnitKind
from orgs.models import Account, Unit


def _fields(exc: ValidationError) -> set[str]:
    return set(exc.message_dict)


def test_an_office_admin_creates_a_village_under_a_township(cg_office, unit):
    township = unit("540102001")
    village = services.create_unit(
        actor=cg_office,
        parent=township,
        code="540102001099",
        name_zh="新村",
        name_bo="གྲོང་ཚོ་གསར་པ།",
        kind=UnitKind.VILLAGE,
    )
    village.refresh_from_db()
    assert Unit.objects.get_parent(village) == township
    assert village.region_code == "540100"
    assert village.path.startswith(township.path)


def test_a_duplicate_code_is_refused_and_nothing_is_written(cg_office, unit):
    before = Unit.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.create_unit(
            actor=cg_office,
            parent=unit("540102001"),
            code="540102001001",
            name_zh="重复",
            name_bo="བསྐྱར།",
            kind=UnitKind.VILLAGE,
        )
    assert _fields(exc.value) == {"code"}
    assert Unit.objects.count() == before


def test_an_empty_tibetan_name_is_refused_naming_the_field(cg_office, unit):
    with pytest.raises(ValidationError) as exc:
        services.create_unit(
            actor=cg_office,
            parent=unit("540102001"),
            code="540102001098",
            name_zh="新村",
            name_bo="  ",
            kind=UnitKind.VILLAGE,
        )
    assert _fields(exc.value) == {"name_bo"}
    assert not Unit.objects.filter(code="540102001098").exists()


def test_a_unit_cannot_be_created_outside_the_creators_scope(cg_office, unit):
    with pytest.raises(ValidationError) as exc:
        services.create_unit(
            actor=cg_office, parent=unit("540104001"), code="X1", name_zh="越权", name_bo="ཕྱི།", kind=UnitKind.VILLAGE
        )
    assert _fields(exc.value) == {"parent"}


def test_a_kind_that_does_not_fit_its_parent_is_refused(cg_office, unit):
    with pytest.raises(ValidationError) as exc:
        services.create_unit(
            actor=cg_office, parent=unit("540102001001"), code="X2", name_zh="县", name_bo="རྫོང་།", kind=UnitKind.COUNTY
        )
    assert _fields(exc.value) == {"kind"}


def test_unknown_unit_codes_are_refused_naming_the_field(db):
    with pytest.raises(ValidationError) as exc:
        services.unit_by_code("999999", field="parent")
    assert _fields(exc.value) == {"parent"}


def test_a_unit_cannot_move_under_its_own_descendant(cg_office, unit):
    township = unit("540102001")
    path_before = township.path
    with pytest.raises(ValidationError) as exc:
        services.move_unit(actor=cg_office, unit=township, new_parent=unit("540102001001"))
    assert _fields(exc.value) == {"parent"}
    township.refresh_from_db()
    assert township.path == path_before


def test_a_village_moves_with_its_subtree_to_another_township(cg_office, unit):
    village = unit("540102001001")
    branches = village.subtree().count()
    target = unit("540102002")
    services.move_unit(actor=cg_office, unit=village, new_parent=target)
    village.refresh_from_db()
    assert Unit.objects.get_parent(village) == target
    assert village.subtree().count() == branches


def test_closing_a_unit_keeps_it_and_marks_the_merge(cg_office, unit):
    village = unit("540102001002")
    services.close_unit(actor=cg_office, unit=village, closed_on="2021-06-30", merged_into=unit("540102001001"))
    village.refresh_from_db()
    assert not village.active
    assert village.merged_into.code == "540102001001"


def test_an_account_for_a_unit_outside_the_creators_scope_is_refused(cg_office, unit):
    with pytest.raises(ValidationError) as exc:
        services.create_account(
            actor=cg_office, username="dz-new", unit=unit("540104"), role=Role.REPORTER, password="a-long-enough-pass-9"
        )
    assert _fields(exc.value) == {"unit"}
    assert not Account.objects.filter(username="dz-new").exists()


def test_an_account_is_created_with_an_argon2_hash(cg_office, unit):
    account = services.create_account(
        actor=cg_office,
        username="cg-village",
        unit=unit("540102001001"),
        role=Role.REPORTER,
        password="a-long-enough-pass-9",
    )
    assert account.password.startswith("argon2")
    assert account.check_password("a-long-enough-pass-9")


def test_a_weak_password_is_refused_at_the_password_field(cg_office, unit):
    with pytest.raises(ValidationError) as exc:
        services.create_account(
            actor=cg_office, username="cg-weak", unit=unit("540102"), role=Role.REPORTER, password="123"
        )
    assert _fields(exc.value) == {"password"}


def test_a_reporter_cannot_create_accounts(cg_reporter, unit):
    with pytest.raises(ValidationError):
        services.create_account(
            actor=cg_reporter, username="x", unit=unit("540102"), role=Role.REPORTER, password="a-long-enough-pass-9"
        )


def test_an_office_admin_disables_an_account_in_its_subtree_only(cg_office):
    barkor = Account.objects.get(username="barkor-reporter")
    services.set_account_active(actor=cg_office, account=barkor, active=False)
    barkor.refresh_from_db()
    assert not barkor.is_active
    with pytest.raises(ValidationError):
        services.set_account_active(
            actor=cg_office, account=Account.objects.get(username="dagze-reporter"), active=False
        )
