"""Success stories: interviews, videos and articles, and the people in them."""

from django import forms
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from home.admin_forms import SourceLocaleChoicesForm
from home.i18n import chosen_versions, localized
from home.models import BasePage, CountryPage, NamedSnippet, StreamBodyMixin
from home.models.base import HOME_SECTION_ITEMS, paginate
from home.prepared import PreparedListing, prepared
from home.related import RelatedListing
from stories.blocks import StoryBodyBlock


class Person(NamedSnippet):
    """Someone a story is about or speaks with."""

    name = models.CharField(_("name"), max_length=160)
    role = models.CharField(
        _("role"),
        max_length=200,
        blank=True,
        help_text=_("For example 'President of a women's diaspora association'."),
    )
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    photo = models.ForeignKey(
        "home.CustomImage",
        verbose_name=_("photo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("role"),
        FieldPanel("organisation"),
        FieldPanel("photo"),
    ]

    class Meta(NamedSnippet.Meta):
        verbose_name = _("person")
        verbose_name_plural = _("people")


class StoryKind(models.TextChoices):
    INTERVIEW = "interview", _("Interview")
    VIDEO = "video", _("Video")
    ARTICLE = "article", _("Article")


# The latest first.
STORY_ORDER = ("-date", "-pk")


class StoryIndexPage(BasePage):
    introduction = models.TextField(_("introduction"), blank=True)

    content_panels = [*BasePage.content_panels, FieldPanel("introduction")]

    parent_page_types = ["home.HomePage"]
    subpage_types = ["stories.StoryPage"]
    max_count_per_parent = 1
    template = "pages/stories/story_index_page.html"

    class Meta:
        verbose_name = _("story index page")

    def get_stories(self, kind=None):
        stories = StoryPage.objects.child_of(self).live().public()
        if kind:
            stories = stories.filter(kind=kind)
        return stories.with_listing_images().order_by(*STORY_ORDER)

    home_section_order = 20  # after the newsletter (home.HomePage.get_sections)

    @property
    def home_section_latest(self):
        return (StoryPage, STORY_ORDER)

    def home_section_items(self):
        return prepared(
            ("story index: home section", self.pk, self.path),
            lambda: self.get_stories()[:HOME_SECTION_ITEMS],
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        kind = request.GET.get("kind")
        if kind not in StoryKind.values:
            kind = None
        stories = PreparedListing(
            ("story index: stories", self.pk, self.path, kind), lambda: self.get_stories(kind)
        )
        context.update(
            stories=paginate(request, stories),
            kinds=StoryKind.choices,
            current_kind=kind,
        )
        return context


class StoryPage(StreamBodyMixin, BasePage):
    kind = models.CharField(
        _("kind"), max_length=20, choices=StoryKind.choices, default=StoryKind.ARTICLE
    )
    date = models.DateField(
        _("date"),
        default=timezone.localdate,
        help_text=_("When the story was published or took place."),
    )
    introduction = models.TextField(
        _("introduction"), help_text=_("What the story is about, in a few sentences.")
    )
    country = models.ForeignKey(
        "home.CountryPage",
        verbose_name=_("country"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="stories",
    )
    project = models.ForeignKey(
        "home.ProjectPage",
        verbose_name=_("project"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="stories",
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="stories",
        help_text=_("The person the story is about or talks to, if there is one."),
    )
    body = StreamField(StoryBodyBlock(), verbose_name=_("body"))

    content_panels = [
        *BasePage.content_panels,
        FieldPanel("kind", widget=forms.RadioSelect),
        FieldPanel("date"),
        FieldPanel("introduction"),
        MultiFieldPanel(
            [FieldPanel("country"), FieldPanel("project"), FieldPanel("person")],
            heading=_("What the story is linked to"),
            help_text=_("The story is listed on the chosen country and project pages."),
        ),
        FieldPanel("body"),
    ]
    search_fields = [
        *BasePage.search_fields,
        index.SearchField("introduction"),
        index.SearchField("body"),
        index.FilterField("kind"),
    ]

    base_form_class = SourceLocaleChoicesForm
    parent_page_types = ["stories.StoryIndexPage"]
    subpage_types = []
    template = "pages/stories/story_page.html"
    # Listed on the country and project pages it points at, and in country feeds.
    related_listing = RelatedListing(
        heading=_("Success stories"),
        order_by=("-first_published_at",),
        position=20,
        in_feed=True,
    )
    search_result_label = pgettext_lazy("type of search result", "Story")
    og_type = "article"
    card_meta_template = "stories/_card_meta.html"
    card_tone = "accent"

    class Meta:
        verbose_name = _("story")
        verbose_name_plural = _("stories")

    def clean(self):
        super().clean()
        block_types = {block.block_type for block in self.body or []}
        if self.kind == StoryKind.VIDEO and "video" not in block_types:
            raise ValidationError({"body": _("A video story needs a video block in its body.")})
        if self.kind == StoryKind.INTERVIEW and "question_answer" not in block_types:
            raise ValidationError(
                {"body": _("An interview needs at least one question-and-answer block.")}
            )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(self._linked_pages(), person=self._person())
        return context

    def _linked_pages(self):
        """{"country", "project"} in the page's locale, in one query, by id: without
        fetching the English pages the fields point at first (the story shows their
        titles and links, which every page has)."""
        linked = {"country": None, "project": None}
        country_type = ContentType.objects.get_for_model(CountryPage).pk
        ids = [self.country_id, self.project_id]
        for page in chosen_versions(Page, self.locale_id, ids=ids):
            linked["country" if page.content_type_id == country_type else "project"] = page
        return linked

    def _person(self):
        if self.person_id is None:
            return None
        people = localized(Person.objects.filter(pk=self.person_id), self.locale_id)
        return people.select_related("photo").first()
