"""Background work of the newsletter, on the "newsletter" task backend (a queue in
the database; `manage.py db_worker --backend newsletter` runs it). Wagtail's own
tasks stay on "default", which runs them at once."""

from django.tasks import task

from newsletter import sending


@task(backend="background")
def send_mailing(mailing_id):
    """Send what is left of a mailing (all of it the first time)."""
    return dict(sending.run_mailing(mailing_id))
