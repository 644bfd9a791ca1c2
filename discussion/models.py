"""A discussion under a page, shared by its language versions (docs/discussion.md).

`Discussion` is keyed by the page's `translation_key`, as an event's places are, so a
French reader sees what a Dutch reader wrote. It holds the editor's switch (on unless
switched off) and the number of contributions shown, per language, which moderation
keeps up to date, so that a page paginates without counting. `Author` is an address
that posted, confirmed once by email; `Contribution` is what someone wrote (or the
office's answer); `Report` is a reader's flag on a contribution.

None of these are "shown on pages" for the page cache as a whole: a discussion's
pages depend on their own counter (discussion.caching), so a post or a moderation
empties only the three language versions of one page.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Lengths a contribution may have, in characters.
NAME_MAX_LENGTH = 80
TEXT_MIN_LENGTH = 2
TEXT_MAX_LENGTH = 3000


class Discussion(models.Model):
    # The pages' translation_key, as text: compared as it is in SQL compiled once
    # (discussion.rendering), which a UUID column would not allow.
    translation_key = models.CharField(_("page (all languages)"), max_length=36, unique=True)
    is_open = models.BooleanField(
        _("open"), default=True, help_text=_("Readers may post under this page.")
    )
    # {"": all languages, "fr": only French, ...}: top-level contributions shown.
    shown_counts = models.JSONField(default=dict, editable=False)

    shown_on_pages = False  # pagecache: its own counter, not the whole cache

    class Meta:
        verbose_name = _("discussion")
        verbose_name_plural = _("discussions")

    def __str__(self):
        return str(self.translation_key)


class Author(models.Model):
    """An address that posted. The first post waits for the address to be confirmed
    (a link by email, followed by a POST); later ones go straight to moderation."""

    email = models.EmailField(_("email address"), max_length=254, unique=True)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    confirmed_at = models.DateTimeField(_("address confirmed on"), null=True, blank=True)
    # The confirmation link's random token, as its SHA-256 only (privacy.links).
    token_digest = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    link_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    notifications = models.BooleanField(
        _("emails about their contributions"),
        default=True,
        help_text=_("Published, replied to, or turned down."),
    )
    created_at = models.DateTimeField(_("first post on"), default=timezone.now)

    shown_on_pages = False

    class Meta:
        verbose_name = _("author")
        verbose_name_plural = _("authors")

    def __str__(self):
        return str(_("author %(id)s")) % {"id": self.pk}


class Contribution(models.Model):
    class State(models.TextChoices):
        UNCONFIRMED = "unconfirmed", _("Address not confirmed yet")
        PENDING = "pending", _("Waiting for moderation")
        APPROVED = "approved", _("Published")
        REJECTED = "rejected", _("Rejected")
        SPAM = "spam", _("Spam")
        REMOVED = "removed", _("Removed after publication")
        ERASED = "erased", _("Removed at the author's request")

    discussion = models.ForeignKey(
        Discussion, on_delete=models.CASCADE, related_name="contributions"
    )
    # The language version it was written under (for the admin's link), if it still exists.
    page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("page"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("in reply to"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="replies",
    )
    author = models.ForeignKey(
        Author,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contributions",
    )
    is_office_answer = models.BooleanField(_("the office's answer"), default=False)
    staff_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    name = models.CharField(_("name"), max_length=NAME_MAX_LENGTH, blank=True)
    text = models.TextField(_("text"), blank=True)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    state = models.CharField(_("state"), max_length=16, choices=State.choices, db_index=True)
    reason = models.TextField(
        _("reason given to the author"),
        blank=True,
        help_text=_("Sent to the author when a contribution is rejected or removed."),
    )
    report_count = models.PositiveIntegerField(_("reports"), default=0)
    # The consent this contribution was posted under, word for word, and when.
    consent_text = models.TextField(_("consent given"), blank=True)
    consent_version = models.CharField(_("consent version"), max_length=20, blank=True)
    consent_given_at = models.DateTimeField(_("consent given on"), null=True, blank=True)
    created_at = models.DateTimeField(_("posted on"), default=timezone.now, db_index=True)
    moderated_at = models.DateTimeField(_("moderated on"), null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("moderated by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    shown_on_pages = False

    class Meta:
        verbose_name = _("contribution")
        verbose_name_plural = _("contributions")
        ordering = ["-created_at", "-pk"]
        permissions = [("moderate_contribution", _("Can moderate discussions"))]
        indexes = [models.Index(fields=["discussion", "parent", "state", "created_at"])]

    def __str__(self):
        text = " ".join(self.text.split())
        if not text:
            return str(self.get_state_display())
        return text[:60] + ("…" if len(text) > 60 else "")

    def excerpt(self):
        """The listing's first column (the admin: discussion.admin_listing)."""
        return str(self)

    excerpt.short_description = _("text")


class Report(models.Model):
    """A reader's flag. `reporter` is a keyed digest of the reader's network
    address (never the address itself): one report per contribution each."""

    class Reason(models.TextChoices):
        OFFENSIVE = "offensive", _("Offensive, hateful or threatening")
        PERSONAL = "personal", _("Reveals someone's personal details")
        SPAM = "spam", _("Advertising or spam")
        OTHER = "other", _("Something else that breaks the house rules")

    contribution = models.ForeignKey(Contribution, on_delete=models.CASCADE, related_name="reports")
    reporter = models.CharField(max_length=64)
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    shown_on_pages = False

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [
            models.UniqueConstraint(
                fields=["contribution", "reporter"], name="discussion_one_report_per_reader"
            )
        ]

    def __str__(self):
        return self.reason
