"""The admin refuses bad input with a clear error on the field, and stores nothing."""

import pytest
from django.urls import reverse
from wagtail.images import get_image_model

from events.models import EventIndexPage, EventPage
from home.models import CountryIndexPage, CountryPage, ProjectIndexPage
from newsletter.models import NewsletterIndexPage, NewsletterIssuePage
from tests.admin_forms import field_errors, page_form, rich_text, streamfield
from tests.translating import translate


def add_url(model, parent):
    return reverse(
        "wagtailadmin_pages:add", args=(model._meta.app_label, model._meta.model_name, parent.pk)
    )


@pytest.fixture
def country_index(db):
    return CountryIndexPage.objects.get(locale__language_code="en")


def country_form(code, title="Ghana"):
    return page_form(
        {
            "title": title,
            "slug": title.lower(),
            "country": code,
            "introduction": rich_text(""),
            "body": streamfield([]),
        }
    )


@pytest.mark.django_db
def test_a_valid_country_is_created(editor_client, country_index):
    response = editor_client.post(add_url(CountryPage, country_index), country_form("GH"))
    assert response.status_code == 302
    ghana = CountryPage.objects.get(slug="ghana", locale__language_code="en")
    assert ghana.country.name == "Ghana"
    # wagtail-localize's hook makes it reachable in French and Dutch at once, as aliases.
    assert sorted(p.locale.language_code for p in ghana.get_translations()) == ["fr", "nl"]


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["XX", "ZZZ", "ghana", "<b>"])
def test_an_invalid_iso_code_is_refused(editor_client, country_index, code):
    response = editor_client.post(add_url(CountryPage, country_index), country_form(code))
    assert response.status_code == 200
    assert any("is not one of the available choices" in e for e in field_errors(response))
    assert not CountryPage.objects.filter(slug="ghana").exists()


@pytest.mark.django_db
def test_a_second_page_for_the_same_country_in_one_language_is_refused(
    editor_client, country_index
):
    response = editor_client.post(
        add_url(CountryPage, country_index), country_form("RW", title="Rwanda again")
    )
    assert response.status_code == 200
    assert "There is already a page for Rwanda in this language: “Rwanda”." in field_errors(
        response
    )
    assert not CountryPage.objects.filter(slug="rwanda again").exists()


def event_form(start, end):
    return page_form(
        {
            "title": "Diaspora breakfast",
            "slug": "diaspora-breakfast",
            "introduction": "A breakfast.",
            "start": start,
            "end": end,
            "registration_mode": "none",
            "registration_note": rich_text(""),
            "body": streamfield([]),
            "waitlist": "on",
        }
    )


@pytest.mark.django_db
def test_an_event_ending_before_it_starts_is_refused(editor_client):
    parent = EventIndexPage.objects.get(locale__language_code="en")
    response = editor_client.post(
        add_url(EventPage, parent), event_form("2027-03-10 14:00", "2027-03-10 12:00")
    )
    assert response.status_code == 200
    assert "The event cannot end before it starts." in field_errors(response)
    assert not EventPage.objects.filter(slug="diaspora-breakfast").exists()


@pytest.mark.django_db
def test_an_event_without_a_date_must_say_it_is_to_be_announced(editor_client):
    parent = EventIndexPage.objects.get(locale__language_code="en")
    response = editor_client.post(add_url(EventPage, parent), event_form("", ""))
    assert "Enter when the event starts, or tick 'date to be announced'." in field_errors(response)


@pytest.mark.django_db
def test_a_valid_event_is_stored_in_brussels_time(editor_client):
    parent = EventIndexPage.objects.get(locale__language_code="en")
    response = editor_client.post(
        add_url(EventPage, parent), event_form("2027-03-10 10:00", "2027-03-10 12:00")
    )
    assert response.status_code == 302
    event = EventPage.objects.get(slug="diaspora-breakfast", locale__language_code="en")
    assert event.start.isoformat() == "2027-03-10T09:00:00+00:00"  # 10:00 in Brussels (CET)


def issue_form(number, slug="issue-2"):
    return page_form(
        {
            "title": f"Issue {number}",
            "slug": slug,
            "number": str(number),
            "issue_date": "2026-12-01",
            "introduction": rich_text(""),
            "body": streamfield([("paragraph", rich_text("<p>News.</p>"))]),
        }
    )


@pytest.mark.django_db
def test_a_duplicate_issue_number_in_one_language_is_refused(editor_client):
    parent = NewsletterIndexPage.objects.get(locale__language_code="en")
    response = editor_client.post(add_url(NewsletterIssuePage, parent), issue_form(1))
    assert response.status_code == 200
    assert (
        "Issue 1 already exists in this language: “Diaspora Newsletter, issue 1”."
        in field_errors(response)
    )
    assert NewsletterIssuePage.objects.filter(locale__language_code="en").count() == 1


@pytest.mark.django_db
def test_translating_issue_1_is_not_a_duplicate(locales):
    """wagtail-localize copies the number into each translation: issue 1 in French and
    Dutch sits next to issue 1 in English."""
    issue = NewsletterIssuePage.objects.get(locale=locales["en"], number=1)
    for code in ("fr", "nl"):
        translated = translate(issue, locales[code])
        assert translated.number == 1
        assert translated.alias_of_id is None  # a real translation, no longer an alias
    assert NewsletterIssuePage.objects.filter(number=1).count() == 3


@pytest.mark.django_db
def test_a_new_issue_number_is_accepted(editor_client):
    parent = NewsletterIndexPage.objects.get(locale__language_code="en")
    response = editor_client.post(add_url(NewsletterIssuePage, parent), issue_form(2))
    assert response.status_code == 302
    assert NewsletterIssuePage.objects.get(slug="issue-2", locale__language_code="en").live


@pytest.mark.django_db
def test_a_project_ending_before_it_starts_is_refused(editor_client):
    from home.models import ProjectPage

    parent = ProjectIndexPage.objects.get(locale__language_code="en")
    response = editor_client.post(
        add_url(ProjectPage, parent),
        page_form(
            {
                "title": "New project",
                "slug": "new-project",
                "introduction": "What it does.",
                "start_date": "2027-05-01",
                "end_date": "2027-01-01",
                "key_figures": streamfield([]),
                "body": streamfield([]),
            }
        ),
    )
    assert "The project cannot end before it starts." in field_errors(response)


@pytest.mark.django_db
def test_an_image_needs_alt_text(editor_client):
    """Alt text is a required field of every image."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from demo.images import illustration_png

    Image = get_image_model()
    before = Image.objects.count()
    png = illustration_png("globe", 0)
    upload = SimpleUploadedFile("poster.png", png, content_type="image/png")
    response = editor_client.post(
        reverse("wagtailimages:add"),
        {
            "title": "A poster",
            "file": upload,
            "description": "",
            "collection": "1",
        },
    )
    assert response.status_code == 200
    assert "This field is required." in field_errors(response)
    assert Image.objects.count() == before


@pytest.mark.django_db
def test_a_second_menu_in_one_language_is_refused(editor_client):
    from home.models import MainMenu

    before = MainMenu.objects.count()
    response = editor_client.post(
        reverse("wagtailsnippets_home_mainmenu:add"),
        {
            "items-count": "0",
            "locale": "1",
        },
    )
    assert response.status_code == 200
    assert "There is already one in this language: edit it instead of adding another." in (
        response.content.decode()
    )
    assert MainMenu.objects.count() == before
