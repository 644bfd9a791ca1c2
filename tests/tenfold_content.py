"""Ten times the demo's content, for tests/test_query_counts.py: images, partners with
logos, countries, projects, stories, events, calls and newsletter issues whose bodies
use every kind of block the issue offers, each choosing pages, images and partners.

Pages are added the quick way: straight into the tree, live, without revisions (what
a visitor sees of a page is its live row). French versions are real translations (own
title, same translation key), Dutch versions alternate between translations and
aliases of the English page, as wagtail-localize makes them. Translations keep the
English page's body as it is, with the English pages, images and partners it chose:
wagtail-localize copies them so, and the page shows their versions in its language.
Wagtail's reference index (what the admin's usage counts read, no public page) is not
updated, which saves a fifth of the time; the search index is.
"""

import datetime
import io
import itertools
import json
import uuid
from zoneinfo import ZoneInfo

from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.utils import timezone
from django.utils.text import slugify
from django_countries import countries as all_countries
from PIL import Image
from wagtail.models import Locale
from wagtail.signal_handlers import disable_reference_index_auto_update

from events.models import CallPage, EventIndexPage, EventPage
from home.models import (
    CountryIndexPage,
    CountryPage,
    CustomImage,
    FormPage,
    Partner,
    ProjectIndexPage,
    ProjectPage,
    StandardPage,
)
from newsletter.models import NewsletterIndexPage, NewsletterIssuePage
from stories.models import StoryIndexPage, StoryPage

LANGUAGES = ("en", "fr", "nl")
BRUSSELS = ZoneInfo("Europe/Brussels")

# The smallest body each kind of story accepts.
STORY_BODIES = {
    "interview": {
        "type": "question_answer",
        "value": {"question": "What changed?", "speaker": "A member", "answer": "<p>A lot.</p>"},
    },
    "video": {
        "type": "video",
        "value": {
            "url": "https://www.youtube.com/watch?v=DEMO0video0",
            "title": "A video",
            "poster": None,
            "duration": "",
            "transcript": "<p>What is said.</p>",
        },
    },
    "article": {"type": "paragraph", "value": "<p>Once upon a time.</p>"},
}


def demo_counts():
    """How many of each kind of content the site has (English pages, images)."""

    def english(model):
        return model.objects.filter(locale__language_code="en").count()

    return {
        "images": CustomImage.objects.count(),
        "countries": english(CountryPage),
        "projects": english(ProjectPage),
        "stories": english(StoryPage),
        "events": english(EventPage),
        "calls": english(CallPage),
        "issues": english(NewsletterIssuePage),
    }


def small_png(number):
    """A small image of its own colour (renditions of it are quick to make)."""
    buffer = io.BytesIO()
    colour = (number * 37 % 256, number * 91 % 256, number * 53 % 256)
    Image.new("RGB", (320, 180), colour).save(buffer, format="PNG")
    return buffer.getvalue()


def item(value):
    """A ListBlock item as stored."""
    return {"type": "item", "value": value, "id": str(uuid.uuid4())}


def link(page=None, url=""):
    return {"page": page.pk if page else None, "external_url": url, "link_text": ""}


def issue_body(copies, *, spotlit, pages, events, images, partners):
    """Raw StreamField data of an issue: `copies` times every kind of block an issue
    offers, each copy choosing the next pages, images and partners of the cycles."""
    blocks = []
    for number in range(copies):
        spotlit_page = next(spotlit)
        blocks += [
            ("heading", {"text": f"Section {number}"}),
            ("paragraph", "<p>News from the diaspora, with <b>bold</b> words.</p>"),
            ("image", {"image": next(images).pk, "alt_text": "", "caption": f"Image {number}"}),
            ("quote", {"quote": "We did it together.", "attribution": "A member"}),
            (
                "call_to_action",
                {
                    "heading": "Take part",
                    "text": "<p>Read more about it.</p>",
                    "link": link(next(pages)),
                    "button_label": "Read more",
                },
            ),
            ("notice", {"heading": "Note", "text": "<p>Places are limited.</p>"}),
            (
                "external_initiative",
                {
                    "heading": "Elsewhere",
                    "text": "<p>An initiative run elsewhere.</p>",
                    "link": link(url=f"https://example.org/initiative/{number}"),
                },
            ),
            (
                "partner_logos",
                {
                    "heading": "With the support of",
                    "partners": [item(next(partners).pk) for _ in range(3)],
                },
            ),
            ("contact", {"heading": "For more information", "text": ""}),
            ("subscribe", {"heading": "Receive the next issue", "text": "<p>Subscribe.</p>"}),
            (
                "events_and_calls",
                {
                    "heading": "Events and calls",
                    "items": [
                        item({"page": next(events).pk, "text": "<p>Come along.</p>"})
                        for _ in range(3)
                    ],
                    "closing_text": "<p>Send us your events.</p>",
                },
            ),
            (
                "spotlight",
                {
                    "heading": f"Spotlight {number}: {spotlit_page.title}",
                    "page": spotlit_page.pk,
                    "image": next(images).pk,
                    "image_alt": "",
                    "text": "<p>What happened there.</p>",
                    "links": [item(link(next(pages))), item(link(url="https://example.org/"))],
                },
            ),
        ]
    return json.dumps(
        [{"type": kind, "value": value, "id": str(uuid.uuid4())} for kind, value in blocks]
    )


