"""Each page type's template shows every field it has.

The demo content leaves some fields empty (the seed gives no value for them), so
each test first fills the remaining fields of a demo page with recognisable values,
publishes it as an editor would, and reads the page as a visitor sees it.
"""

import datetime
from zoneinfo import ZoneInfo

import pytest
from bs4 import BeautifulSoup
from django.core.cache import cache
from wagtail.images import get_image_model

from demo.builder import DemoBuilder
from events.models import CallPage, EventIndexPage, EventPage
from home.models import (
    CountryIndexPage,
    CountryPage,
    FormPage,
    HomePage,
    Partner,
    ProjectIndexPage,
    ProjectPage,
    StandardPage,
)
from newsletter.models import NewsletterIndexPage, NewsletterIssuePage
from stories.models import Person, StoryIndexPage, StoryPage
from tests.helpers import soup, text_of

BRUSSELS = ZoneInfo("Europe/Brussels")
pytestmark = pytest.mark.django_db


def english(model, **lookup):
    return model.objects.get(locale__language_code="en", **lookup)


def publish(page, **fields):
    for name, value in fields.items():
        setattr(page, name, value)
    page.save_revision().publish()
    return page


def stream(owner, blocks):
    return DemoBuilder().stream(owner, blocks)


def test_home_page(client):
    home = english(HomePage)
    text = text_of(client.get("/en/"))
    assert "Enabling, engaging and empowering diaspora communities" in text  # hero_heading
    assert "IOM Belgium and Luxembourg builds bridges" in text  # hero_text
    assert "Take the two-minute survey" in text  # body: call to action
    # One section per index page, with its latest items.
    for heading, item in [
        ("Countries", "Democratic Republic of Congo"),
        ("Projects", "Women Diaspora 4Dev Academy"),
        ("Success stories", "A mission to Niger and a job fair in Tahoua"),
        ("Events and calls", "Info session for the Rwandan diaspora in Brussels"),
        ("Newsletter", "Diaspora Newsletter, issue 1"),
    ]:
        assert heading in text and item in text
    page = soup(client.get("/en/"))
    assert page.html["lang"] == "en"
    assert len(page.select("h1")) == 1
    assert page.select_one("a.skip-link")["href"] == "#main"
    assert home.title == "Diaspora Engagement"


def test_standard_page(client):
    about = english(StandardPage, slug="about")
    text = text_of(client.get(about.url))
    assert "About" in text
    assert "IOM Belgium and Luxembourg and its work with diaspora communities." in text
    assert "fully supports the global 3E strategic approach" in text


@pytest.fixture
def fresh_rate_limit():
    """Form posts are rate-limited in the cache, shared by every test of the run."""
    cache.clear()
    yield
    cache.clear()


def post_form(client, page, data):
    """Post a form page's form as a browser does: to its form view, from this site."""
    return client.post(
        page.form_action_url, {"consent": "on", **data}, HTTP_ORIGIN="http://testserver"
    )


@pytest.mark.usefixtures("fresh_rate_limit")
def test_form_page_and_its_thank_you_page(client):
    survey = english(FormPage, slug="survey")
    text = text_of(client.get(survey.url))
    assert "Two-minute survey" in text
    assert "How could we best serve the interests of the diaspora community?" in text
    assert "Which country of origin are you connected to?" in text
    assert "What would you like to hear about?" in text
    response = post_form(client, survey, {"country": "Rwanda", "advice": "More events in Liège."})
    assert "Thank you! Your answers help us serve the diaspora community better." in text_of(
        response
    )
    submission = survey.get_submission_class().objects.get(page=survey)
    assert submission.form_data["advice"] == "More events in Liège."


@pytest.mark.usefixtures("fresh_rate_limit")
def test_form_page_shows_errors_next_to_the_fields(client):
    survey = english(FormPage, slug="survey")
    response = post_form(client, survey, {"advice": ""})
    assert response.status_code == 400
    page = BeautifulSoup(response.content, "html.parser")
    advice = page.select_one("#id_advice")
    assert advice["aria-invalid"] == "true"
    described = advice["aria-describedby"].split()
    assert any(
        "This field is required." in page.select_one(f"#{ref}").get_text() for ref in described
    )
    assert not survey.get_submission_class().objects.filter(page=survey).exists()


def test_country_index_page(client):
    index = english(CountryIndexPage)
    text = text_of(client.get(index.url))
    assert "These are the countries of origin our diaspora work focuses on." in text
    for name in ["Morocco", "Palestinian Territory", "Democratic Republic of Congo", "Mauritania"]:
        assert name in text


