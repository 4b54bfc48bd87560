"""The production storage of static files (core.staticfiles)."""

import json

import pytest

from core.staticfiles import StaticFilesStorage


def test_a_files_url_carries_its_hash_and_is_looked_up_once(tmp_path):
    (tmp_path / "staticfiles.json").write_text(
        json.dumps({"version": "1.1", "hash": "h", "paths": {"core/app.css": "core/app.0123456789ab.css"}})
    )
    storage = StaticFilesStorage(location=str(tmp_path), base_url="/static/")
    assert storage.url("core/app.css") == "/static/core/app.0123456789ab.css"
    storage.hashed_files.clear()  # what the manifest said is kept
    assert storage.url("core/app.css") == "/static/core/app.0123456789ab.css"
    with pytest.raises(ValueError, match="Missing staticfiles manifest entry"):
        storage.url("core/missing.css")  # a file that is not there is still an error, each time
    with pytest.raises(ValueError):
        storage.url("core/missing.css")
