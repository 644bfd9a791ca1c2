"""Where the site replaces Wagtail's `.specific()` and its lazy StreamField conversion
to save queries, it gives Wagtail's answers.

- `home.specific`: every page type's own fields joined into one query give, for
  every page of the demo, the instance `page.specific` gives (class and fields).
- Search (discovery.search, its results made specific with `specific_pages`) shows
  the pages, in the order and with the types and summaries, that Wagtail's
  `.specific()` search gives.
- `home.stream_loading.load_stream` converts a stream to the values Wagtail's lazy
  conversion followed by `home.i18n.localize_stream` gives, and renders the same
  HTML: on the demo's issue and an issue using every block, in each language, and on
  a stream of awkward cases (a page deleted, a page of another type in a typed
  chooser, a translation not live or missing, a partner still falling back to its
  source text, an image gone, an item missing from a block, lists in the old
  format, a nested stream with a type it no longer knows, an id stored as text).
"""

import uuid

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import translation
from wagtail.blocks import ListBlock, PageChooserBlock, StreamBlock, StreamValue, StructValue
from wagtail.blocks.list_block import ListValue
from wagtail.images.blocks import ImageBlock, ImageChooserBlock
from wagtail.models import Locale, Page, get_page_models
from wagtail.rich_text import RichText

from discovery.search import search_pages
from events.models import CallPage, EventPage
from home.blocks import LinkBlock, PartnerLogosBlock
from home.i18n import localize_stream
from home.models import CustomImage, Partner, ProjectPage, StandardPage
from home.models.base import public
from home.models.translation_state import written_in_own_language
from home.specific import specific, specific_pages, with_specific
from home.stream_loading import load_stream
from newsletter.blocks import EventsAndCallsBlock, SpotlightBlock
from newsletter.models import NewsletterIssuePage
from stories.models import StoryPage
from tests.tenfold_content import TenfoldContent, add_full_issue

pytestmark = pytest.mark.django_db


def _fields(page):
    """A page's field values, StreamFields aside (left out of joined pages)."""
    return {
        field.attname: field.value_from_object(page)
        for field in page._meta.concrete_fields
        if field.get_internal_type() != "JSONField" and not hasattr(field, "stream_block")
    }


def test_pages_joined_with_their_own_tables_are_what_specific_gives():
    pages = with_specific(Page.objects.order_by("pk"), get_page_models())
    wagtails = Page.objects.order_by("pk").specific()
    compared = set()
    for row, wagtail in zip(pages, wagtails, strict=True):
        ours = specific(row)
        if type(wagtail) is Page:  # the tree's root
            assert ours is row
            continue
        assert type(ours) is type(wagtail)
        assert _fields(ours) == _fields(wagtail), wagtail.url_path
        assert ours.summary == wagtail.summary
        compared.add(type(ours))
    assert len(compared) >= 14
    # A type left out of the join is not made up.
    story = with_specific(Page.objects.filter(pk=StoryPage.objects.first().pk), [EventPage])
    assert specific(story.get()) is None


def _wagtails_search(term, locale):
    """What search_pages gave before: Wagtail's `.specific()` over the same pages."""
    written_here = public(written_in_own_language(Page.objects.filter(locale=locale)))
    pages = Page.objects.live().filter(locale=locale, pk__in=written_here.values("pk"))
    return list(pages.specific().search(term, operator="and"))


@pytest.mark.parametrize("code", ["en", "fr", "nl"])
@pytest.mark.parametrize("term", ["diaspora", "rwanda", "academy", "issue", "xylophone"])
def test_search_gives_wagtails_results(code, term):
    locale = Locale.objects.get(language_code=code)
    ours = specific_pages(search_pages(term, locale))
    wagtails = _wagtails_search(term, locale)
    assert ours == wagtails  # the same pages in the same order, of the same models
    for page, wagtail in zip(ours, wagtails, strict=True):
        assert type(page) is type(wagtail)
        assert (page.title, page.summary) == (wagtail.title, wagtail.summary)
    if term == "diaspora":
        assert len({type(page) for page in ours}) >= 5


