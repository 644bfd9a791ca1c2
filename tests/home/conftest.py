"""Fixtures of the base's tests: users in the site's groups, translators logged in,
a small image of our own."""

import io

import pytest
from django.contrib.auth.models import Group
from django.core.files.images import ImageFile
from PIL import Image as PILImage

from home.models import CustomImage
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


@pytest.fixture
def small_image(db):
    """A 160 x 100 image, so that its renditions are quick to make."""
    buffer = io.BytesIO()
    PILImage.new("RGB", (160, 100), "#0b3d91").save(buffer, "PNG")
    image = CustomImage(
        title="Small", description="A blue field", file=ImageFile(buffer, name="small.png")
    )
    image._set_image_file_metadata()
    image.save()
    return image
