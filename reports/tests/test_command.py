"""``manage.py build_report`` prints the report or writes its export."""

import docx
import pytest
from django.core.management import CommandError, call_command


def test_the_command_prints_the_report_in_chinese(seed_values, capsys, db):
    call_command("build_report", "--unit", "540100", "--as-of", "2021-12-31", "--language", "zh-hans")
    out = capsys.readouterr().out
    assert out.startswith("拉萨市党史学习教育")
    assert "【学习载体丰富多样】" in out and "2.8万场次" in out


def test_the_command_writes_a_docx(seed_values, tmp_path, db):
    target = tmp_path / "report.docx"
    call_command(
        "build_report",
        "--unit",
        "540100",
        "--as-of",
        "2021-12-31",
        "--language",
        "bo",
        "--format",
        "docx",
        "--output",
        str(target),
    )
    assert docx.Document(str(target)).paragraphs[0].text.startswith("ལྷ་ས་གྲོང་ཁྱེར་")


def test_the_command_refuses_an_unknown_unit(db):
    with pytest.raises(CommandError):
        call_command("build_report", "--unit", "999999", "--as-of", "2021-12-31")
