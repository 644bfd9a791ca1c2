"""The translators' daily digest (`manage.py send_translation_digest`): each translator
gets one email, in their admin language, listing what was submitted for translation
into their language or went out of date in it since their last digest."""

import io
from smtplib import SMTPServerDisconnected
from unittest import mock

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.mail.backends import locmem
from django.core.management import call_command
from django.urls import reverse
from wagtail.users.models import UserProfile

from tests.home.test_translation_status import english_page, republish, translate
from translation_workflow.roles import TRANSLATOR_GROUPS

pytestmark = pytest.mark.django_db


@pytest.fixture
def translators(django_user_model):
    """A French translator (admin language from the group) and a Dutch one whose
    profile says Dutch, both having seen the demo's backlog in an earlier digest."""
    made = {}
    for language in ("fr", "nl"):
        user = django_user_model.objects.create_user(
            f"translator-{language}", f"translator-{language}@example.org", "pw"
        )
        user.groups.add(Group.objects.get(name=TRANSLATOR_GROUPS[language]))
        made[language] = user
    profile = UserProfile.get_for_user(made["nl"])
    profile.preferred_language = "nl"
    profile.save()
    digest()
    mail.outbox.clear()
    return made


def digest():
    call_command("send_translation_digest", stdout=io.StringIO())


def outbox_for(user):
    return [message for message in mail.outbox if message.to == [user.email]]


def test_each_translator_gets_their_items_in_their_language(translators, locales):
    submitted = english_page("Digest submitted page")
    translate(submitted, locales["fr"], all_strings=False)  # sent, not yet translated
    changed = english_page("Digest changed page")
    translate(changed, locales["nl"])
    republish(changed, introduction="The English changed.")

    digest()

    [french] = outbox_for(translators["fr"])
    assert french.subject == "1 traduction vous attend"
    assert "Soumis pour traduction (français)" in french.body
    assert "Digest submitted page" in french.body
    french_edit = submitted.get_translation(locales["fr"])
    assert f"http://testserver{reverse('wagtailadmin_pages:edit', args=[french_edit.pk])}" in (
        french.body
    )
    assert "Digest changed page" not in french.body  # the Dutch version is the one behind

    [dutch] = outbox_for(translators["nl"])
    assert dutch.subject == "Er wacht 1 vertaling op u"
    assert "Verouderd, het Engels is gewijzigd (Nederlands)" in dutch.body
    assert "Digest changed page" in dutch.body
    assert "Digest submitted page" not in dutch.body
    assert len(mail.outbox) == 2


def test_nothing_is_sent_when_nothing_changed(translators):
    digest()
    assert mail.outbox == []


def test_an_item_is_not_sent_twice_but_again_after_a_new_change(translators, locales):
    page = english_page("Digest page changing twice")
    translate(page, locales["fr"])
    republish(page, introduction="First change.")
    digest()
    assert len(outbox_for(translators["fr"])) == 1

    mail.outbox.clear()
    republish(page)  # republished unchanged: nothing new
    digest()
    assert mail.outbox == []

    republish(page, introduction="Second change.")
    digest()
    [again] = outbox_for(translators["fr"])
    assert "Digest page changing twice" in again.body


def test_a_digest_the_mail_server_refuses_is_sent_again_next_time(translators, locales, caplog):
    """Nothing counts as told until the mail server has accepted the message."""
    submitted = english_page("Digest refused page")
    translate(submitted, locales["fr"], all_strings=False)
    refused = SMTPServerDisconnected("Connection unexpectedly closed")
    with mock.patch.object(locmem.EmailBackend, "send_messages", side_effect=refused):
        digest()
    assert mail.outbox == []
    assert "failed: SMTPServerDisconnected" in caplog.text
    assert "translator-fr@example.org" not in caplog.text  # no address in the log

    digest()  # the server is back
    [french] = outbox_for(translators["fr"])
    assert "Digest refused page" in french.body
