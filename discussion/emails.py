"""The emails the discussion sends its authors, always from the "emails" worker (never
in a visitor's or a moderator's request), in the author's language, plain text.

Only ids go into the task rows, never an address or a text. An author who stopped
these emails (the one-click link in each, `stop_url`) gets none but the confirmation
of a new address. Nobody's address is ever given to anyone else: a reply's email
names the replier, as the page does, and nothing more.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import Q
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from discussion.models import Author, Contribution
from home.text import one_line
from privacy import links

logger = logging.getLogger(__name__)

CONFIRM_MAX_AGE = timedelta(days=7)
# At most one confirmation email per address in this time.
CONFIRMATION_INTERVAL = timedelta(hours=1)
STOP_SALT = "discussion.author.stop"

State = Contribution.State


def base_url():
    """The configured address of the site, never a request's Host header."""
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/")


def absolute(name, *args, language):
    with translation.override(language):
        return base_url() + reverse(name, args=args)


def stop_url(author):
    token = links.signed_token(author.pk, author.email, STOP_SALT)
    return absolute("discussion:stop", token, language=author.language)


def author_from_stop_token(token):
    """The author a stop link was made for, or None (forged, or the address erased)."""
    return links.object_from_token(Author.objects.all(), token, STOP_SALT)


def page_in(page, language):
    """The live version of `page` in `language`, else `page` itself (or None)."""
    if page is None:
        return None
    versions = page.get_translations(inclusive=True).live()
    return versions.filter(locale__language_code=language).first() or page


def contribution_url(version, contribution):
    """The contribution on the page `version` (the site's address when it is gone)."""
    if version is None:
        return base_url()
    return version.get_full_url() + f"#contribution-{contribution.pk}"


def _message(author, template, context, *, one_click_stop=True):
    context = {"author": author, **context}
    with translation.override(author.language):
        context["rules_url"] = absolute("discussion:rules", language=author.language)
        if one_click_stop:
            context["stop_url"] = stop_url(author)
        subject = render_to_string(f"discussion/email/{template}_subject.txt", context)
        body = render_to_string(f"discussion/email/{template}_body.txt", context)
    headers = {}
    if one_click_stop:  # RFC 8058: the mail client's own "unsubscribe" button
        headers = {
            "List-Unsubscribe": f"<{context['stop_url']}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        }
    subject = one_line(subject)  # one line: a newline would start a header
    return EmailMultiAlternatives(subject=subject, body=body, to=[author.email], headers=headers)


def _send(message, what, pk):
    try:
        message.send()
    except Exception as error:  # logged without the message: it would hold the address
        logger.error("Discussion email (%s, %s) failed: %s", what, pk, type(error).__name__)
        raise
    return True


def claim_confirmation(author, now):
    """Claim this hour's confirmation email for `author` (a conditional UPDATE, so
    two posts at once queue one email). Returns whether it was claimed."""
    return bool(
        Author.objects.filter(pk=author.pk, confirmed_at=None)
        .filter(Q(link_sent_at=None) | Q(link_sent_at__lte=now - CONFIRMATION_INTERVAL))
        .update(link_sent_at=now)
    )


@task(backend="emails")
def deliver_confirmation(author_id):
    """A new confirmation link (the previous one stops working) for an address that
    has not confirmed yet."""
    author = Author.objects.filter(pk=author_id, confirmed_at=None).first()
    if author is None:  # confirmed or erased meanwhile
        return False
    token, digest = links.random_token()
    Author.objects.filter(pk=author.pk).update(token_digest=digest, link_sent_at=timezone.now())
    context = {
        "confirm_url": absolute("discussion:confirm", token, language=author.language),
        "valid_days": CONFIRM_MAX_AGE.days,
    }
    return _send(_message(author, "confirm", context, one_click_stop=False), "confirm", author.pk)


# What each notice tells, and the state the contribution must still be in.
NOTICES = {
    "published": State.APPROVED,
    "reply": State.APPROVED,
    "rejected": State.REJECTED,
    "removed": State.REMOVED,
}


@task(backend="emails")
def deliver_notice(contribution_id, kind):
    """Tell an author about their contribution: published, rejected or removed (with
    the moderator's reason), or (`reply`, for a reply's id) answered."""
    contribution = (
        Contribution.objects.filter(pk=contribution_id, state=NOTICES[kind])
        .select_related("author", "parent__author", "page", "parent__page")
        .first()
    )
    if contribution is None:  # moderated again, or erased, since
        return False
    subject_of_notice = contribution.parent if kind == "reply" else contribution
    author = subject_of_notice.author if subject_of_notice else None
    if author is None or not author.notifications or author.confirmed_at is None:
        return False
    if kind == "reply" and contribution.author_id == author.pk:
        return False  # answering oneself
    # One lookup: the page (in the author's language) names the email and is linked.
    version = page_in(contribution.page, author.language)
    context = {
        "contribution": subject_of_notice,
        "reply": contribution if kind == "reply" else None,
        "url": contribution_url(version, contribution),
        "page_title": version.title if version else "",
    }
    return _send(_message(author, kind, context), kind, contribution.pk)


def queue_notices(contributions, kind):
    """Queue `kind` for each contribution (and, when published, the reply's email to
    the author it answers)."""
    for contribution in contributions:
        deliver_notice.enqueue(contribution.pk, kind)
        if kind == "published" and contribution.parent_id:
            deliver_notice.enqueue(contribution.pk, "reply")
