"""Newsletter issues (published on the web and emailed), subscribers, and the record
of every issue sent: one Mailing per issue, one Delivery per (issue, subscriber)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.search import index

from home.blocks import TEXT_FEATURES
from home.models import BasePage, StreamBodyMixin
from home.models.base import HOME_SECTION_ITEMS, paginate
from home.prepared import PreparedListing, prepared
from home.stream_loading import load_stream
from newsletter.blocks import NewsletterBodyBlock


class NewsletterIndexPage(BasePage):
    introduction = RichTextField(_("introduction"), features=TEXT_FEATURES, blank=True)

    content_panels = [*BasePage.content_panels, FieldPanel("introduction")]

    parent_page_types = ["home.HomePage"]
    subpage_types = ["newsletter.NewsletterIssuePage"]
    max_count_per_parent = 1
    template = "pages/newsletter/newsletter_index_page.html"

    class Meta:
        verbose_name = _("newsletter index page")

    def get_issues(self):
        return (
            NewsletterIssuePage.objects.child_of(self)
            .live()
            .public()
            .with_listing_images()
            .order_by("-number")
        )

    # The home page leads with the newsletter: the latest issue as a feature, the
    # earlier ones as links, and the short subscription form (home.HomePage.get_sections).
    home_section_order = 10
    home_section_template = "newsletter/_home_section.html"

    @property
    def home_section_latest(self):
        return (NewsletterIssuePage, ("-number",))

    def home_section_items(self):
        return prepared(
            ("newsletter index: home section", self.pk, self.path),
            lambda: self.get_issues()[:HOME_SECTION_ITEMS],
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        issues = PreparedListing(("newsletter index: issues", self.pk, self.path), self.get_issues)
        context["issues"] = paginate(request, issues)
        return context


class NewsletterIssuePage(StreamBodyMixin, BasePage):
    number = models.PositiveIntegerField(
        _("issue number"),
        help_text=_("Unique within each language: 1, 2, 3…"),
    )
    issue_date = models.DateField(_("issue date"))
    introduction = RichTextField(
        _("introduction"),
        features=TEXT_FEATURES,
        blank=True,
        help_text=_("The opening text of the issue."),
    )
    body = StreamField(NewsletterBodyBlock(), verbose_name=_("body"))

    content_panels = [
        *BasePage.content_panels,
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("number"), FieldPanel("issue_date")])],
            heading=_("Issue"),
        ),
        FieldPanel("introduction"),
        FieldPanel("body"),
    ]
    search_fields = [
        *BasePage.search_fields,
        index.SearchField("introduction"),
        index.SearchField("body"),
        index.FilterField("number"),
    ]

    parent_page_types = ["newsletter.NewsletterIndexPage"]
    subpage_types = []
    template = "pages/newsletter/newsletter_issue_page.html"
    search_result_label = pgettext_lazy("type of search result", "Newsletter issue")
    og_type = "article"
    card_meta_template = "newsletter/_card_meta.html"
    card_tone = "ochre"

    def localize_body(self):
        # Its blocks choose pages, images and partners in many kinds of blocks: all
        # of them fetched at once, one query per model (docs/production.md, Speed).
        load_stream(self.body, self.locale_id)

    @property
    def preview_modes(self):
        return [("", _("Web page")), ("email", _("Email"))]

    def serve_preview(self, request, mode_name):
        """The "Email" preview: the issue as subscribers of its language receive it
        (rendered by the `issue_email_html` tag, newsletter/templatetags)."""
        if mode_name == "email":
            return render(request, "newsletter/email/preview.html", {"page": self})
        return super().serve_preview(request, mode_name)

    class Meta:
        verbose_name = _("newsletter issue")
        verbose_name_plural = _("newsletter issues")

    def clean(self):
        super().clean()
        # Checked here rather than with unique=True: wagtail-localize copies the
        # number into each translation, so issue 1 exists once per language.
        taken = (
            NewsletterIssuePage.objects.filter(locale_id=self.locale_id, number=self.number)
            .exclude(pk=self.pk)
            .exclude(translation_key=self.translation_key)
            .first()
        )
        if self.number is not None and taken:
            raise ValidationError(
                {
                    "number": _("Issue %(number)s already exists in this language: “%(title)s”.")
                    % {"number": self.number, "title": taken.title}
                }
            )


class Subscriber(models.Model):
    """A person on the mailing list, with the record of their consent.

    Not a page and not translatable: one row per address, whatever the language.
    Double opt-in: a row starts `pending` and becomes `confirmed` only through the
    signed link mailed to the address. Contacts imported from the old mailing list
    start `invited` (they never opted in, so they have no consent yet) and receive
    issues only once they accept the invitation. Only `confirmed` rows get issues.
    """

    class Status(models.TextChoices):
        INVITED = "invited", _("invited (imported, not yet subscribed)")
        PENDING = "pending", _("pending confirmation")
        CONFIRMED = "confirmed", _("confirmed")
        UNSUBSCRIBED = "unsubscribed", _("unsubscribed")
        BOUNCED = "bounced", _("address bounced")
        COMPLAINED = "complained", _("marked as spam")

    email = models.EmailField(_("email address"), max_length=254, unique=True)
    language = models.CharField(_("language"), max_length=7, choices=settings.LANGUAGES)
    countries = models.ManyToManyField(
        "home.CountryPage",
        verbose_name=_("countries of interest"),
        blank=True,
        related_name="newsletter_subscribers",
        help_text=_("English country pages; shown in the subscriber's language."),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    consent_text_version = models.CharField(_("consent text version"), max_length=16, blank=True)
    consent_given_at = models.DateTimeField(_("consent given at"), null=True, blank=True)
    consent_source = models.CharField(
        _("consent source"),
        max_length=255,
        blank=True,
        help_text=_("The page on which the form was sent."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("unsubscribed at"), null=True, blank=True)
    last_confirmation_sent_at = models.DateTimeField(
        _("last confirmation email sent at"), null=True, blank=True
    )
    invitation_sent_at = models.DateTimeField(
        _("invitation sent at"),
        null=True,
        blank=True,
        help_text=_("Imported contacts get one invitation to subscribe, never a second."),
    )
    status_changed_at = models.DateTimeField(_("status changed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("subscriber")
        verbose_name_plural = _("subscribers")
        ordering = ["-created_at"]

    # No page shows a subscriber: people signing up leave the page cache warm.
    shown_on_pages = False

    def __str__(self):
        # The id, not the address: Wagtail copies this label into its admin log
        # entries and messages, where the address would outlive an erasure. The
        # admin lists and shows the address in its own column and field.
        return f"#{self.pk}" if self.pk else ""

    def save(self, *args, **kwargs):
        self.email = self.email.strip().lower()
        super().save(*args, **kwargs)


class SubscriptionRequest(models.Model):
    """A request to subscribe, waiting beside its subscriber's record until the
    emailed link is confirmed: the record (status, consent, language, countries)
    changes only then, all at once (newsletter.subscriptions.confirm). So someone
    typing an unsubscribed address into the form changes nothing about it.

    One per subscriber; a new request replaces it only when a new email goes out.
    The link's token is random; only its SHA-256 is kept (`token_digest`)."""

    subscriber = models.OneToOneField(
        Subscriber,
        verbose_name=_("subscriber"),
        on_delete=models.CASCADE,
        related_name="subscription_request",
    )
    language = models.CharField(_("language"), max_length=7, choices=settings.LANGUAGES)
    # English country page ids. Not a ManyToMany: the request is short-lived, and
    # a page deleted meanwhile is simply left out when the request is confirmed.
    country_ids = models.JSONField(_("countries of interest"), default=list, blank=True)
    consent_text_version = models.CharField(_("consent text version"), max_length=16)
    consent_given_at = models.DateTimeField(_("consent given at"))
    consent_source = models.CharField(_("consent source"), max_length=255, blank=True)
    token_digest = models.CharField(max_length=64, unique=True, null=True, blank=True)
    link_sent_at = models.DateTimeField(_("link sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("subscription request")
        verbose_name_plural = _("subscription requests")

    shown_on_pages = False

    def __str__(self):
        return f"#{self.subscriber_id}"


class Mailing(models.Model):
    """One newsletter issue sent to subscribers: the order given in the admin and
    its progress. One per issue (all its languages together), so an issue cannot
    be sent twice, by a double click or by two people at once."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("waiting to start")
        SENDING = "sending", _("sending")
        DONE = "done", _("sent")

    issue_key = models.UUIDField(
        _("issue"), unique=True, help_text=_("The translation key shared by the issue's languages.")
    )
    issue = models.ForeignKey(
        NewsletterIssuePage,
        verbose_name=_("issue page"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    subject = models.CharField(
        _("subject"), max_length=255, help_text=_("In English, for the record.")
    )
    countries = models.ManyToManyField(
        "home.CountryPage",
        verbose_name=_("only subscribers interested in"),
        blank=True,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.SCHEDULED
    )
    send_after = models.DateTimeField(_("send from"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ordered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("ordered at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("mailing")
        verbose_name_plural = _("mailings")
        ordering = ["-created_at"]
        permissions = [("send_newsletter", _("Can send newsletter issues to subscribers"))]

    def __str__(self):
        return self.subject


class Delivery(models.Model):
    """One issue to one subscriber. The worker marks a row `sending` before it talks
    to the mail server and `sent` once the server accepted the message, so after a
    crash only a row left `sending` can have gone out twice.

    The subscriber link is cleared when a person is erased; the row stays, with its
    language and status (and how they left the list, if they did), so that the
    counts of a mailing remain right."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting")
        SENDING = "sending", _("sending")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")
        SKIPPED = "skipped", _("skipped (no longer subscribed)")

    class Feedback(models.TextChoices):
        # From the mildest to the strictest: a row keeps the strictest.
        NONE = "", _("nothing")
        DELAYED = "delayed", _("delayed (temporary failure reported)")
        BOUNCED = "bounced", _("bounced")
        COMPLAINED = "complained", _("marked as spam")

    mailing = models.ForeignKey(Mailing, on_delete=models.CASCADE, related_name="deliveries")
    subscriber = models.ForeignKey(
        Subscriber, null=True, blank=True, on_delete=models.SET_NULL, related_name="deliveries"
    )
    language = models.CharField(_("language"), max_length=7, choices=settings.LANGUAGES)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    # Which worker holds the row, and until when: a worker that dies loses its rows
    # when the lease runs out, and another worker takes them over.
    claimed_by = models.CharField(max_length=40, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    error = models.CharField(_("error"), max_length=255, blank=True)
    # Kept when the subscriber row is deleted after they left the list (an erasure,
    # a purge), so that the issue's results still count them (newsletter.results).
    left_as = models.CharField(_("left the list as"), max_length=16, blank=True, db_default="")
    left_at = models.DateTimeField(_("left the list at"), null=True, blank=True)
    # What came back about the message after the server took it: a delivery report
    # or a complaint naming this row (`manage.py process_mail`, incoming_mail.py).
    # A database default: sending creates the rows in SQL (sending._create_deliveries).
    feedback = models.CharField(
        _("what came back"), max_length=16, choices=Feedback.choices, blank=True, db_default=""
    )
    feedback_at = models.DateTimeField(_("came back at"), null=True, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["mailing", "subscriber"], name="one_delivery_per_subscriber_and_mailing"
            )
        ]
        indexes = [models.Index(fields=["mailing", "status"], name="delivery_mailing_status")]

    def __str__(self):
        return f"{self.mailing_id}/{self.subscriber_id}: {self.status}"
