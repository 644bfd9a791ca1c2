"""The translators' daily digest: one email per translator listing what was submitted
for translation into their language, or went out of date in it, since their last
digest, with a link to translate each item. Nothing is sent when nothing is new.

The statuses are the board's (translation_workflow.status); what each translator was
told is remembered (`DigestNotice`), so a late or skipped run misses nothing and an
item is listed again only when it changes again. docs/translation.md explains why.
"""

import hashlib
import json
import logging
import re
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMultiAlternatives, mailers
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from wagtail_localize.models import TranslationSource

from translation_workflow.admin_status import add_links
from translation_workflow.models import DigestNotice
from translation_workflow.roles import TRANSLATOR_GROUPS, translator_locales
from translation_workflow.status import (
    IN_PROGRESS,
    OUT_OF_DATE,
    current_content,
    source_and_target_locales,
    translation_status_rows,
)

logger = logging.getLogger(__name__)

SUBMITTED = "submitted"
WAITING = {IN_PROGRESS: SUBMITTED, OUT_OF_DATE: OUT_OF_DATE}
SENT, FAILED = "sent", "failed"


@dataclass
class Item:
    """One English object waiting in one language, as a digest lists it."""

    row: object
    cell: object
    reason: str  # SUBMITTED or OUT_OF_DATE
    version: str
    content_type_id: int

    @property
    def key(self):
        return (self.cell.locale.pk, self.content_type_id, str(self.row.instance.translation_key))


def _absolute(url):
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + url


def waiting_items(rows):
    """The cells of `rows` that wait for a translator, each with its version: for a
    submission, the sync it came from; for an out-of-date item, the English content
    (so that a further change is listed again, an unchanged republish is not)."""
    source_ids = {cell.source_id for row in rows for cell in row.cells if cell.source_id}
    synced_at = dict(
        TranslationSource.objects.filter(pk__in=source_ids).values_list("pk", "last_updated_at")
    )
    items, content_hashes = [], {}
    for row in rows:
        content_type_id = ContentType.objects.get_for_model(type(row.instance)).pk
        for cell in row.cells:
            reason = WAITING.get(cell.status)
            if reason == SUBMITTED:
                version = f"{cell.source_id}:{synced_at[cell.source_id].isoformat()}"
            elif reason == OUT_OF_DATE:
                if id(row) not in content_hashes:
                    content = json.dumps(current_content(row.instance), sort_keys=True)
                    content_hashes[id(row)] = hashlib.sha256(content.encode()).hexdigest()[:40]
                version = f"changed:{content_hashes[id(row)]}"
            else:
                continue
            items.append(Item(row, cell, reason, version, content_type_id))
    return items


def digest_language(user, locales):
    """The user's admin language (their Wagtail profile), else their translator
    group's language, else the site's."""
    languages = dict(settings.LANGUAGES)
    profile = getattr(user, "wagtail_userprofile", None)
    if profile is not None and profile.preferred_language in languages:
        return profile.preferred_language
    codes = sorted(locale.language_code for locale in locales)
    return next((code for code in codes if code in languages), settings.LANGUAGE_CODE)


def _link(item):
    """The translation's edit view (wagtail-localize's editor) when the user may open
    it, else the status board for that language."""
    edit = next((link for link in item.cell.links if not link.primary), None)
    if edit is not None:
        return _absolute(edit.url)
    return _absolute(f"{reverse('translation_status')}?locale={item.cell.locale.language_code}")


def digest_message(user, items, language):
    """The digest email listing `items` (with their links set) for `user`."""
    board = reverse("translation_status")
    sections = []
    for reason in (SUBMITTED, OUT_OF_DATE):
        for locale in sorted({item.cell.locale for item in items}, key=lambda loc: loc.pk):
            entries = [
                {"title": item.row.title, "type": item.row.type_label, "url": _link(item)}
                for item in items
                if item.reason == reason and item.cell.locale == locale
            ]
            if entries:
                sections.append({"reason": reason, "locale": locale, "entries": entries})
    context = {
        "user": user,
        "count": len(items),
        "sections": sections,
        "board_url": _absolute(board),
        "profile_url": _absolute(reverse("wagtailadmin_account")),
    }
    with translation.override(language), timezone.override(settings.TIME_ZONE):
        subject = render_to_string("translation_workflow/email/digest_subject.txt", context)
        body = render_to_string("translation_workflow/email/digest_body.txt", context)
    return EmailMultiAlternatives(
        subject=re.sub(r"[ \t\r\n]+", " ", subject).strip(), body=body, to=[user.email]
    )


def translators():
    """Active members of a translator group who have an email address."""
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name__in=TRANSLATOR_GROUPS.values())
        .exclude(email="")
        .select_related("wagtail_userprofile")
        .distinct()
        .order_by("pk")
    )


def send_translation_digests(now=None):
    """Send each translator their digest. Returns (sent, failed) counts."""
    now = now or timezone.now()
    _source, target_locales = source_and_target_locales()
    rows = translation_status_rows(locales=target_locales)
    items = waiting_items(rows)
    sent = failed = 0
    with mailers["default"] as connection:
        for user in translators():
            locale_ids = {locale.pk for locale in translator_locales(user)}
            mine = [item for item in items if item.cell.locale.pk in locale_ids]
            outcome = _send_one(user, mine, connection, now)
            sent += outcome == SENT
            failed += outcome == FAILED
    return sent, failed


def _send_one(user, items, connection, now):
    """Send `user` the items they have not been told about; remember them once sent,
    and forget those that no longer wait. Returns SENT, FAILED or None (nothing new)."""
    told = {
        (notice.locale_id, notice.content_type_id, str(notice.translation_key)): notice
        for notice in DigestNotice.objects.filter(user=user)
    }
    new = [item for item in items if item.key not in told or told[item.key].version != item.version]
    with transaction.atomic():
        waiting = {item.key for item in items}
        gone = [notice.pk for key, notice in told.items() if key not in waiting]
        DigestNotice.objects.filter(pk__in=gone).delete()
        if not new:
            return None
        add_links(list({id(item.row): item.row for item in new}.values()), user, "")
        message = digest_message(user, new, digest_language(user, translator_locales(user)))
        try:
            connection.send_messages([message])
        except Exception as error:  # noqa: BLE001 - reported without personal data
            logger.warning(
                "The translation digest for user %s failed: %s", user.pk, type(error).__name__
            )
            return FAILED
        for item in new:
            DigestNotice.objects.update_or_create(
                user=user,
                locale_id=item.cell.locale.pk,
                content_type_id=item.content_type_id,
                translation_key=item.row.instance.translation_key,
                defaults={"version": item.version, "sent_at": now},
            )
    return SENT
