import pytest
from django.test import Client

PASSWORD = "right-password-123"
ADDRESS = "10.20.30.40"


@pytest.fixture
def sign_in():
    """The password step, as the login form posts it; returns the client."""

    def step(user, client=None):
        client = client or Client(REMOTE_ADDR=ADDRESS)
        response = client.post(
            "/admin/login/", {"username": user.get_username(), "password": PASSWORD}
        )
        assert response.status_code == 302, "the password step failed"
        return client

    return step


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser("chief", "chief@example.org", PASSWORD)
