"""Loading the settings writes nothing; xuejiao.var.prepare() makes the data directory and
the secret key, once."""

import os
import stat
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LOAD = "import xuejiao.settings as s; print(repr(s.SECRET_KEY))"


def _env(var_dir, **extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith("XUEJIAO_") and k != "DATABASE_URL"}
    return {**env, "XUEJIAO_VAR_DIR": str(var_dir), "PYTHONPATH": str(ROOT), **extra}


def _run(code, env):
    return subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True, check=True)


def test_loading_the_settings_in_a_fresh_data_directory_creates_nothing(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    missing = tmp_path / "not-there"
    for var_dir in (empty, missing):
        done = _run(LOAD, _env(var_dir))
        assert done.stdout.strip() == "''"
    assert list(empty.iterdir()) == []
    assert not missing.exists()
    assert [p.name for p in tmp_path.iterdir()] == ["empty"]


def test_prepare_makes_the_directory_and_a_private_key_that_the_settings_then_read(tmp_path):
    var_dir = tmp_path / "var"
    _run("from xuejiao.var import prepare; prepare(); prepare()", _env(var_dir))
    key_file = var_dir / "secret_key"
    key = key_file.read_text()
    assert len(key) >= 50
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert _run(LOAD, _env(var_dir)).stdout.strip() == repr(key)
    _run("from xuejiao.var import prepare; prepare()", _env(var_dir))
    assert key_file.read_text() == key  # kept: a new key would end every session


def test_prepare_writes_no_key_when_the_environment_gives_one(tmp_path):
    var_dir = tmp_path / "var"
    env = _env(var_dir, XUEJIAO_SECRET_KEY="from-the-environment")
    _run("from xuejiao.var import prepare; prepare()", env)
    assert var_dir.is_dir()
    assert list(var_dir.iterdir()) == []
    assert _run(LOAD, env).stdout.strip() == "'from-the-environment'"


def test_manage_py_prepares_before_the_settings_load(tmp_path):
    var_dir = tmp_path / "var"
    subprocess.run(
        [sys.executable, "manage.py", "check"], env=_env(var_dir), cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert (var_dir / "secret_key").is_file()
