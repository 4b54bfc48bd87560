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
