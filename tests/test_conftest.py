"""The suite's own machinery (tests/conftest.py): the clock every test starts at, TEST_NOW, and the
fast password hasher that must never reach production settings."""

import datetime as dt

import pytest
from django.conf import global_settings, settings
from django.contrib.auth.hashers import check_password, make_password
from django.utils import timezone

import advocacy_portal.settings as portal_settings
from tests.conftest import FAST_PASSWORD_HASHERS, SUITE_NOW, TEST_NOW, _test_now_from_environment


def test_every_test_starts_at_the_suite_instant_and_the_clock_runs_on():
    start = timezone.now()
    assert SUITE_NOW <= start < SUITE_NOW + dt.timedelta(minutes=1)
    assert timezone.localdate() == SUITE_NOW.date()
    assert timezone.now() >= start


@pytest.mark.django_db
def test_with_test_now_the_test_database_was_set_up_on_the_moved_clock():
    if TEST_NOW is None:
        pytest.skip("only TEST_NOW moves the session's clock")
    from incentives.models import RuleSet

    written = RuleSet.objects.get(version=1).created_at  # by a data migration, at set-up
    assert TEST_NOW <= written < TEST_NOW + dt.timedelta(minutes=30)


def test_without_test_now_the_suite_runs_mid_week_mid_month_at_noon():
    if TEST_NOW is not None:
        pytest.skip("TEST_NOW chose another instant")
    assert (SUITE_NOW.weekday(), SUITE_NOW.hour) == (2, 12)
    assert 7 < SUITE_NOW.day < 21


@pytest.mark.parametrize(
    ("value", "instant"),
    [
        ("2029-01-01T00:05:00Z", dt.datetime(2029, 1, 1, 0, 5, tzinfo=dt.UTC)),
        ("2027-03-14T03:30:00-04:00", dt.datetime(2027, 3, 14, 7, 30, tzinfo=dt.UTC)),
        ("", None),
    ],
)
def test_test_now_is_read_as_a_utc_instant(monkeypatch, value, instant):
    monkeypatch.setenv("TEST_NOW", value)
    assert _test_now_from_environment() == instant


@pytest.mark.parametrize("value", ["2029-01-01T00:05:00", "new year"])
def test_a_test_now_without_an_offset_or_unreadable_is_refused(monkeypatch, value):
    monkeypatch.setenv("TEST_NOW", value)
    with pytest.raises(pytest.UsageError, match="TEST_NOW"):
        _test_now_from_environment()


def test_the_fast_hasher_is_the_suites_alone():
    assert settings.PASSWORD_HASHERS == FAST_PASSWORD_HASHERS
    assert check_password("correct-horse-battery-staple", make_password("correct-horse-battery-staple"))
    # Production keeps Django's default list, PBKDF2 first.
    assert not hasattr(portal_settings, "PASSWORD_HASHERS")
    assert global_settings.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.PBKDF2PasswordHasher"


@pytest.mark.real_clock
def test_a_real_clock_test_keeps_todays_date():
    if TEST_NOW is not None:
        pytest.skip("TEST_NOW moves the whole session's clock")
    assert abs(timezone.now() - dt.datetime.now(tz=dt.UTC)) < dt.timedelta(seconds=1)
    assert not SUITE_NOW <= timezone.now() < SUITE_NOW + dt.timedelta(minutes=1)