def test_country_page(client):
    rwanda = english(CountryPage, country="RW")
    publish(rwanda, body=stream("test/rwanda", [("paragraph", "<p>Rwanda body text.</p>")]))
    text = text_of(client.get(rwanda.url))
    assert "Rwanda" in text and "RW" in text  # country name and ISO code
    assert "Like many countries in Africa" in text  # introduction
    assert "Rwanda body text." in text  # body
    assert "Diaspora in Belgium and Germany to support health and education sectors" in text
    assert "Info session for the Rwandan diaspora in Brussels" in text  # events
    assert "Invest in one of the pilot projects in Rwanda" in text  # calls


def test_country_names_follow_the_newsletter(client):
    """django-countries' names are overridden where the seed words them otherwise."""
    text = text_of(client.get(english(CountryPage, country="PS").url))
    assert "Palestinian Territory" in text
    assert english(CountryPage, country="CD").country.name == "Democratic Republic of Congo"


def test_project_index_page(client):
    text = text_of(client.get(english(ProjectIndexPage).url))
    assert "The focus of these projects is on the mobilization of skills" in text
    for title in [
        "Women Diaspora 4Dev Academy",
        "IOM Belgium and Niger",
        "Support to Circular and Temporary Migration of the Mauritanian Diaspora",
    ]:
        assert title in text


def test_each_card_says_what_its_page_type_puts_above_the_summary(client):
    """Cards carry their type's line: a project's dates, a story's kind and date, an
    event's date, an issue's number and date."""
    project = english(ProjectPage, slug="rwanda-health-and-education")
    publish(project, start_date=datetime.date(2019, 3, 1), end_date=datetime.date(2021, 2, 28))
    lines = {
        card.select_one(".card__title").get_text(strip=True): card.select_one(".card__meta")
        for url in (
            english(ProjectIndexPage).url,
            english(HomePage).url,
            english(NewsletterIndexPage).url,  # the home page leads with the issue, no card
        )
        for card in soup(client.get(url)).select(".card")
    }
    project_line = lines[project.title]
    assert [t["datetime"] for t in project_line.select("time")] == ["2019-03-01", "2021-02-28"]
    story = english(StoryPage, slug="women-diaspora-4dev-academy-interviews")
    assert lines[story.title].get_text(" ", strip=True).startswith("Interview ·")
    issue = english(NewsletterIssuePage)
    assert "Issue 1 ·" in lines[issue.title].get_text(" ", strip=True)
    event_lines = [
        line.get_text(" ", strip=True)
        for title, line in lines.items()
        if title in set(EventPage.objects.values_list("title", flat=True))
    ]
    assert event_lines and all(event_lines)


def test_project_page(client):
    project = english(ProjectPage, slug="rwanda-health-and-education")
    publish(
        project,
        start_date=datetime.date(2019, 3, 1),
        end_date=datetime.date(2021, 2, 28),
        website="https://example.org/rwanda-project",
    )
    text = text_of(client.get(project.url))
    assert "Linking Rwandan diaspora members in Belgium and Germany" in text  # introduction
    assert "1 March 2019" in text and "28 February 2021" in text  # dates
    assert "30" in text and "skilled diaspora members relocated temporarily" in text  # figures
    assert "10" in text and "innovative pilot projects" in text
    assert "Belgian Development Cooperation" in text  # funders
    assert "Belgium, partner in development" in text
    assert "IOM Rwanda" in text and "IOM Germany" in text  # partners
    assert "The ultimate aim is to create ten innovative pilot projects" in text  # body
    assert "Info session for the Rwandan diaspora in Brussels" in text  # events
    assert "Invest in one of the pilot projects in Rwanda" in text  # calls
    links = {a["href"] for a in soup(client.get(project.url)).select("main a")}
    assert "https://example.org/rwanda-project" in links
    assert "/en/countries/rwanda/" in links


def test_story_index_page_filters_by_kind(client):
    index = english(StoryIndexPage)
    text = text_of(client.get(index.url))
    assert "Interviews, videos and articles about diaspora members" in text
    assert "A mission to Niger and a job fair in Tahoua" in text
    videos = text_of(client.get(index.url + "?kind=video"))
    assert "Women Diaspora 4Dev Academy's success stories" in videos
    assert "A mission to Niger" not in videos
    # An unknown kind shows everything rather than an error.
    assert "A mission to Niger" in text_of(client.get(index.url + "?kind=<script>"))


