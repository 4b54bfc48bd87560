"""The data directory (``XUEJIAO_VAR_DIR``): where it is, and making it ready.

Loading the settings only reads: it writes no file and makes no directory, so that importing
them (a test, a check, a tool) leaves the disk as it was. The writes a fresh machine needs —
the directory itself and a generated secret key — happen in ``prepare()``, which the entry
points call before Django starts: ``manage.py`` (every command, so the demo, the tests' and
the deployment's scripts) and ``xuejiao/wsgi.py`` (the server).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from xuejiao.env import env_str

BASE_DIR = Path(__file__).resolve().parent.parent
SECRET_KEY_FILE = "secret_key"


def var_dir() -> Path:
    return Path(env_str("XUEJIAO_VAR_DIR", str(BASE_DIR / "var")))


def stored_secret_key(directory: Path) -> str:
    """The key ``prepare()`` generated into the data directory, or "" before it has run."""
    try:
        return (directory / SECRET_KEY_FILE).read_text().strip()
    except FileNotFoundError:
        return ""


def prepare() -> None:
    """Make the data directory and, unless ``XUEJIAO_SECRET_KEY`` is set, a secret key kept in
    it (once: a key already there is kept, or every session and signed link would end)."""
    directory = var_dir()
    directory.mkdir(parents=True, exist_ok=True)
    if env_str("XUEJIAO_SECRET_KEY", ""):
        return
    key_file = directory / SECRET_KEY_FILE
    try:
        # O_EXCL: two processes starting at once do not both write a key.
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    with os.fdopen(fd, "w") as out:
        out.write(secrets.token_urlsafe(50))
