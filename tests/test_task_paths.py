"""Task rows queued by an earlier release name their task by its import path: every
path a queued row may hold still leads to the task (django-tasks-db imports it when
a worker runs the row)."""

import pytest
from django.tasks import Task
from django.utils.module_loading import import_string

QUEUED_PATHS = [
    "newsletter.tasks.send_mailing",  # scheduled mailings
    "newsletter.invitations.send_invitations",
    "events.tasks.announce_date",
    "events.tasks.send_reminders",
    "home.frontend_cache.purge_site",  # the CDN purge
    "pagecache.cdn.purge_translation",  # an event's pages after a registration
    "pagecache.warmup.warm_pages",  # the page cache warmed after a change
    # The "emails" queue: what visitors' forms set off.
    "newsletter.subscriptions.deliver_confirmation",
    "newsletter.welcome.deliver_welcome",  # right after a subscription is confirmed
    "events.tasks.email_registrant",
    "events.tasks.start_review",
    "public_forms.notifications.notify_staff",
    "discussion.emails.deliver_confirmation",  # a first contribution's address
    "discussion.emails.deliver_notice",  # published, answered, rejected, removed
]


@pytest.mark.parametrize("path", QUEUED_PATHS)
def test_a_queued_task_path_still_leads_to_its_task(path):
    assert isinstance(import_string(path), Task)
