"""Shared test set-up: one database per test run, holding the demo site.

The demo content is built once (with load_demo, as a user would) and each test
runs inside a transaction that is rolled back, so tests see the same site and
cannot disturb each other.
"""

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.utils import timezone, translation
from wagtail.models import Locale

from tests.helpers import Clock


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("load_demo", verbosity=0)


@pytest.fixture(autouse=True)
def english_by_default():
    """Each test starts in English: a request made by an earlier test leaves its
    language active in the thread."""
    translation.activate("en")
    yield
    translation.activate("en")


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: rate-limit counters of public forms
    must not carry over from one test to the next."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def locales(db):
    return {locale.language_code: locale for locale in Locale.objects.all()}


@pytest.fixture
def editor_client(client, django_user_model):
    """A client logged in as a superuser, for the Wagtail admin."""
    user = django_user_model.objects.create_superuser("editor", "editor@example.org", "pw")
    client.force_login(user)
    return client


@pytest.fixture
def database_queues(settings):
    """The task queues as production has them ("background" and "emails" in the
    database, run by a worker), instead of the suite's immediate "emails"."""
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
        "background": {"BACKEND": "django_tasks_db.DatabaseBackend"},
        "emails": {"BACKEND": "django_tasks_db.DatabaseBackend"},
    }


@pytest.fixture(autouse=True)
def second_factor_given_at_force_login(request, monkeypatch):
    """`client.force_login(user)` also gives the second factor, as signing in with a
    code does (django-otp's `login`: the session names a device of the user), so the
    many tests that drive admin views as a superuser need not enter codes. Enforcement
    stays on: tests marked `two_factor` (tests/twofactor/) get Django's plain
    force_login and go through the code step themselves."""
    if request.node.get_closest_marker("two_factor"):
        return
    from django.test import Client

    from tests.twofactor.helpers import verify_session

    plain = Client.force_login

    def force_login(self, user, backend=None):
        plain(self, user, backend)
        verify_session(self, user)

    monkeypatch.setattr(Client, "force_login", force_login)


@pytest.fixture
def clock(monkeypatch):
    """timezone.now() standing still until the test moves it (tests.helpers.Clock);
    a module may define its own `clock` instead."""
    clock = Clock()
    monkeypatch.setattr(timezone, "now", clock)
    return clock