class TenfoldContent:
    """Adds content to the demo site; see the module's docstring."""

    def __init__(self):
        self.locales = {locale.language_code: locale for locale in Locale.objects.all()}
        self.now = timezone.now()
        self.rwanda = CountryPage.objects.get(locale=self.locales["en"], country="RW")
        self.created = 0
        self.refresh_cycles()

    def refresh_cycles(self):
        """What new content points at: every image, country and project there is,
        the newest first."""

        def english(model):
            return itertools.cycle(model.objects.filter(locale=self.locales["en"]).order_by("-pk"))

        self.images = itertools.cycle(CustomImage.objects.order_by("-pk"))
        self.countries = english(CountryPage)
        self.projects = english(ProjectPage)
        self.partners = itertools.cycle(
            Partner.objects.filter(locale=self.locales["en"]).order_by("-pk")
        )

    def index(self, model, code):
        return model.objects.get(locale=self.locales[code])

    def publish(self, index_model, model, position, *, relations=None, **fields):
        """One page in each language under the index of type `index_model`; returns
        the English one."""
        english = None
        for code in LANGUAGES:
            page = model(
                **fields,
                slug=slugify(fields["title"]),
                locale=self.locales[code],
                live=True,
                has_unpublished_changes=False,
                first_published_at=self.now,
                last_published_at=self.now,
            )
            if english is not None:
                page.translation_key = english.translation_key
                if code == "nl" and position % 2:
                    page.alias_of = english
                else:
                    page.title = f"{fields['title']} ({code})"
            for name, objects in (relations or {}).items():
                setattr(page, name, objects)
            self.index(index_model, code).add_child(instance=page)
            english = english or page
            self.created += 1
        return english

    # --- What pages choose -------------------------------------------------------

    def add_images(self, count):
        for number in range(count):
            image = CustomImage(
                title=f"Picture {number}",
                description=f"A plain colour, number {number}",
                credit="Test",
            )
            image.file = ImageFile(ContentFile(small_png(number)), name=f"picture-{number}.png")
            image._set_image_file_metadata()
            image.save()
        self.refresh_cycles()

    def add_partners(self, count):
        """Partners with logos, in English and French (Dutch shows the English)."""
        for number in range(count):
            english = Partner.objects.create(
                locale=self.locales["en"],
                name=f"Partner {number}",
                description="Partner in development",
                logo=next(self.images),
                website=f"https://example.org/partner/{number}",
            )
            Partner.objects.create(
                locale=self.locales["fr"],
                translation_key=english.translation_key,
                name=f"Partenaire {number}",
                logo=english.logo,
                website=english.website,
            )
        self.refresh_cycles()

    # --- Pages -------------------------------------------------------------------

    def add_countries(self, count):
        taken = set(CountryPage.objects.values_list("country", flat=True))
        codes = [code for code, _name in all_countries if code not in taken][:count]
        assert len(codes) == count, "not enough countries left"
        for number, code in enumerate(codes):
            self.publish(
                CountryIndexPage,
                CountryPage,
                number,
                title=dict(all_countries)[code],
                country=code,
                introduction=f"<p>The diaspora of country {number} in Belgium.</p>",
                listing_image=next(self.images),
                body="[]",
            )
        self.refresh_cycles()

    def add_projects(self, count):
        for number in range(count):
            self.publish(
                ProjectIndexPage,
                ProjectPage,
                number,
                title=f"Project {number} in Rwanda",
                introduction=f"What project {number} does with the diaspora.",
                start_date=self.now.date() - datetime.timedelta(days=40 * number),
                listing_image=next(self.images),
                relations={
                    "countries": [self.rwanda, next(self.countries)],
                    "funders": [next(self.partners)],
                    "partners": [next(self.partners), next(self.partners)],
                },
            )
        self.refresh_cycles()

    def add_stories(self, count):
        kinds = itertools.cycle(["interview", "video", "article"])
        for number in range(count):
            country = self.rwanda if number % 3 == 0 else next(self.countries)
            kind = next(kinds)
            self.publish(
                StoryIndexPage,
                StoryPage,
                number,
                title=f"Story {number} from {country.title}",
                kind=kind,
                date=self.now.date() - datetime.timedelta(days=number),
                introduction=f"What story {number} tells about Rwanda and beyond.",
                listing_image=next(self.images),
                country=country,
                project=next(self.projects),
                body=json.dumps([STORY_BODIES[kind]]),
            )

    def add_events(self, count):
        for number in range(count):
            day = timezone.localdate(self.now, BRUSSELS) + datetime.timedelta(
                days=(number - count // 3) * 9
            )
            start = datetime.datetime.combine(day, datetime.time(18), tzinfo=BRUSSELS)
            to_be_announced = number % 10 == 7
            self.publish(
                EventIndexPage,
                EventPage,
                number,
                title=f"Event {number} about Rwanda",
                introduction=f"What event {number} is about.",
                start=None if to_be_announced else start,
                end=None if to_be_announced else start + datetime.timedelta(hours=2),
                all_day=number % 4 == 1,
                date_to_be_announced=to_be_announced,
                city="Brussels",
                listing_image=next(self.images),
                project=next(self.projects),
                relations={"countries": [self.rwanda, next(self.countries)]},
            )

    def add_calls(self, count):
        for number in range(count):
            deadline = self.now + datetime.timedelta(days=(number - count // 3) * 11)
            self.publish(
                EventIndexPage,
                CallPage,
                number,
                title=f"Call {number} for Rwanda",
                introduction=f"What call {number} asks for.",
                deadline=None if number % 5 == 4 else deadline,
                listing_image=next(self.images),
                project=next(self.projects),
                relations={"countries": [self.rwanda, next(self.countries)]},
            )

    # --- Newsletter issues ---------------------------------------------------------

    def chosen(self):
        """Cycles of what issue bodies choose, English and newest first: the pages a
        spotlight is about, pages linked to, events and calls, images, partners."""

        def mixed(*models):
            """Pages of `models` in turns."""
            lists = [
                model.objects.filter(locale=self.locales["en"]).order_by("-pk")[:30]
                for model in models
            ]
            return itertools.cycle(
                [page for pages in itertools.zip_longest(*lists) for page in pages if page]
            )

        return {
            "spotlit": mixed(ProjectPage, StoryPage, EventPage),
            "pages": mixed(StandardPage, FormPage, CountryPage, NewsletterIndexPage, CallPage),
            "events": mixed(EventPage, CallPage),
            "images": self.images,
            "partners": self.partners,
        }

    def add_issues(self, count, *, first_number):
        chosen = self.chosen()
        for number in range(count):
            self.publish(
                NewsletterIndexPage,
                NewsletterIssuePage,
                number,
                title=f"Diaspora Newsletter, issue {first_number + number}",
                number=first_number + number,
                issue_date=self.now.date() - datetime.timedelta(days=30 * (number + 1)),
                introduction="<p>News from Rwanda and the other countries.</p>",
                listing_image=next(self.images),
                body=issue_body(1 + number % 3, **chosen),
            )

    def rewrite_body(self, english_issue, copies):
        """Give an issue (in every language) a body `copies` times every block."""
        body = issue_body(copies, **self.chosen())
        pages = NewsletterIssuePage.objects.filter(translation_key=english_issue.translation_key)
        assert pages.update(body=body) == len(LANGUAGES)


def add_full_issue():
    """An issue with every kind of block once, in every language (the demo's has no
    heading, paragraph, image, quote, notice or subscription block)."""
    content = TenfoldContent()
    chosen = content.chosen()
    with disable_reference_index_auto_update():
        return content.publish(
            NewsletterIndexPage,
            NewsletterIssuePage,
            0,
            title="Diaspora Newsletter, every block",
            number=99,
            issue_date=content.now.date(),
            introduction="<p>Every kind of block, once.</p>",
            listing_image=next(content.images),
            body=issue_body(1, **chosen),
        )


def add_tenfold_content(full_issue):
    """Nine times more of every kind of content, so that the site holds about ten
    times the demo's; and `full_issue`'s body ten times longer. Returns the counts
    before and how many pages were added."""
    before = demo_counts()
    content = TenfoldContent()
    with disable_reference_index_auto_update():
        content.add_images(9 * before["images"])
        content.add_partners(2 * before["projects"])
        content.add_countries(9 * before["countries"])
        content.add_projects(9 * before["projects"])
        content.add_stories(9 * before["stories"])
        content.add_events(9 * before["events"])
        content.add_calls(9 * before["calls"])
        content.add_issues(9 * before["issues"], first_number=100)
        content.rewrite_body(full_issue, 10)
    return before, content.created