def test_interview_story_page(client):
    story = english(StoryPage, slug="women-diaspora-4dev-academy-interviews")
    person = story.person
    person.organisation = "Association of Women for Development (test)"
    person.photo = get_image_model().objects.first()
    person.save()
    publish(story, country=english(CountryPage, country="SN"))
    response = client.get(story.url)
    text = text_of(response)
    assert "Interview" in text  # kind
    assert "1 November 2019" in text  # date
    assert "took part in a tailored capacity-building program" in text  # introduction
    assert "Senegal" in text  # country
    assert "Women Diaspora 4Dev Academy" in text  # project
    assert "Demo: a participant of the academy" in text  # person
    assert "Member of an African diaspora women's association in Belgium" in text
    assert "Association of Women for Development (test)" in text
    assert "What has your association been doing since the academy?" in text  # question
    assert "the participant's own answer goes here" in text  # answer
    # The person's photo sits beside their name: decorative, with an empty alt text.
    images = soup(response).select("main img")
    assert [(img["class"], img["alt"]) for img in images] == [(["person__photo"], "")]


def test_video_story_page(client):
    story = english(StoryPage, slug="women-diaspora-4dev-academy-video")
    body = story.body.raw_data
    body[0]["value"]["duration"] = "3:25"
    publish(story, body=body)
    response = client.get(story.url)
    text = text_of(response)
    assert "Video" in text
    assert "Women Diaspora 4Dev Academy: success stories (demo link)" in text  # title
    assert "3:25" in text  # duration
    assert "the transcript of the video goes here" in text  # transcript
    page = soup(response)
    assert page.select_one('main a[href="https://www.youtube.com/watch?v=DEMO0video0"]')
    poster = page.select_one("main img")
    assert poster["alt"] == "Illustration: a large play button"
    assert not poster.has_attr("lang")
    # Nothing is loaded from the video host while the page renders (the player's
    # address waits in a data attribute for the click: tests/stories/test_video_facade.py).
    assert not page.select("iframe")
    assert not page.select('[src*="youtube"], [srcset*="youtube"], link[href*="youtube"]')


def test_event_index_page(client):
    index = english(EventIndexPage)
    text = text_of(client.get(index.url))
    assert "Diaspora events and calls for cooperation" in text
    upcoming, _, past = text.partition("Past events")
    assert "Info session for the Rwandan diaspora in Brussels" in upcoming  # date TBA: upcoming
    assert "Congress on Sustainable Entrepreneurship in Africa" in past
    assert "Rencontre des Nigériens d'Europe" in past
    assert "Invest in one of the pilot projects in Rwanda" in text  # calls


def test_event_page_with_every_field(client):
    event = english(EventPage, slug="rwanda-diaspora-info-session")
    publish(
        event,
        date_to_be_announced=False,
        start=datetime.datetime(2027, 3, 10, 14, 0, tzinfo=BRUSSELS),
        end=datetime.datetime(2027, 3, 10, 17, 30, tzinfo=BRUSSELS),
        venue_name="Test venue hall",
        venue_address="Rue de la Loi 1",
        online_url="https://example.org/join",
        registration_closes=datetime.datetime(2027, 3, 8, 12, 0, tzinfo=BRUSSELS),
        body=stream("test/event", [("paragraph", "<p>Programme of the afternoon.</p>")]),
    )
    text = text_of(client.get(event.url))
    assert "Interested Rwandan diaspora members are encouraged to register" in text
    assert "10 March 2027, 14:00" in text and "17:30" in text and "Brussels time" in text
    assert "Test venue hall" in text and "Rue de la Loi 1" in text and "Brussels" in text
    assert "https://example.org/join" in text
    assert "IOM Belgium and Luxembourg" in text  # organisers
    assert "Rwanda" in text  # countries
    assert "Diaspora in Belgium and Germany to support health and education" in text  # project
    assert "On this site" in text and "50 places" in text  # registration mode, capacity
    assert "you can join the waiting list" in text
    assert "8 March 2027, 12:00" in text  # registration closes
    assert "first come" not in text
    assert "register your interest" in text  # registration note
    assert "Programme of the afternoon." in text


def test_event_page_with_date_to_be_announced_and_external_registration(client):
    event = english(EventPage, slug="rwanda-diaspora-info-session")
    text = text_of(client.get(event.url))
    assert "Date to be announced" in text
    congress = english(EventPage, slug="congress-sustainable-entrepreneurship-in-africa")
    publish(congress, registration_mode="external", registration_url="https://example.org/reg")
    response = client.get(congress.url)
    assert "29 November 2019" in text_of(response)
    assert "Brussels time" not in text_of(response)  # a date without a time
    assert "There is a discount for diaspora members, but first come, first served!" in text_of(
        response
    )
    assert soup(response).select_one('main a[href="https://example.org/reg"]')