# --- StreamFields ------------------------------------------------------------------


def _describe(value):
    """A value as plain data: blocks by kind, chosen objects by class and id (and
    what a page or partner shows), rich text by its source."""
    if isinstance(value, StreamValue):
        return [(child.block_type, child.id, _describe(child.value)) for child in value]
    if isinstance(value, StructValue):
        return (type(value).__name__, {name: _describe(item) for name, item in value.items()})
    if isinstance(value, ListValue):
        return [_describe(item) for item in value]
    if isinstance(value, Page):
        return (type(value).__name__, value.pk, value.title, value.locale_id, value.url_path)
    if isinstance(value, Partner):
        logo = value.logo
        return ("Partner", value.pk, value.name, logo.pk if logo else None)
    if isinstance(value, CustomImage):
        return ("Image", value.pk, value.title)
    if isinstance(value, RichText):
        return ("RichText", value.source)
    return value


def _render(stream_value, page):
    request = RequestFactory().get(page.url or "/")
    template = Template("{% load wagtailcore_tags %}{% include_block body %}")
    return template.render(Context({"body": stream_value, "page": page, "request": request}))


def _both(make, locale, page):
    """(Wagtail's answer, ours) for the stream `make()` gives (a new one each time):
    its values and its HTML, in the language of `locale`."""
    language = locale.language_code
    with translation.override(language):
        wagtails = make()
        list(wagtails)  # Wagtail's lazy conversion, one kind of block at a time
        localize_stream(wagtails, locale.pk)
        ours = load_stream(make(), locale.pk)
        return (
            (_describe(wagtails), _render(wagtails, page)),
            (_describe(ours), _render(ours, page)),
        )


def _issue_body(issue):
    return lambda: NewsletterIssuePage.objects.get(pk=issue.pk).body


@pytest.fixture
def full_issues(db):
    """The demo's issue and an issue with every block, its partners with logos, in
    every language."""
    content = TenfoldContent()
    content.add_images(4)
    content.add_partners(4)
    full = add_full_issue()
    TenfoldContent().rewrite_body(full, 2)
    keys = [full.translation_key, NewsletterIssuePage.objects.get(slug="issue-1").translation_key]
    return NewsletterIssuePage.objects.filter(translation_key__in=keys).select_related("locale")


def test_issue_bodies_convert_as_wagtail_does(full_issues, django_assert_max_num_queries):
    assert len(full_issues) == 6
    for issue in full_issues:
        wagtails, ours = _both(_issue_body(issue), issue.locale, issue)
        assert ours == wagtails, issue.url_path
        assert "partner__logo" in ours[1] or issue.number == 1
        # Pages, partners and their versions, images: four queries at most.
        body = NewsletterIssuePage.objects.get(pk=issue.pk).body
        with django_assert_max_num_queries(4):
            load_stream(body, issue.locale_id)


AWKWARD = StreamBlock(
    [
        ("link", LinkBlock()),
        ("event", PageChooserBlock(page_type="events.EventPage", required=False)),
        ("spotlight", SpotlightBlock()),
        ("events", EventsAndCallsBlock()),
        ("partners", PartnerLogosBlock()),
        ("images", ListBlock(ImageChooserBlock(required=False))),
        ("nested", StreamBlock([("page", PageChooserBlock()), ("image", ImageChooserBlock())])),
    ]
)


def _block(kind, value):
    return {"type": kind, "value": value, "id": str(uuid.uuid4())}


def _item(value):
    return {"type": "item", "value": value, "id": str(uuid.uuid4())}


