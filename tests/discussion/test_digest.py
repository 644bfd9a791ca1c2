"""The moderators' daily digest: one email per moderator however many posts wait,
in their admin language, with a link to the listing; nothing when nothing waits;
never a reader's address."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from wagtail.users.models import UserProfile

from discussion.models import Contribution
from tests.discussion.helpers import make_contribution, story
from tests.helpers import demo_page

pytestmark = pytest.mark.django_db
State = Contribution.State
OTHER = "stories/women-diaspora-4dev-academy-interviews"


@pytest.fixture
def staff(make_user, django_user_model):
    """Who gets the digest, and who does not."""
    users = {
        "editor": make_user("editor", "Editors"),
        "moderator": make_user("moderator", "Moderators"),
        "french": make_user("french-moderator", "Moderators"),
        "root": django_user_model.objects.create_superuser("root", "root@example.org", "pw"),
        "translator": make_user("translator", "Translators (French)"),
        "gone": make_user("gone", "Moderators", is_active=False),
        "no-address": make_user("no-address", "Moderators"),
        "plain": make_user("plain"),
    }
    users["no-address"].email = ""
    users["no-address"].save()
    UserProfile.get_for_user(users["french"]).__class__.objects.filter(user=users["french"]).update(
        preferred_language="fr"
    )
    return users


def other_superusers(staff):
    return set(
        get_user_model()
        .objects.filter(is_superuser=True, is_active=True)
        .exclude(email="")
        .exclude(pk=staff["root"].pk)
        .values_list("email", flat=True)
    )


def test_one_email_per_moderator_for_many_posts(staff):
    for n in range(25):
        make_contribution(story("fr"), email=f"reader{n}@readers.example")
    for n in range(5):
        make_contribution(demo_page(OTHER, "nl"), language="nl", email=f"nl{n}@readers.example")
    make_contribution(story("en"), State.APPROVED, report_count=2, email="flagged@readers.example")
    make_contribution(story("en"), State.APPROVED, email="fine@readers.example")
    mail.outbox.clear()

    call_command("discussion_digest", stdout=io.StringIO())

    recipients = sorted(message.to[0] for message in mail.outbox)
    expected = {
        "editor@example.org",
        "moderator@example.org",
        "french-moderator@example.org",
        "root@example.org",
    } | other_superusers(staff)
    assert recipients == sorted(expected)  # one each, none to translators or others
    assert all(len(message.to) == 1 for message in mail.outbox)

    english = next(m for m in mail.outbox if m.to == ["moderator@example.org"])
    assert "30 contributions wait for moderation" in english.subject
    assert "30 contributions wait for moderation." in english.body
    assert "1 published contribution was reported by readers." in english.body
    assert f"- {story('en').title}: 25 waiting, 1 reported" in english.body
    assert f"- {demo_page(OTHER, 'en').title}: 5 waiting, 0 reported" in english.body
    assert "http://testserver/admin/snippets/discussion/contribution/?state=pending" in english.body
    assert f"http://testserver/admin/snippets/discussion/contribution/?page={story('en').pk}" in (
        english.body
    )

    # In the moderator's admin language: the pages' French titles and links.
    french = next(m for m in mail.outbox if m.to == ["french-moderator@example.org"])
    assert f"- {story('fr').title}\u00a0: en attente\u00a0: 25, signalées\u00a0: 1" in french.body
    assert f"?page={story('fr').pk}" in french.body

    for message in mail.outbox:
        assert "readers.example" not in message.subject + message.body


def test_nothing_is_sent_when_nothing_waits(staff):
    make_contribution(story("fr"), State.APPROVED)
    make_contribution(story("fr"), State.REJECTED)
    make_contribution(story("fr"), State.UNCONFIRMED)
    mail.outbox.clear()
    call_command("discussion_digest", stdout=io.StringIO())
    assert mail.outbox == []