def test_call_page(client):
    call = english(CallPage, slug="invest-in-a-rwanda-pilot-project")
    publish(
        call,
        deadline=datetime.datetime(2027, 6, 30, 23, 59, tzinfo=BRUSSELS),
        body=stream("test/call", [("paragraph", "<p>Pilot projects in detail.</p>")]),
    )
    response = client.get(call.url)
    text = text_of(response)
    assert "Interested in investing in one of the ten innovative pilot projects" in text
    assert "30 June 2027, 23:59" in text  # deadline
    assert "Open" in text
    assert "Anyone interested in investing in one of the pilot projects." in text  # eligibility
    assert "Contact IOM Belgium." in text  # how to apply
    assert soup(response).select_one('main a[href="mailto:avandevelde@iom.int"]')
    assert "IOM Belgium and Luxembourg" in text and "Rwanda" in text
    assert "Diaspora in Belgium and Germany to support health and education" in text
    assert "Pilot projects in detail." in text


def test_a_call_after_its_deadline_says_it_is_closed(client):
    call = english(CallPage, slug="invest-in-a-rwanda-pilot-project")
    publish(call, deadline=datetime.datetime(2019, 12, 31, 12, 0, tzinfo=BRUSSELS))
    text = text_of(client.get(call.url))
    assert "Closed" in text
    assert "31 December 2019, 12:00" in text


def test_newsletter_index_page(client):
    text = text_of(client.get(english(NewsletterIndexPage).url))
    assert "set up a dialogue with you and create a platform for debate" in text
    assert "Diaspora Newsletter, issue 1" in text
    assert "1 November 2019" in text


def test_newsletter_issue_page_shows_every_section_of_the_seed(client):
    issue = english(NewsletterIssuePage, number=1)
    text = text_of(client.get(issue.url))
    assert "Issue 1" in text and "1 November 2019" in text
    sections = [
        "At the International Organization for Migration (IOM), we aim to contribute",  # intro
        "*These include Morocco, Senegal, Mali",
        "You have received this newsletter because you have been in contact with IOM",
        "Subscribe",
        "We need your advice!",
        "Fill in the two-minute survey",
        "Diaspora events & calls",
        "On 29 November, Ondernemers voor Ondernemers organizes a congress",
        "Artevelde University would like to talk to you",
        "On 14 December, IOM, Fedasil and CAW Antwerpen invite migrants",
        "Feel free to send it to IOM Belgium",
        "Global diaspora initiative",
        "Visit the iDIASPORA platform",
        "Women Diaspora 4Dev Academy",
        "Read the interviews",
        "Watch the video",
        "IOM Belgium and Niger",
        "Job Fair in Tahoua",
        "IOM projects mentioned in this newsletter were realized thanks to the support of:",
        "Belgian Development Cooperation",
        "Diaspora in Belgium and Germany to support health and education sectors in Rwanda",
        "Register for the info session",
        "Invest in a pilot project",
        "Diaspora Engagement to support the public sector in Mauritania",
        "37 diaspora experts coming from Belgium, Germany and France",
        "For more information",
        "40, Rue Montoyer",
        "+32 2 287 74 35",
        "avandevelde@iom.int",
    ]
    missing = [section for section in sections if section not in text]
    assert missing == []


def test_partner_and_person_snippets_show_their_text(client):
    """Snippets hold the text the pages show (no fixed strings in templates)."""
    partner = Partner.objects.get(
        name="Belgian Development Cooperation", locale__language_code="en"
    )
    partner.description = "Partner in development (edited)"
    partner.save()
    person = Person.objects.get(locale__language_code="en")
    person.role = "Edited role"
    person.save()
    assert "Partner in development (edited)" in text_of(
        client.get(english(ProjectPage, slug="women-diaspora-4dev-academy").url)
    )
    assert "Edited role" in text_of(
        client.get(english(StoryPage, slug="women-diaspora-4dev-academy-interviews").url)
    )


def test_menu_and_footer_come_from_their_snippets(client):
    page = soup(client.get("/en/"))
    menu = [a.get_text(strip=True) for a in page.select("header nav a")]
    for label in [
        "Countries",
        "Projects",
        "Success stories",
        "Events and calls",
        "Newsletter",
        "About",
    ]:
        assert label in menu
    footer = " ".join(page.select_one("footer").get_text(" ").split())
    assert "IOM Belgium and Luxembourg" in footer
    assert "Privacy" in footer and "+32 2 287 74 35" in footer