@pytest.fixture
def awkward_stream(locales):
    """Raw data of AWKWARD full of awkward cases, chosen in English."""
    en = locales["en"]
    event = EventPage.objects.filter(locale=en).order_by("pk").first()
    call = CallPage.objects.filter(locale=en).first()
    project = ProjectPage.objects.filter(locale=en).first()
    story = StoryPage.objects.filter(locale=en).first()
    french_story = story.get_translation(locales["fr"])
    # A page with no French version, and one whose French version is not live.
    lonely = StandardPage(title="Only in English", slug="only-in-english")
    StandardPage.objects.get(locale=en, slug="about").add_child(instance=lonely)
    Page.objects.filter(pk=project.get_translation(locales["fr"]).pk).update(live=False)
    # Partners: translated, untranslated, and one whose translation still shows English.
    partners = list(Partner.objects.filter(locale=en).order_by("pk")[:3])
    falling_back = partners[2]
    if falling_back.has_translation(locales["fr"]):
        Partner.objects.filter(pk=falling_back.get_translation(locales["fr"]).pk).update(
            has_untranslated_text=True
        )
    image = CustomImage.objects.order_by("pk").first()
    return [
        _block("link", {"page": event.pk, "external_url": "", "link_text": ""}),
        _block("link", {"page": 999_999, "external_url": "", "link_text": "Gone"}),
        _block("link", {"page": None, "external_url": "https://example.org/", "link_text": ""}),
        _block("link", {"page": lonely.pk, "external_url": "", "link_text": ""}),
        _block("link", {"page": str(story.pk), "external_url": "", "link_text": ""}),
        _block("event", event.pk),
        _block("event", call.pk),  # of another type than the chooser takes
        _block("event", None),
        _block(
            "spotlight",
            {
                "heading": "Both",
                "page": project.pk,
                "image": image.pk,
                "text": "<p>Text.</p>",
                "links": [_item({"page": event.pk, "external_url": "", "link_text": ""})],
            },
        ),  # no image_alt: its default
        _block(
            "spotlight",
            {"heading": "Gone", "page": french_story.pk, "image": 999_999, "text": "", "links": []},
        ),
        _block(
            "events",
            {
                "heading": "Events",
                # the old list format: values without ids
                "items": [{"page": event.pk, "text": "<p>A.</p>"}, {"page": call.pk, "text": ""}],
                "closing_text": "",
            },
        ),
        _block("partners", {"heading": "P", "partners": [_item(p.pk) for p in partners]}),
        _block("partners", {"heading": "Twice", "partners": [partners[0].pk, partners[0].pk]}),
        _block("images", [image.pk, None, 999_999]),
        _block(
            "nested",
            [
                _block("page", story.pk),
                _block("gone", 1),  # a type the stream no longer has
                _block("image", image.pk),
            ],
        ),
    ]


@pytest.mark.parametrize("code", ["en", "fr", "nl"])
def test_awkward_streams_convert_as_wagtail_does(awkward_stream, locales, code):
    page = NewsletterIssuePage.objects.get(slug="issue-1")
    wagtails, ours = _both(
        lambda: StreamValue(AWKWARD, awkward_stream, is_lazy=True), locales[code], page
    )
    assert ours == wagtails
    assert "Only in English" in ours[1] and "https://example.org/" in ours[1]


def test_a_stream_it_cannot_convert_is_left_to_wagtail(locales):
    """A block converting its values its own way (Wagtail's ImageBlock), or a stream
    already converted, is localized as before."""
    image = CustomImage.objects.first()
    block = StreamBlock([("image", ImageBlock()), ("page", PageChooserBlock())])
    event = EventPage.objects.filter(locale=locales["en"]).first()
    raw = [
        _block("image", {"image": image.pk, "decorative": False, "alt_text": "A"}),
        _block("page", event.pk),
    ]
    ours = load_stream(StreamValue(block, raw, is_lazy=True), locales["fr"].pk)
    assert ours[1].value.pk == event.get_translation(locales["fr"]).pk
    converted = StreamValue(block, [("page", event)])
    assert load_stream(converted, locales["fr"].pk)[0].value.locale_id == locales["fr"].pk
