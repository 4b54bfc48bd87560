"""Setting a campaign up in the pages, copying one into the next, and a campaign's set-up
as one document: exported, read back, refused whole when anything in it is wrong."""

from __future__ import annotations

import datetime
import io
import json

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from campaigns import services, transfer
from campaigns.choices import CampaignStatus, LeadingPost
from campaigns.models import Campaign, LeadingGroupMember, SupervisionGroup
from ledger.campaign_setup import set_campaign_catalogue
from ledger.models import ActivityKind, DefinedIndicator
from orglife.models import MeetingNotice
from orglife.tests.factories import notice
from orgs.models import Person, Unit
from quiz.models import Question
from quiz.tests.factories import open_quiz

pytestmark = pytest.mark.django_db

START, END = datetime.date(2023, 4, 1), datetime.date(2023, 8, 31)
NAME_ZH = "学习贯彻习近平新时代中国特色社会主义思想主题教育"
NAME_BO = "ཞི་ཅིན་ཕིང་གི་དུས་རབས་གསར་པའི་ཀྲུང་གོའི་ཁྱད་ཆོས་ལྡན་པའི་སྤྱི་ཚོགས་རིང་ལུགས་ཀྱི་བསམ་བློ་སློབ་སྦྱོང་དང་ལག་བསྟར་གྱི་བརྗོད་གཞིའི་སློབ་གསོ།"


