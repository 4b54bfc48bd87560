"""Helpers of the tests: running the real management commands in a separate process, against
the scratch database of the ``scratch_env`` fixture (root ``conftest.py``) — a file of its
own on SQLite, a database of its own on PostgreSQL — and a client of the API."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from django.test import Client

ROOT = Path(__file__).resolve().parent.parent


def manage(env: dict[str, str], *args: str, input_text: str | None = None) -> str:
    """Run ``manage.py *args`` with ``env``; fail the test if it fails, else return its
    standard output."""
    result = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        input=input_text,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


class ApiClient:
    """The Django test client with a bearer token and JSON bodies (the root ``conftest.py``'s
    ``api_as`` fixture gives one with a new token of an account)."""

    def __init__(self, token: str | None) -> None:
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def get(self, path: str, params: dict | None = None):
        return self.client.get(path, params or {}, headers=self.headers)

    def _send(self, method: str, path: str, body) -> object:
        return getattr(self.client, method)(
            path, json.dumps(body) if body is not None else "", content_type="application/json", headers=self.headers
        )

    def post(self, path: str, body=None):
        return self._send("post", path, body)

    def patch(self, path: str, body=None):
        return self._send("patch", path, body)

    def delete(self, path: str):
        return self.client.delete(path, headers=self.headers)


# The session is the visitor's, not the platform's data: it is saved on every request
# (SESSION_SAVE_EVERY_REQUEST), so that it times out after inactivity.
_NOT_DATA = ("django_session",)


class Writes:
    """The statements that change the database while the block runs (``with Writes() as
    writes: ...``; ``writes.statements``), but for the sessions' table: a GET must leave
    it empty."""

    def __init__(self, using: str = "default") -> None:
        from django.db import connections

        self.connection = connections[using]
        self.statements: list[str] = []

    def __call__(self, execute, sql, params, many, context):
        head = sql.lstrip().split(None, 1)[0].upper() if sql.strip() else ""
        if head in ("INSERT", "UPDATE", "DELETE", "REPLACE") and not any(t in sql for t in _NOT_DATA):
            self.statements.append(sql)
        return execute(sql, params, many, context)

    def __enter__(self) -> Writes:
        self._wrapper = self.connection.execute_wrapper(self)
        self._wrapper.__enter__()
        return self

    def __exit__(self, *exc) -> None:
        self._wrapper.__exit__(*exc)
