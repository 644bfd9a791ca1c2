"""Fixtures of the admin tests: users in the site's groups, translators logged in."""

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
def as_translator(client, make_user):
    """Log the test client in as a translator into `language`."""

    def login(language):
        client.force_login(make_user(f"translator-{language}", TRANSLATOR_GROUPS[language]))
        return client

    return login