@pytest.fixture(autouse=True)
def _english():
    """The refusals are read in English here, whatever the platform's default language."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def lhasa_campaign(office):
    """The world's campaign, with two kinds of activity, a defined indicator, a quiz and a
    meeting notice of its own."""
    campaign = Campaign.objects.get(root_unit__code="540100")
    kinds = list(ActivityKind.objects.filter(code__in=["collective_study", "lecture_theory"]))
    assert len(kinds) == 2
    indicator = DefinedIndicator.objects.create(
        code="study.test_sessions",
        name_zh="测试场次",
        name_bo="ཚོད་ལྟའི་ཐེངས།",
        name_en="test sessions",
        measure_zh="场次",
        measure_bo="ཐེངས།",
        measure_en="sessions",
        section="learning",
        measure="sessions",
    )
    indicator.kinds.set(kinds[:1])
    set_campaign_catalogue(actor=office, campaign=campaign, kinds=kinds, indicators=[indicator])
    open_quiz()
    notice()
    return campaign


def _document(campaign: Campaign) -> dict:
    return json.loads(json.dumps(transfer.dump_document(campaign)))


def _parts_without_dates(document: dict) -> dict:
    parts = dict(document["parts"])
    parts["orglife.notices"] = [
        {k: v for k, v in row.items() if k not in ("window_from", "window_to", "issued_on")}
        for row in parts["orglife.notices"]
    ]
    parts["quiz.bank"] = [
        {k: v for k, v in row.items() if k not in ("opens_at", "closes_at")} for row in parts["quiz.bank"]
    ]
    return parts


def _upload(body: bytes, name: str = "campaign.json") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, body, content_type="application/json")


# --- the campaign's own pages ---------------------------------------------------------------


def test_an_office_creates_a_campaign_in_the_pages_and_it_is_audited(client, office):
    client.force_login(office)
    response = client.post(
        reverse("campaigns:setup_new"),
        {
            "name_zh": "县级主题教育",
            "name_bo": "རྫོང་རིམ་བརྗོད་གཞིའི་སློབ་གསོ།",
            "start": "2023-04-01",
            "end": "2023-08-31",
            "root_unit": Unit.objects.get(code="540100").pk,
            "office_unit": Unit.objects.get(code="540100D03").pk,
            "status": "draft",
        },
    )
    campaign = Campaign.objects.get(name_zh="县级主题教育")
    assert response.status_code == 302 and response["Location"] == reverse("campaigns:setup_detail", args=[campaign.pk])
    ct = ContentType.objects.get_for_model(Campaign)
    assert LogEntry.objects.filter(content_type=ct, object_id=campaign.pk, action=LogEntry.Action.CREATE).exists()
    assert client.get(response["Location"]).status_code == 200


def test_a_period_that_ends_before_it_starts_is_refused_at_the_end_field(client, office):
    client.force_login(office)
    response = client.post(
        reverse("campaigns:setup_new"),
        {
            "name_zh": "x",
            "name_bo": "x",
            "start": "2023-08-31",
            "end": "2023-04-01",
            "root_unit": Unit.objects.get(code="540100").pk,
            "status": "draft",
        },
    )
    assert response.status_code == 200
    assert "end" in response.context["form"].errors
    assert not Campaign.objects.filter(name_zh="x").exists()


def test_a_root_outside_the_offices_scope_is_refused(cg_office):
    with pytest.raises(ValidationError) as caught:
        services.create_campaign(
            actor=cg_office,
            name_zh="越权",
            name_bo="x",
            start=START,
            end=END,
            root_unit=Unit.objects.get(code="540100"),
            office_unit=None,
        )
    assert "root_unit" in caught.value.message_dict


def test_control_characters_in_a_name_are_refused(office):
    with pytest.raises(ValidationError) as caught:
        services.create_campaign(
            actor=office, name_zh="主题\x07教育", name_bo="x", start=START, end=END, root_unit=office.unit
        )
    assert "name_zh" in caught.value.message_dict


def test_an_office_edits_the_campaign_and_the_change_is_audited(client, office):
    campaign = Campaign.objects.get(root_unit__code="540100")
    client.force_login(office)
    page = client.get(reverse("campaigns:setup_edit", args=[campaign.pk]))
    data = {k: v for k, v in page.context["form"].initial.items()}
    data.update(root_unit=campaign.root_unit_id, office_unit=campaign.office_unit_id, name_zh="党史学习教育（修订）")
    data.update(start=campaign.start.isoformat(), end=campaign.end.isoformat())
    response = client.post(reverse("campaigns:setup_edit", args=[campaign.pk]), data)
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.name_zh == "党史学习教育（修订）"
    entry = LogEntry.objects.get_for_object(campaign).filter(action=LogEntry.Action.UPDATE).latest("timestamp")
    assert "name_zh" in entry.changes_dict


def test_the_leading_group_takes_people_of_the_campaign_only(office):
    campaign = Campaign.objects.get(root_unit__code="540100")
    inside = Person.objects.filter(unit__code="540100D16").first()
    outside = Person.objects.get(name_zh="外市领导")
    member = services.add_leading_member(
        actor=office, campaign=campaign, person=inside, post=LeadingPost.MEMBER, title="成员", order=9
    )
    assert member.campaign == campaign
    with pytest.raises(ValidationError) as caught:
        services.add_leading_member(actor=office, campaign=campaign, person=outside, post=LeadingPost.MEMBER)
    assert "person" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        services.add_leading_member(actor=office, campaign=campaign, person=inside, post=LeadingPost.MEMBER)
    assert "person" in caught.value.message_dict


def test_an_office_adds_and_removes_a_leading_member_in_the_pages(client, office):
    campaign = Campaign.objects.get(root_unit__code="540100")
    person = Person.objects.filter(unit__code="540100D25").first()
    client.force_login(office)
    url = reverse("campaigns:setup_member_new", args=[campaign.pk])
    response = client.post(url, {"person": person.pk, "post": "member", "title": "成员", "order": 7})
    assert response.status_code == 302
    member = LeadingGroupMember.objects.get(campaign=campaign, person=person)
    response = client.post(reverse("campaigns:setup_member", args=[campaign.pk, member.pk]), {"remove": "1"})
    assert response.status_code == 302
    assert not LeadingGroupMember.objects.filter(pk=member.pk).exists()


def test_a_supervision_group_covers_units_of_the_campaign_only(client, office, supervisor):
    campaign = Campaign.objects.get(root_unit__code="540100")
    head = Person.objects.filter(unit__code="540100", rank="prefecture").first()
    client.force_login(office)
    url = reverse("campaigns:setup_group_new", args=[campaign.pk])
    shigatse = Unit.objects.get(code="540202")
    response = client.post(url, {"number": 4, "head": head.pk, "units": [shigatse.pk]})
    assert response.status_code == 200 and "units" in response.context["form"].errors
    with pytest.raises(ValidationError) as caught:
        services.save_group(actor=office, campaign=campaign, number=4, head=head, units=[shigatse])
    assert "units" in caught.value.message_dict
    barkor = Unit.objects.get(code="540102001")
    response = client.post(url, {"number": 4, "head": head.pk, "units": [barkor.pk], "accounts": [supervisor.pk]})
    assert response.status_code == 302
    group = SupervisionGroup.objects.get(campaign=campaign, number=4)
    assert list(group.units.all()) == [barkor] and list(group.accounts.all()) == [supervisor]
    assert any("units" in e.changes_dict for e in LogEntry.objects.get_for_object(group))


def test_a_group_number_is_used_once(office):
    campaign = Campaign.objects.get(root_unit__code="540100")
    head = Person.objects.filter(unit__code="540100", rank="prefecture").first()
    with pytest.raises(ValidationError) as caught:
        services.save_group(actor=office, campaign=campaign, number=1, head=head)
    assert "number" in caught.value.message_dict


def test_the_ledger_page_picks_the_campaigns_kinds_and_records_it(client, office):
    campaign = Campaign.objects.get(root_unit__code="540100")
    study = ActivityKind.objects.get(code="collective_study")
    client.force_login(office)
    detail = client.get(reverse("campaigns:setup_detail", args=[campaign.pk]))
    assert reverse("ledger:campaign_catalogue", args=[campaign.pk]) in detail.content.decode()
    response = client.post(reverse("ledger:campaign_catalogue", args=[campaign.pk]), {"kinds": [study.pk]})
    assert response.status_code == 302
    assert list(campaign.activity_kinds.all()) == [study]
    entry = LogEntry.objects.get_for_object(campaign).latest("timestamp")
    assert "activity_kinds" in entry.changes_dict
    refused = client.post(reverse("ledger:campaign_catalogue", args=[campaign.pk]), {"kinds": []})
    assert refused.status_code == 200 and "kinds" in refused.context["form"].errors


# --- scope ----------------------------------------------------------------------------------


def test_another_office_cannot_see_set_up_copy_or_export_a_campaign_outside_its_scope(client, cg_office):
    campaign = Campaign.objects.get(root_unit__code="540100")
    client.force_login(cg_office)
    for name in ("setup_detail", "setup_edit", "setup_export", "setup_member_new", "setup_group_new"):
        assert client.get(reverse(f"campaigns:{name}", args=[campaign.pk])).status_code == 404, name
    assert client.get(reverse("ledger:campaign_catalogue", args=[campaign.pk])).status_code == 404
    response = client.post(
        reverse("campaigns:setup_copy"),
        {"source": campaign.pk, "name_zh": "x", "name_bo": "x", "start": "2023-04-01", "end": "2023-08-31"},
    )
    assert response.status_code == 200 and "source" in response.context["form"].errors
    with pytest.raises(ValidationError):
        services.copy_campaign(actor=cg_office, source=campaign, name_zh="x", name_bo="x", start=START, end=END)
    with pytest.raises(ValidationError):
        services.export_document(actor=cg_office, campaign=campaign)


def test_a_reporter_may_not_use_the_set_up_pages(client, cg_reporter):
    client.force_login(cg_reporter)
    assert client.get(reverse("campaigns:setup_list")).status_code == 403


# --- copy -----------------------------------------------------------------------------------


def test_a_copy_has_the_same_set_up_under_new_names_and_moves_its_notices(office, lhasa_campaign):
    copied = services.copy_campaign(
        actor=office, source=lhasa_campaign, name_zh=NAME_ZH, name_bo=NAME_BO, start=START, end=END
    )
    assert copied.status == CampaignStatus.DRAFT and copied.root_unit == lhasa_campaign.root_unit
    before, after = _document(lhasa_campaign), _document(copied)
    assert _parts_without_dates(after) == _parts_without_dates(before)
    assert after["parts"]["ledger.kinds"] and after["parts"]["quiz.bank"] and after["parts"]["campaigns.frame"]
    moved = MeetingNotice.objects.get(campaign=copied)
    assert START <= moved.window_from <= moved.window_to <= END
    quiz, source_quiz = copied.quizzes.get(), lhasa_campaign.quizzes.get()
    assert quiz.opens_at - source_quiz.opens_at == START - lhasa_campaign.start
    ct = ContentType.objects.get_for_model(SupervisionGroup)
    assert LogEntry.objects.filter(content_type=ct, object_id__in=copied.supervision_groups.values("pk")).exists()


def test_the_copy_page_copies_and_opens_the_set_up(client, office, lhasa_campaign):
    client.force_login(office)
    response = client.post(
        reverse("campaigns:setup_copy"),
        {
            "source": lhasa_campaign.pk,
            "name_zh": NAME_ZH,
            "name_bo": NAME_BO,
            "start": "2023-04-01",
            "end": "2023-08-31",
        },
    )
    copied = Campaign.objects.get(name_zh=NAME_ZH)
    assert response.status_code == 302 and response["Location"] == reverse("campaigns:setup_detail", args=[copied.pk])
    assert copied.supervision_groups.count() == 3


# --- export and import ----------------------------------------------------------------------


def test_a_round_trip_gives_an_equal_set_up(client, office, lhasa_campaign):
    client.force_login(office)
    exported = client.get(reverse("campaigns:setup_export", args=[lhasa_campaign.pk]))
    assert exported.status_code == 200 and exported["Content-Disposition"].startswith("attachment")
    body = exported.content
    assert json.loads(body)["format"] == transfer.FORMAT
    response = client.post(
        reverse("campaigns:setup_import"), {"file": _upload(body), "name_zh": NAME_ZH, "name_bo": NAME_BO}
    )
    assert response.status_code == 302, response.context and response.context["problems"]
    imported = Campaign.objects.get(name_zh=NAME_ZH)
    assert (imported.start, imported.end) == (lhasa_campaign.start, lhasa_campaign.end)
    assert _document(imported)["parts"] == _document(lhasa_campaign)["parts"]


def test_an_import_creates_missing_kinds_indicators_and_questions_from_their_definitions(office, lhasa_campaign):
    document = _document(lhasa_campaign)
    kind = dict(document["parts"]["ledger.kinds"][0], code="study_2023", name_zh="专题读书班2023")
    indicator = dict(document["parts"]["ledger.indicators"][0], code="study.sessions_2023", kinds=["study_2023"])
    question = next(r for r in document["parts"]["quiz.bank"] if r["type"] == "question")
    question = dict(question, key="q2023-new", text_zh="新的题目？")
    document["parts"]["ledger.kinds"].append(kind)
    document["parts"]["ledger.indicators"].append(indicator)
    document["parts"]["quiz.bank"].append(question)
    read = transfer.read_document(json.dumps(document).encode())
    imported = services.import_campaign(actor=office, document=read, name_zh=NAME_ZH, name_bo=NAME_BO)
    assert imported.activity_kinds.filter(code="study_2023", name_zh="专题读书班2023").exists()
    assert imported.defined_indicators.get(code="study.sessions_2023").kinds.get().code == "study_2023"
    assert Question.objects.get(key="q2023-new").options.count() == len(question["options"])


def test_a_code_whose_definition_differs_is_refused_with_its_name_and_nothing_is_written(office, lhasa_campaign):
    document = _document(lhasa_campaign)
    document["parts"]["ledger.kinds"][0]["name_zh"] = "另一种定义"
    document["parts"]["campaigns.frame"][0]["person"]["name_zh"] = "查无此人"
    code = document["parts"]["ledger.kinds"][0]["code"]
    read = transfer.read_document(json.dumps(document).encode())
    count = Campaign.objects.count()
    with pytest.raises(ValidationError) as caught:
        services.import_campaign(actor=office, document=read, name_zh=NAME_ZH, name_bo=NAME_BO)
    lines = transfer.problem_lines(caught.value)
    assert any(line.startswith("ledger.kinds: ") and code in line and "name_zh" in line for line in lines), lines
    assert any(line.startswith("campaigns.frame: ") and "row 1" in line and "person" in line for line in lines), lines
    assert Campaign.objects.count() == count


JUNK = {
    "not json": b"{this is not json",
    "deep nesting": b"[" * 100_000 + b"]" * 100_000,
    "shallow but too deep": json.dumps(
        {"format": transfer.FORMAT, "version": 1, "parts": {"x": [[[[[[[[[[[[[1]]]]]]]]]]]]]}}
    ).encode(),
    "huge number": b'{"format": "xuejiao.campaign", "version": ' + b"9" * 5000 + b"}",
    "NaN": b'{"format": "xuejiao.campaign", "version": NaN}',
    "control characters": b'{"format": "xuejiao.campaign", "version": 1, "campaign": {"name_zh": "a\\u0007b"}, "parts": {}}',
    "raw control character": b'{"format": "xuejiao.campaign\x07"}',
    "not utf-8": '{"format": "学教"}'.encode("gb18030"),
    "a list": b"[]",
    "wrong format": b'{"format": "something.else", "version": 1}',
    "future version": b'{"format": "xuejiao.campaign", "version": 2, "campaign": {}, "parts": {}}',
    "version as text": b'{"format": "xuejiao.campaign", "version": "1"}',
    "unknown part": b'{"format": "xuejiao.campaign", "version": 1, "campaign": {"name_zh": "a", "name_bo": "b", "start": "2023-04-01", "end": "2023-08-31", "root_unit": "540100"}, "parts": {"nope": []}}',
    "a png": b"\x89PNG\r\n\x1a\n" + b"\x00" * 100,
    "empty": b"",
}


@pytest.mark.parametrize("name", list(JUNK))
def test_junk_is_refused_with_a_message_and_writes_nothing(client, office, name):
    client.force_login(office)
    count = Campaign.objects.count()
    response = client.post(reverse("campaigns:setup_import"), {"file": _upload(JUNK[name])})
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors or response.context["problems"]
    assert Campaign.objects.count() == count


def test_a_future_version_is_refused_clearly():
    with pytest.raises(ValidationError) as caught:
        transfer.read_document(JUNK["future version"])
    assert "version 2" in " ".join(caught.value.messages)


def test_every_problem_names_its_part_row_and_field(office, lhasa_campaign):
    document = _document(lhasa_campaign)
    document["parts"]["campaigns.frame"][0]["order"] = 10**30
    document["parts"]["campaigns.frame"][1] = "not a row"
    document["parts"]["orglife.notices"][0]["window_from"] = "2023-13-01"
    document["parts"]["quiz.bank"][0]["name_zh"] = "\x1b"
    read = transfer.read_document(json.dumps(document).encode())
    with pytest.raises(ValidationError) as caught:
        services.import_campaign(actor=office, document=read, name_zh=NAME_ZH, name_bo=NAME_BO)
    lines = transfer.problem_lines(caught.value)
    assert any("campaigns.frame: row 1" in x and "order" in x for x in lines), lines
    assert any("campaigns.frame: row 2" in x for x in lines), lines
    assert any("orglife.notices: row 1" in x and "window_from" in x for x in lines), lines
    assert any("quiz.bank: row 1" in x and "name_zh" in x for x in lines), lines


def test_an_import_into_a_root_outside_scope_is_refused(cg_office, lhasa_campaign):
    read = transfer.read_document(json.dumps(_document(lhasa_campaign)).encode())
    with pytest.raises(ValidationError) as caught:
        services.import_campaign(actor=cg_office, document=read)
    assert "root_unit" in caught.value.message_dict


def test_an_import_under_a_county_refuses_the_citys_people_and_units(cg_office, lhasa_campaign):
    read = transfer.read_document(json.dumps(_document(lhasa_campaign)).encode())
    with pytest.raises(ValidationError) as caught:
        services.import_campaign(
            actor=cg_office, document=read, root_unit=Unit.objects.get(code="540102"), name_zh="x", name_bo="x"
        )
    lines = transfer.problem_lines(caught.value)
    assert any(line.startswith("campaigns.frame: ") for line in lines), lines


def test_the_upload_guard_refuses_an_oversized_document(client, office, settings):
    settings.XUEJIAO_UPLOAD_MAX_MB = 1
    client.force_login(office)
    body = b'{"format": "xuejiao.campaign", "pad": "' + b"x" * (2 * 1024 * 1024) + b'"}'
    response = client.post(reverse("campaigns:setup_import"), {"file": _upload(body)})
    assert response.status_code == 200 and "file" in response.context["form"].errors


def test_the_document_reads_back_from_a_file_object(lhasa_campaign):
    body = json.dumps(transfer.dump_document(lhasa_campaign), ensure_ascii=False).encode()
    read = transfer.read_document(io.BytesIO(body).read())
    assert read.campaign["root_unit"] == "540100" and set(read.parts) == set(transfer.PARTS)


def test_a_text_whose_first_bytes_end_inside_a_character_passes_the_upload_guard():
    from core import uploads

    body = ('{"format": "' + "藏" * 400 + '"}').encode()
    assert len(body[:512].decode("utf-8", errors="ignore").encode()) < 512  # the head ends inside a character
    assert uploads.check(io.BytesIO(body), ("text",)).kind == "text"


def test_no_mutation_of_a_document_gives_anything_but_a_refusal(office, lhasa_campaign, caplog):
    """Each part's rows with one value replaced by a value of another shape: every import
    ends in a campaign or a refusal, never in another exception."""
    import random

    rng = random.Random(24)
    odd = [None, True, -1, 10**40, 1.5, "", "\x07", "x" * 5000, [], {}, [[1]], {"a": {"b": 1}}, "2023-02-30"]
    base = _document(lhasa_campaign)
    paths = []
    for part, rows in base["parts"].items():
        for n, row in enumerate(rows[:30]):
            for key, value in row.items():
                paths.append((part, n, key, None))
                if isinstance(value, list) and value and isinstance(value[0], dict):
                    for inner in value[0]:
                        paths.append((part, n, key, inner))
    for part, n, key, inner in rng.sample(paths, min(len(paths), 60)):
        document = json.loads(json.dumps(base))
        target = document["parts"][part][n]
        if inner is None:
            target[key] = rng.choice(odd)
        else:
            target[key][0][inner] = rng.choice(odd)
        try:
            read = transfer.read_document(json.dumps(document).encode())
            services.import_campaign(actor=office, document=read, name_zh=NAME_ZH, name_bo=NAME_BO)
        except ValidationError:
            pass
    # Each refusal came from the parts' own checks, none from a write that failed.
    assert "could not be loaded" not in caplog.text


def test_the_malformed_files_corpus_is_refused_at_the_campaign_import(client, office):
    from core.tests.upload_corpus import make_corpus

    client.force_login(office)
    count = Campaign.objects.count()
    for name, body in make_corpus.build().items():
        response = client.post(reverse("campaigns:setup_import"), {"file": _upload(body, name)})
        assert response.status_code == 200, name
        assert response.context["form"].errors or response.context["problems"], name
    assert Campaign.objects.count() == count


def test_the_demos_campaign_copies_whole_and_its_set_up_page_reads_in_few_queries(
    client, demo_foundation, django_assert_max_num_queries
):
    from orgs.models import Account

    source = Campaign.objects.get(root_unit__code="540100")
    office = Account.objects.filter(role="office_admin", unit=source.root_unit).first()
    copied = services.copy_campaign(actor=office, source=source, name_zh=NAME_ZH, name_bo=NAME_BO, start=START, end=END)
    assert copied.supervision_groups.count() == source.supervision_groups.count() == 8
    assert _document(copied)["parts"]["campaigns.frame"] == _document(source)["parts"]["campaigns.frame"]
    client.force_login(office)
    with django_assert_max_num_queries(20):
        assert client.get(reverse("campaigns:setup_detail", args=[copied.pk])).status_code == 200
