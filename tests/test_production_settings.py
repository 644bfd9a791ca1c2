"""The production settings read every operational value from the environment, and
refuse to start on one that makes no sense (docs/production.md)."""

import pytest

from tests.test_security import manage, production_env

PRINT_SETTINGS = (
    "from django.conf import settings as s;"
    "print(s.TRUSTED_PROXY_COUNT, s.PAGE_CACHE_SECONDS, s.EVENTS_REGISTRATION_RETENTION_MONTHS);"
    "n = s.NEWSLETTER;"
    "print(n['LEASE_SECONDS'], n['BATCH_SIZE'], n['UNCONFIRMED_DAYS'], n['INVITATION_DAYS']);"
    "print(n['UNSUBSCRIBE_MAILTO'], s.MAILERS['default']['OPTIONS']['port'])"
)


def settings_lines(**env):
    result = manage("shell", "--no-imports", "-c", PRINT_SETTINGS, env=production_env(**env))
    assert result.returncode == 0, result.stderr
    return result.stdout.split("\n")


def test_operational_settings_come_from_the_environment():
    lines = settings_lines(
        TRUSTED_PROXY_COUNT="0",
        PAGE_CACHE_SECONDS="0",
        EVENTS_REGISTRATION_RETENTION_MONTHS="6",
        NEWSLETTER_LEASE_SECONDS="900",
        NEWSLETTER_BATCH_SIZE="50",
        NEWSLETTER_UNCONFIRMED_DAYS="3",
        NEWSLETTER_INVITATION_DAYS="14",
        NEWSLETTER_UNSUBSCRIBE_MAILTO="leave@diaspora.example.org",
        EMAIL_PORT="2525",
    )
    assert lines[0] == "0 0 6"
    assert lines[1] == "900 50 3 14"
    assert lines[2] == "leave@diaspora.example.org 2525"


def test_unset_operational_settings_keep_their_defaults():
    lines = settings_lines()
    assert lines[0] == "1 600 12"
    assert lines[1] == "300 200 7 30"


@pytest.mark.parametrize(
    ("name", "value", "minimum"),
    [
        ("TRUSTED_PROXY_COUNT", "-1", 0),
        ("TRUSTED_PROXY_COUNT", "one", 0),
        ("NEWSLETTER_LEASE_SECONDS", "0", 1),
        ("NEWSLETTER_BATCH_SIZE", "2.5", 1),
        ("EVENTS_REGISTRATION_RETENTION_MONTHS", "-3", 1),
        ("RETENTION_FORM_ANSWERS_DAYS", "0", 1),
        ("RETENTION_SEARCH_TERMS_DAYS", "a month", 1),
    ],
)
def test_a_value_out_of_range_stops_the_start_with_its_name(name, value, minimum):
    result = manage("check", env=production_env(**{name: value}))
    assert result.returncode != 0
    assert (
        f"The environment variable {name} must be a whole number of at least {minimum}"
        in result.stderr
    )


RETENTION_SETTINGS = (
    "from django.conf import settings as s;"
    "r = s.RETENTION;"
    "print(r['form_answers'], r['call_applications'], r['search_terms'], r['backups'],"
    " s.WAGTAILSEARCH_HITS_MAX_AGE)"
)


def test_retention_periods_come_from_the_environment():
    result = manage(
        "shell",
        "--no-imports",
        "-c",
        RETENTION_SETTINGS,
        env=production_env(
            RETENTION_FORM_ANSWERS_DAYS="180", RETENTION_SEARCH_TERMS_DAYS="14", BACKUP_KEEP="21"
        ),
    )
    assert result.returncode == 0, result.stderr
    # Unset ones keep their defaults; the backups' period is BACKUP_KEEP (one a day).
    assert result.stdout.split("\n")[0] == "180 730 14 21 14"
