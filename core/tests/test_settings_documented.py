"""Every setting read from the environment is named in the README's configuration table."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
READERS = {"env_str", "env_bool", "env_int", "env_list", "getenv", "get"}
SKIP = {".venv", "bench", "tests", "migrations", "node_modules", "var"}


def _sources():
    for path in sorted(ROOT.rglob("*.py")):
        parts = set(path.relative_to(ROOT).parts)
        if parts & SKIP or path.name == "conftest.py":
            continue
        yield path


def _is_environ(node: ast.AST) -> bool:
    return isinstance(node, ast.Attribute) and node.attr == "environ"


def variables_read(source: str) -> set[str]:
    """Names passed as a literal to env_str/env_bool/env_int/env_list, os.getenv,
    os.environ.get or os.environ[...] in one module."""
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name not in READERS or (name == "get" and not _is_environ(func.value)):
                continue
            names.add(node.args[0].value)
        elif isinstance(node, ast.Subscript) and _is_environ(node.value) and isinstance(node.slice, ast.Constant):
            if isinstance(node.ctx, ast.Load):
                names.add(node.slice.value)
    return {name for name in names if isinstance(name, str)}


def documented() -> set[str]:
    readme = (ROOT / "README.md").read_text()
    table = readme.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in table.splitlines() if line.startswith("| `")]
    return {name for row in rows for name in re.findall(r"`([A-Z][A-Z0-9_]+)`", row.split("|")[1])}


def test_every_variable_the_code_reads_is_in_the_readme_table():
    read = {name: path for path in _sources() for name in variables_read(path.read_text())}
    missing = sorted(f"{name} ({read[name].relative_to(ROOT)})" for name in set(read) - documented())
    assert not missing, f"read from the environment but not in README.md's configuration table: {missing}"


def test_the_table_names_no_variable_the_code_does_not_read():
    read = {name for path in _sources() for name in variables_read(path.read_text())}
    assert documented() - read == set()


def test_the_reader_finds_every_form_of_reading():
    source = (
        'env_str("A", "x")\nenv_bool("B")\nenv_int("C", 1)\nenv_list("D", [])\n'
        'os.environ.get("E")\nos.environ["F"]\nos.getenv("G")\nos.environ["H"] = "1"\nsettings.get("I")\n'
    )
    assert variables_read(source) == {"A", "B", "C", "D", "E", "F", "G"}


def test_the_settings_and_their_readers_are_among_the_sources():
    sources = {path.relative_to(ROOT).as_posix() for path in _sources()}
    assert {"xuejiao/settings.py", "xuejiao/var.py", "xuejiao/env.py"} <= sources
    assert "XUEJIAO_VAR_DIR" in variables_read((ROOT / "xuejiao" / "var.py").read_text())
    assert "XUEJIAO_HSTS_PRELOAD" in variables_read((ROOT / "xuejiao" / "settings.py").read_text())
