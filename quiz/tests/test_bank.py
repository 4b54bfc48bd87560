import io

from django.test import Client
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from quiz import bank, bank_io, services
from quiz.choices import QuestionStatus, QuestionType
from quiz.models import Category, Question
from quiz.tests.factories import ensure_bank


def _workbook(rows: list[dict]) -> io.BytesIO:
    wb = Workbook()
    ws = wb.active
    ws.append(bank_io.COLUMNS)
    for row in rows:
        ws.append([row.get(c, "") for c in bank_io.COLUMNS])
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    out.name = "bank.xlsx"
    return out


GOOD = {
    "key": "test-zunyi",
    "category": "newdem",
    "type": "single",
    "difficulty": 2,
    "status": "published",
    "text_zh": "遵义会议是在哪一年召开的？",
    "text_bo": "ཙུན་དབྱི་ཚོགས་འདུ་ཕྱི་ལོ་གང་ལ་འཚོགས་སམ།",
    "explanation_zh": "遵义会议于1935年1月召开。",
    "explanation_bo": "ཙུན་དབྱི་ཚོགས་འདུ་ཕྱི་ལོ་༡༩༣༥ལོའི་ཟླ་༡པར་འཚོགས།",
    "option_A_zh": "1935年",
    "option_A_bo": "ཕྱི་ལོ་༡༩༣༥",
    "option_B_zh": "1936年",
    "option_B_bo": "ཕྱི་ལོ་༡༩༣༦",
    "right": "A",
}


def test_the_generated_bank_holds_over_300_checkable_questions_in_both_languages():
    questions = bank.all_questions()
    assert len(questions) >= 300
    assert len({q.key for q in questions}) == len(questions)
    assert {q.type for q in questions} == set(QuestionType.values)
    for q in questions:
        errors = services.question_errors(
            type=q.type,
            text_zh=q.text_zh,
            text_bo=q.text_bo,
            explanation_zh=q.explanation_zh,
            explanation_bo=q.explanation_bo,
            options=[services.OptionData(*o) for o in q.options],
            publish=True,
        )
        assert not errors, (q.key, errors)
    by_key = {q.key: q for q in questions}
    assert ("1949年", "ཕྱི་ལོ་༡༩༤༩", True) in by_key["prc-year"].options
    assert "1951年5月23日" in by_key["seventeen-points-year"].explanation_zh
    assert "1965年9月1日" in by_key["tar-founded-year"].explanation_zh


def test_a_question_is_published_only_with_both_languages(office):
    category = Category.objects.create(key="t", name_zh="测试", name_bo="ཚོད་ལྟ།")
    fields = dict(
        actor=office,
        key="half",
        category=category,
        type=QuestionType.TRUE_FALSE,
        text_zh="1921年中国共产党成立。",
        explanation_zh="对。",
        options=[services.OptionData("正确", "", True), services.OptionData("错误", "", False)],
    )
    draft = services.save_question(**fields)
    assert draft.status == QuestionStatus.DRAFT
    try:
        services.set_question_status(actor=office, question=draft, status=QuestionStatus.PUBLISHED)
    except services.ValidationError as exc:
        assert "status" in exc.message_dict
    else:
        raise AssertionError("published without Tibetan")


def test_a_county_office_may_not_edit_the_shared_bank(cg_office):
    ensure_bank()
    client = Client()
    client.force_login(cg_office)
    assert client.get(reverse("quiz:bank")).status_code == 403


def test_the_office_edits_a_question_in_its_page(office):
    ensure_bank()
    question = Question.objects.get(key="zunyi-year")
    client = Client()
    client.force_login(office)
    page = client.get(reverse("quiz:question_edit", args=[question.pk]))
    assert page.status_code == 200
    data = {k: v for k, v in page.context["form"].initial.items() if k != "tags"}
    data["text_zh"] = "遵义会议召开于哪一年？"
    data["publish"] = "on"
    data["category"] = question.category_id
    for key in [k for k, v in data.items() if v is False]:
        del data[key]
    response = client.post(reverse("quiz:question_edit", args=[question.pk]), data)
    assert response.status_code == 302, response.context["form"].errors
    question.refresh_from_db()
    assert question.text_zh == "遵义会议召开于哪一年？" and question.version == 2
    assert question.options.filter(is_correct=True).count() == 1


def test_the_bank_pages_are_for_the_office(participant):
    client = Client()
    client.force_login(participant)
    assert client.get(reverse("quiz:bank")).status_code == 403
    assert client.get(reverse("quiz:bank_export")).status_code == 403


def test_an_import_shows_every_problem_at_once_and_writes_nothing(office):
    ensure_bank()
    before = Question.objects.count()
    rows = [
        GOOD,
        {**GOOD, "key": "test-bad-1", "category": "nowhere", "right": "AB"},
        {**GOOD, "key": "test-bad-2", "text_bo": "", "status": "published"},
        {**GOOD, "key": "test-zunyi"},
    ]
    client = Client()
    client.force_login(office)
    response = client.post(reverse("quiz:bank_import"), {"file": _workbook(rows)})
    problems = response.context["outcome"].problems
    assert {(p.row, p.column) for p in problems} >= {(3, "category"), (3, "options"), (4, "status"), (5, "key")}
    assert Question.objects.count() == before
    assert not Question.objects.filter(key="test-zunyi").exists()


def test_an_exported_bank_imports_back_unchanged(office):
    ensure_bank()
    data = bank_io.export_bank(Question.objects.filter(category__key="plenum"))
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet.max_row == Question.objects.filter(category__key="plenum").count() + 1
    upload = io.BytesIO(data)
    upload.name = "bank.xlsx"
    result = bank_io.import_bank(actor=office, upload=upload)
    assert result.ok and result.created == 0 and result.changed == sheet.max_row - 1


def test_a_good_workbook_adds_its_questions(office):
    ensure_bank()
    client = Client()
    client.force_login(office)
    response = client.post(reverse("quiz:bank_import"), {"file": _workbook([GOOD])})
    assert response.status_code == 302
    question = Question.objects.get(key="test-zunyi")
    assert question.status == QuestionStatus.PUBLISHED and question.options.count() == 2
