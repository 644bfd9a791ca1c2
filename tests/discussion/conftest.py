"""Fixtures of the discussion's admin tests: users in the site's groups, and
contributions made directly (the reader's path is tests/discussion/test_posting.py)."""

import pytest
from django.contrib.auth.models import Group

from translation_workflow.roles import TRANSLATOR_GROUPS


@pytest.fixture
def make_user(django_user_model):
    def make(name, *groups, **extra):
        user = django_user_model.objects.create_user(name, f"{name}@example.org", "pw", **extra)
        user.groups.add(*Group.objects.filter(name__in=groups))
        return user

    return make


@pytest.fixture
def moderator(make_user):
    return make_user("moderator", "Moderators")


@pytest.fixture
def moderator_client(client, moderator):
    client.force_login(moderator)
    return client


@pytest.fixture
def translator_client(client, make_user):
    """A French translator: may edit French pages, may not see contributions."""
    client.force_login(make_user("translator", TRANSLATOR_GROUPS["fr"]))
    return client
