"""The moderators' daily digest (`manage.py discussion_digest`): one email to each
moderator listing what waits, the pending and reported counts and, per page, how
many, with a link to the admin's listing; in the moderator's admin language.
Nothing is sent when nothing waits. It names pages, never a reader nor an address.
"""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.mail import EmailMultiAlternatives, mailers
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode
from wagtail.models import Page

from discussion import waiting
from discussion.models import Contribution
from home.text import one_line

logger = logging.getLogger(__name__)

# Wagtail's groups whose members moderate (given the permission by migration 0002).
MODERATOR_GROUPS = ("Editors", "Moderators")
DEFAULT_LANGUAGE = "en"


def moderators():
    """Active users with an email address who are superusers, or in Editors or
    Moderators and hold the moderate permission (through a group or their own)."""
    permission = Permission.objects.filter(
        codename="moderate_contribution", content_type__app_label="discussion"
    )
    granted = Q(groups__name__in=MODERATOR_GROUPS) & (
        Q(groups__permissions__in=permission) | Q(user_permissions__in=permission)
    )
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .exclude(email="")
        .filter(Q(is_superuser=True) | granted)
        .select_related("wagtail_userprofile")
        .distinct()
        .order_by("pk")
    )


def digest_language(user):
    """The user's admin language (their Wagtail profile), else English."""
    profile = getattr(user, "wagtail_userprofile", None)
    if profile is not None and profile.preferred_language in dict(settings.LANGUAGES):
        return profile.preferred_language
    return DEFAULT_LANGUAGE


def _absolute(path, **query):
    url = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path
    return f"{url}?{urlencode(query)}" if query else url


def listing_path():
    return reverse(Contribution.snippet_viewset.get_url_name("list"))


def waiting_pages():
    """[{"key", "pending", "reported", "versions": {language: (page id, title)}}] of
    the discussions where something waits, most waiting first: two queries."""
    rows = waiting.per_discussion()
    versions = {}
    pages = Page.objects.filter(translation_key__in=[key for key, _p, _r in rows]).values_list(
        "translation_key", "locale__language_code", "pk", "title"
    )
    for key, language, pk, title in pages:
        versions.setdefault(str(key), {})[language] = (pk, title)  # a UUID; the rows', text
    return [
        {"key": key, "pending": pending, "reported": reported, "versions": versions.get(key, {})}
        for key, pending, reported in rows
    ]


def _in_language(page, language):
    """The page's (id, title) in `language`, else in English, else in any."""
    versions = page["versions"]
    return (
        versions.get(language)
        or versions.get(DEFAULT_LANGUAGE)
        or next(iter(versions.values()), (None, ""))
    )


def digest_message(user, counts, pages, language):
    entries = []
    for page in pages:
        pk, title = _in_language(page, language)
        url = _absolute(listing_path(), page=pk) if pk else _absolute(listing_path())
        entries.append(
            {"title": title, "pending": page["pending"], "reported": page["reported"], "url": url}
        )
    context = {
        "user": user,
        "pending": counts["pending"],
        "reported": counts["reported"],
        "pages": entries,
        "pending_url": _absolute(listing_path(), state=Contribution.State.PENDING),
        "profile_url": _absolute(reverse("wagtailadmin_account")),
    }
    with translation.override(language):
        subject = render_to_string("discussion/email/digest_subject.txt", context)
        body = render_to_string("discussion/email/digest_body.txt", context)
    return EmailMultiAlternatives(subject=one_line(subject), body=body, to=[user.email])


def send_digests():
    """Send each moderator the digest, if anything waits. Returns (sent, failed)."""
    counts = waiting.counts()
    if not counts["pending"] and not counts["reported"]:
        return 0, 0
    pages = waiting_pages()
    sent = failed = 0
    with mailers["default"] as connection:
        for user in moderators():
            message = digest_message(user, counts, pages, digest_language(user))
            try:
                connection.send_messages([message])
            except Exception as error:  # noqa: BLE001 - reported without personal data
                logger.warning(
                    "The discussion digest for user %s failed: %s", user.pk, type(error).__name__
                )
                failed += 1
            else:
                sent += 1
    return sent, failed
