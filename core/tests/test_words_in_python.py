"""Every Chinese or Tibetan word that Python code puts before a reader comes from one place per
language that this test covers: a gettext catalogue (checked by ``test_catalogues``), or a data
row that carries the same thing in Chinese, Tibetan and English side by side — an indicator's
name, a check's description, a kind of activity, a sentence of the report:
``("收集问题", "བསྡུས་པའི་གནད་དོན།", "Concerns collected")`` as three neighbouring values of a
call, tuple or list, or as ``*_zh=``, ``*_bo=``, ``*_en=`` keywords or dict keys.

Rows live in data modules: every app's ``indicators.py`` and ``quality_checks.py``, and the
modules listed in ``DATA_MODULES``. The test reads the source (not the running objects), so a
Chinese or Tibetan literal added anywhere outside such a row fails it, wherever it is. It holds each row complete: the Chinese
in Han characters, the Tibetan in Tibetan script without Han, the English non-empty and in
neither script. What is neither a row nor translated is listed below, literal by literal, with
the reason: demo data (whole modules), proper names, and the grammar of the numbers and the
particles that the report writes with.

Counted without Django (lines of Python that hold Chinese or Tibetan literals, by where
they live; a checkout's root may be given):

    python3 core/tests/test_words_in_python.py [ROOT]
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
TIBETAN = re.compile(r"[\u0f00-\u0fff]")
LATIN = re.compile(r"[A-Za-z]")
SKIPPED_DIRS = {"tests", "locale", "migrations", ".venv", "node_modules", "static", "__pycache__"}

# Whole modules of demo data and tools that no reader of the platform sees: the demo's people,
# units, rows and question bank are data that users would type; the benchmarks' and the cluster
# check's rows likewise.
DEMO_MODULES = {
    "campaigns/demo.py",
    "concerns/demo.py",
    "ledger/demo.py",
    "ledger/demo_2023.py",
    "orglife/demo.py",
    "orgs/demo.py",
    "orgs/demo_names.py",
    "quality/demo.py",
    "quiz/demo.py",
    "quiz/bank.py",
    "quiz/bank_data.py",
    "bench/ledger.py",
    "bench/quiz_cost.py",
    "bench/quiz_load.py",
    "bench/quiz_locustfile.py",
    "scripts/cluster_check.py",
}

# Where zh/bo/en rows live: every app's declarations of indicators and checks, and these data
# modules. A row elsewhere counts as loose words.
DATA_MODULE_NAMES = {"indicators.py", "quality_checks.py"}
DATA_MODULES = {
    "ledger/catalogue.py",  # the kinds of activity
    "orglife/choices.py",  # the categories of findings
    "reports/templates_text.py",  # the report's sentences and the words they are filled with
}


def is_data_module(rel: str) -> bool:
    return rel in DATA_MODULES or rel.rpartition("/")[2] in DATA_MODULE_NAMES


# Single literals that are neither a row nor a message, each with why.
ALLOWED: dict[str, dict[str, str]] = {
    "xuejiao/settings.py": {"བོད་ཡིག": "the name of the Tibetan language in Tibetan (a proper name)"},
    "reports/numbers.py": {
        "༠༡༢༣༤༥༦༧༨༩": "Tibetan digits",
        "亿": "the number style: 亿 (10⁸) after the count",
        "万": "the number style: 万 (10⁴) after the count",
        "余": "the number style: 余 after a round figure",
        "ཁྲི་": "the number style: ཁྲི (10⁴) before the count",
        "དུང་ཕྱུར་": "the number style: དུང་ཕྱུར (10⁸) before the count",
        "ལྷག": "the number style: ལྷག after a round figure",
    },
    "reports/report.py": {
        "གངདནབམའརལས": "Tibetan grammar: the letters that close a syllable",
        "།་ ": "Tibetan punctuation: shad and tsheg",
        "་": "Tibetan punctuation: tsheg",
        "།": "Tibetan punctuation: shad",
        "འི་": "Tibetan grammar: genitive particle",
        "ས་": "Tibetan grammar: agentive particle",
        "དབས": "Tibetan grammar: letters taking ཀྱི/ཀྱིས",
        "ཀྱི": "Tibetan grammar: genitive particle",
        "ཀྱིས": "Tibetan grammar: agentive particle",
        "གང": "Tibetan grammar: letters taking གི/གིས",
        "གི": "Tibetan grammar: genitive particle",
        "གིས": "Tibetan grammar: agentive particle",
        "གྱི": "Tibetan grammar: genitive particle",
        "གྱིས": "Tibetan grammar: agentive particle",
        "་ །": "Tibetan punctuation: tsheg, space and shad, stripped before a line's closing shad",
        "་་": "Tibetan punctuation: the tsheg after a name and after its particle",
    },
    "reports/templates_text.py": {
        "༠༡༢༣༤༥༦༧༨༩": "Tibetan digits",
        "和": "a Chinese mark joining two clauses (``sep``: the Tibetan clause carries its own)",
    },
    "reports/selectors.py": {"[0-9０-９༠-༩]+": "a pattern: every way of writing a digit"},
    "reports/services.py": {"[0-9０-９༠-༳]": "a pattern: every way of writing a digit"},
}

LANGS = ("zh", "bo", "en")


@dataclass(frozen=True)
class Literal:
    path: str
    line: int
    text: str


def _text(node: ast.AST) -> str | None:
    """The text of a string literal or of an f-string's literal parts."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str))
    return None


