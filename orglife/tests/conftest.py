import pytest
from django.test import Client

from orglife.tests import factories


@pytest.fixture
def notice(db):
    return factories.notice()


@pytest.fixture
def as_user():
    def login(account):
        client = Client()
        client.force_login(account)
        return client

    return login
