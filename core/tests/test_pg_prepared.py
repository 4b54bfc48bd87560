"""On PostgreSQL the server binds the parameters, and a statement a connection has run often
enough is prepared there (``XUEJIAO_PG_PREPARE_THRESHOLD``, xuejiao/settings.py): a quiz's
answers are parsed and planned once per connection, not once per answer."""

import json
import os
import subprocess
import sys

import pytest
from django.db import connection

from quiz import services
from quiz.tests.factories import attempt_for, open_quiz, taker_in

_OPTIONS = """
import json
from django.conf import settings
options = settings.DATABASES["default"]["OPTIONS"]
print(json.dumps([options.get("server_side_binding"), options.get("prepare_threshold")]))
"""


@pytest.mark.parametrize(("raw", "expected"), [(None, [True, 5]), ("0", [True, None]), ("12", [True, 12])])
def test_the_threshold_comes_from_the_environment(tmp_path, raw, expected):
    env = {
        **os.environ,
        "DATABASE_URL": "postgres://nobody@127.0.0.1:1/none",  # read, never connected to
        "DJANGO_SETTINGS_MODULE": "xuejiao.settings",
        "XUEJIAO_VAR_DIR": str(tmp_path),
    }
    env.pop("XUEJIAO_PG_PREPARE_THRESHOLD", None)
    if raw is not None:
        env["XUEJIAO_PG_PREPARE_THRESHOLD"] = raw
    done = subprocess.run([sys.executable, "-c", _OPTIONS], env=env, capture_output=True, text=True, check=True)
    assert json.loads(done.stdout) == expected


def _prepared_here() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="prepared statements are PostgreSQL's; SQLite's driver caches its own statements",
)
def test_answers_are_prepared_once_the_connection_has_run_a_few(db):
    attempt = attempt_for(taker_in("540102001001"), open_quiz())
    assert not any(s.startswith("UPDATE quiz_answer") for s in _prepared_here())
    for _round in range(2):
        for position in range(len(attempt.paper)):
            services.save_answer(attempt_id=attempt.pk, taker_id=attempt.taker_id, position=position, chosen="A")
    answers = [s for s in _prepared_here() if s.startswith("UPDATE quiz_answer")]
    assert len(answers) == 1, answers
    assert "$1" in answers[0]  # bound by the server