def _words(text: str) -> bool:
    return bool(HAN.search(text) or TIBETAN.search(text))


def python_files(root: Path | None = None) -> list[Path]:
    root = root or ROOT
    return sorted(
        p
        for p in root.rglob("*.py")
        if not (set(p.relative_to(root).parts[:-1]) & SKIPPED_DIRS) and p.name != "conftest.py"
    )


def _docstrings(tree: ast.AST) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                ids.add(id(first.value))
    return ids


def _rows(tree: ast.AST) -> list[tuple[list[ast.AST], str]]:
    """Every (zh, bo, en) row of the module: three neighbouring values of a call's arguments,
    a tuple or a list whose first holds Han; or ``*_zh`` / ``*_bo`` / ``*_en`` keywords of one
    call or keys of one dict. With the name of the call it is in (for ``Style``)."""
    rows = []
    for node in ast.walk(tree):
        call = node.func.id if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) else ""
        sequences = []
        if isinstance(node, ast.Call):
            sequences.append(node.args)
            named = {k.arg: k.value for k in node.keywords if k.arg}
        elif isinstance(node, ast.Tuple | ast.List):
            sequences.append(node.elts)
            named = {}
        elif isinstance(node, ast.Dict):
            named = {
                k.value: v
                for k, v in zip(node.keys, node.values, strict=True)
                if isinstance(k, ast.Constant) and isinstance(k.value, str)
            }
        else:
            continue
        for items in sequences:
            for i in range(len(items) - 2):
                zh, bo = _text(items[i]), _text(items[i + 1])
                if zh is not None and bo is not None and (HAN.search(zh) or (TIBETAN.search(bo) and not _words(zh))):
                    rows.append(([items[i], items[i + 1], items[i + 2]], call))
        stems: dict[str, dict[str, ast.AST]] = {}
        for key, value in named.items():
            stem, _, lang = key.rpartition("_") if "_" in key else ("", "", key)
            lang = {"zh-hans": "zh"}.get(lang, lang)
            if lang in LANGS:
                stems.setdefault(stem, {})[lang] = value
        for group in stems.values():
            if {"zh", "bo"} <= set(group) and any(_words(_text(v) or "") for v in group.values()):
                rows.append(([group["zh"], group["bo"], group.get("en", ast.Constant(None))], call))
    return rows


PLACEHOLDER = re.compile(r"\{[a-z_.]*\}|%\(\w+\)s")


def _row_problem(row: list[ast.AST], call: str) -> str | None:
    zh, bo, en = (_text(n) for n in row)
    if zh is None or bo is None or en is None:
        return "a language is not a literal"
    zh, bo, en = (PLACEHOLDER.sub("", t) for t in (zh, bo, en))
    if not zh.strip() or TIBETAN.search(zh) or LATIN.search(zh):
        return "the Chinese is missing or not in Han characters"  # a sign alone ("%") stands for itself
    optional = call == "Style"  # a measure word that a language does not write stays empty
    if not (bo or optional) or (bo and not TIBETAN.search(bo)) or HAN.search(bo):
        return "the Tibetan is missing, not in Tibetan script, or holds Han"
    if not (en.strip() or optional) or _words(en):
        return "the English is missing or in another script"
    return None


def scan(path: Path, root: Path | None = None) -> tuple[list[Literal], list[tuple[Literal, str]]]:
    """(literals outside rows, rows that are not complete) of one module."""
    rel = path.relative_to(root or ROOT).as_posix()
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = _docstrings(tree)
    in_rows: set[int] = set()
    broken = []
    for row, call in _rows(tree) if is_data_module(rel) else []:
        problem = _row_problem(row, call)
        if problem:
            broken.append((Literal(rel, row[0].lineno, _text(row[0]) or ""), problem))
        else:
            in_rows.update(id(n) for n in row[:2])
    parts = {id(v) for n in ast.walk(tree) if isinstance(n, ast.JoinedStr) for v in n.values}
    loose = []
    allowed = ALLOWED.get(rel, {})
    for node in ast.walk(tree):
        text = _text(node)
        if text is None or not _words(text) or {id(node)} & (docstrings | in_rows | parts):
            continue
        if text not in allowed:
            loose.append(Literal(rel, node.lineno, text))
    return loose, broken


