import pytest

from orglife.tests import factories


@pytest.fixture
def notice(db):
    return factories.notice()


@pytest.fixture
def media_root(settings, tmp_path):
    """Files written by the test (uploads, marked copies of refused imports) go to a folder
    of its own, gone with the test."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
