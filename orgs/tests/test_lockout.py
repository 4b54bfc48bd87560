"""The log-in lockout, through the real log-in form and the API: failures count per name and
address, an address spraying many names is stopped, and a locked account's tokens wait for
the unlock."""

import pytest
from django.test import Client
from django.urls import reverse

from core.seeding import DEMO_PASSWORD
from orgs.models import Account

NAME = "chengguan-reporter"
ATTACKER = "203.0.113.5"
OFFICE = "198.51.100.7"


def _client(address: str, **headers) -> Client:
    return Client(REMOTE_ADDR=address, headers=headers)


def _log_in(client: Client, username: str = NAME, password: str = DEMO_PASSWORD) -> int:
    return client.post(reverse("login"), {"username": username, "password": password}).status_code


def _fail(client: Client, times: int, username: str = NAME) -> None:
    for _ in range(times):
        assert _log_in(client, username, "wrong-password") in (200, 429)


def test_failures_from_one_address_lock_that_address_out_of_that_name_only(cg_reporter, settings):
    attacker = _client(ATTACKER)
    _fail(attacker, settings.AXES_FAILURE_LIMIT)
    assert _log_in(attacker) == 429  # even the right password, from there
    assert _log_in(_client(OFFICE)) == 302  # the account's owner, elsewhere, is not locked out
    assert _log_in(attacker, "chengguan-office") == 302  # nor is another name from there


def test_one_failure_short_of_the_limit_locks_nothing(cg_reporter, settings):
    client = _client(OFFICE)
    _fail(client, settings.AXES_FAILURE_LIMIT - 1)
    assert _log_in(client) == 302


def test_a_successful_log_in_forgets_that_addresss_failures(cg_reporter, settings):
    client = _client(OFFICE)
    _fail(client, settings.AXES_FAILURE_LIMIT - 1)
    assert _log_in(client) == 302
    _fail(Client(REMOTE_ADDR=OFFICE), settings.AXES_FAILURE_LIMIT - 1)
    assert _log_in(Client(REMOTE_ADDR=OFFICE)) == 302


def test_an_address_spraying_one_password_over_many_names_is_locked_out_of_every_name(cg_reporter, settings):
    settings.XUEJIAO_LOGIN_ADDRESS_NAME_LIMIT = 4
    sprayer = _client(ATTACKER)
    for n in range(3):
        assert _log_in(sprayer, f"guess-{n}", "Spring2021!") == 200
    assert _log_in(sprayer, "guess-3", "Spring2021!") == 429  # the fourth name locks the address
    assert _log_in(sprayer) == 429  # a real account with its right password: not from there
    assert _log_in(_client(OFFICE)) == 302


def test_failures_spread_over_many_addresses_lock_the_account_everywhere(cg_reporter, settings):
    settings.XUEJIAO_LOGIN_ACCOUNT_FAILURE_LIMIT = 6
    for address in ("203.0.113.1", "203.0.113.2", "203.0.113.3"):
        _fail(_client(address), 2)
    assert _log_in(_client(OFFICE)) == 429


def test_the_addresses_of_one_ipv6_network_count_as_one(cg_reporter, settings):
    for n in range(settings.AXES_FAILURE_LIMIT):
        _fail(_client(f"2001:db8:0:1::{n + 1:x}"), 1)
    assert _log_in(_client("2001:db8:0:1::ffff")) == 429
    assert _log_in(_client("2001:db8:0:2::1")) == 302


def test_behind_the_proxy_the_address_is_the_one_the_proxy_appended(cg_reporter, settings):
    settings.BEHIND_PROXY = True
    proxy = "127.0.0.1"
    # The attacker sends a forged X-Forwarded-For; the proxy appends the real address.
    for n in range(settings.AXES_FAILURE_LIMIT):
        _fail(_client(proxy, x_forwarded_for=f"10.0.0.{n}, {ATTACKER}"), 1)
    assert _log_in(_client(proxy, x_forwarded_for=f"10.9.9.9, {ATTACKER}")) == 429
    # Everyone else comes through the same proxy and is not locked out.
    assert _log_in(_client(proxy, x_forwarded_for=OFFICE)) == 302


@pytest.fixture
def token(token_for, cg_reporter, fresh_rate_limits):
    return token_for(cg_reporter)


def _api(address: str, token: str):
    return _client(address).get("/api/v1/units/540102", headers={"Authorization": f"Bearer {token}"})


def test_a_locked_accounts_tokens_are_refused_from_where_it_is_locked_until_it_is_unlocked(token, cg_office, settings):
    assert _api(ATTACKER, token).status_code == 200
    _fail(_client(ATTACKER), settings.AXES_FAILURE_LIMIT)
    refused = _api(ATTACKER, token)
    assert refused.status_code == 401 and refused.json() == {"detail": "Unauthorized"}
    assert refused["Content-Type"].startswith("application/json")
    assert _api(OFFICE, token).status_code == 200  # the lock is on the pair, not everywhere
    office = Client()
    office.force_login(cg_office)
    reporter = Account.objects.get(username=NAME)
    assert office.post(reverse("orgs:account_unlock", args=[reporter.pk])).status_code == 302
    assert _api(ATTACKER, token).status_code == 200


def test_an_account_locked_everywhere_has_its_tokens_refused_everywhere(token, settings):
    settings.XUEJIAO_LOGIN_ACCOUNT_FAILURE_LIMIT = 4
    for address in ("203.0.113.1", "203.0.113.2"):
        _fail(_client(address), 2)
    assert _api(OFFICE, token).status_code == 401
    assert _api("192.0.2.44", token).status_code == 401


def test_the_account_list_marks_an_account_locked_from_one_address(as_user, cg_office, settings):
    _fail(_client(ATTACKER), settings.AXES_FAILURE_LIMIT)
    page = as_user(cg_office).get(reverse("orgs:account_list")).content.decode()
    assert page.count('data-testid="locked"') == 1


def _attempts(*rows):
    from axes.models import AccessAttempt
    from django.utils import timezone

    for username, address, failures in rows:
        AccessAttempt.objects.create(
            username=username,
            ip_address=address,
            user_agent=f"agent {address}",
            failures_since_start=failures,
            attempt_time=timezone.now(),
            get_data="",
            post_data="",
        )


def test_failures_of_one_name_from_two_addresses_do_not_add_up_to_a_pair_lock(db, settings):
    from orgs import lockout

    _attempts((NAME, ATTACKER, 3), (NAME, OFFICE, 2))
    assert lockout.locked_usernames([NAME]) == set()
    assert not lockout.refuses(NAME, ATTACKER) and not lockout.refuses(NAME, OFFICE)
    _attempts((NAME, ATTACKER.replace(".5", ".6"), 5))
    assert lockout.locked_usernames([NAME]) == {NAME}
    assert lockout.refuses(NAME, ATTACKER.replace(".5", ".6")) and not lockout.refuses(NAME, OFFICE)