def loose_literals(include_demo: bool = False) -> list[Literal]:
    found = []
    for path in python_files():
        if not include_demo and path.relative_to(ROOT).as_posix() in DEMO_MODULES:
            continue
        found.extend(scan(path)[0])
    return found


def test_no_chinese_or_tibetan_literal_lives_outside_a_catalogue_or_a_complete_row():
    loose = loose_literals()
    assert not loose, "move these into the app's catalogue (gettext) or into a zh/bo/en row:\n" + "\n".join(
        f"{lit.path}:{lit.line}: {lit.text[:60]!r}" for lit in loose
    )


def test_every_row_has_its_chinese_tibetan_and_english():
    broken = [
        b for path in python_files() if path.relative_to(ROOT).as_posix() not in DEMO_MODULES for b in scan(path)[1]
    ]
    assert not broken, "\n".join(f"{lit.path}:{lit.line}: {lit.text[:40]!r}: {problem}" for lit, problem in broken)


def test_the_allowed_literals_are_still_there():
    """An allowance that no literal needs any more is removed, so the list stays the truth."""
    for rel, literals in ALLOWED.items():
        path = ROOT / rel
        if not literals:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        texts = {_text(n) for n in ast.walk(tree)}
        assert set(literals) <= texts, (rel, set(literals) - texts)
    assert all((ROOT / rel).exists() for rel in DEMO_MODULES)


def test_a_literal_added_outside_a_row_is_found(tmp_path, monkeypatch):
    module = tmp_path / "sample.py"
    module.write_text(
        'NAME = ("收集问题", "བསྡུས་པའི་གནད་དོན།", "Concerns collected")\n'
        'HALF = ("收集问题", "བསྡུས་པའི་གནད་དོན།", "")\n'
        'def label():\n    """文档字符串不算。"""\n    return f"共{1}个"\n',
        encoding="utf-8",
    )
    monkeypatch.setattr(f"{__name__}.ROOT", tmp_path)
    monkeypatch.setattr(f"{__name__}.DATA_MODULES", {"sample.py"})
    loose, broken = scan(module)
    assert sorted(lit.text for lit in loose) == sorted(["收集问题", "བསྡུས་པའི་གནད་དོན།", "共个"])
    assert [problem for _lit, problem in broken] == ["the English is missing or in another script"]
    outside = tmp_path / "views.py"
    outside.write_text('NAME = ("收集问题", "བསྡུས་པའི་གནད་དོན།", "Concerns collected")\n', encoding="utf-8")
    assert len(scan(outside)[0]) == 2  # a row outside the data modules is loose words


def count(root: Path) -> dict[str, int]:
    """Lines of Python holding Chinese or Tibetan literals (docstrings and comments aside):
    in demo modules, in complete zh/bo/en rows, allowed one by one, and loose."""
    lines: dict[str, set[tuple[str, int]]] = {"demo": set(), "rows": set(), "allowed": set(), "loose": set()}
    for path in python_files(root):
        rel = path.relative_to(root).as_posix()
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = _docstrings(tree)
        parts = {id(v) for n in ast.walk(tree) if isinstance(n, ast.JoinedStr) for v in n.values}
        words = [
            n for n in ast.walk(tree) if (t := _text(n)) is not None and _words(t) and id(n) not in docstrings | parts
        ]
        loose = {(lit.line, lit.text) for lit in scan(path, root)[0]}
        for node in words:
            line = (rel, node.lineno)
            if rel in DEMO_MODULES:
                lines["demo"].add(line)
            elif (node.lineno, _text(node)) in loose:
                lines["loose"].add(line)
            elif _text(node) in ALLOWED.get(rel, {}):
                lines["allowed"].add(line)
            else:
                lines["rows"].add(line)
    return {k: len(v) for k, v in lines.items()}


if __name__ == "__main__":
    import sys

    print(count(Path(sys.argv[1]).resolve() if len(sys.argv) > 1 else ROOT))


def test_no_message_id_and_no_english_word_holds_chinese_or_tibetan():
    """A message id is the English text: one with Chinese in it ("Close (销号)") shows Chinese
    to an English reader."""
    import polib

    found = [
        f"{po.parent.parent.parent.parent.name}: {entry.msgid[:60]!r}"
        for po in sorted(ROOT.glob("*/locale/en/LC_MESSAGES/django.po"))
        for entry in polib.pofile(str(po))
        if _words(entry.msgid) or _words(entry.msgstr or "")
    ]
    assert not found, found
