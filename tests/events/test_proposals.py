"""'Send us your event': an organiser's proposal becomes a draft event awaiting
moderation, never a published page; bad input and bots store nothing."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from wagtail.models import Revision, WorkflowState

from events.models import EventPage, EventProposal
from home.models import CountryPage
from tests.helpers import demo_url, soup, text_of

SAME_ORIGIN = {"HTTP_ORIGIN": "http://testserver"}


def url(name="propose", language="fr"):
    with translation.override(language):
        return reverse(f"events:{name}")


def in_french(message):
    """What a visitor on the French site reads for `message` (the catalogue's French)."""
    with translation.override("fr"):
        return gettext(message)


def local(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def proposal(**overrides):
    start = timezone.now() + timedelta(days=30)
    rwanda = CountryPage.objects.get(slug="rwanda", locale__language_code="en")
    data = {
        "title": "Forum de la diaspora rwandaise",
        "start": local(start),
        "end": local(start + timedelta(hours=3)),
        "venue_name": "Maison des associations",
        "venue_address": "Rue de la Loi 1",
        "city": "Bruxelles",
        "online_url": "",
        "description": "Une après-midi d’échanges sur l’investissement au Rwanda.",
        "countries": [str(rwanda.pk)],
        "name": "Aline Uwase",
        "email": "aline@example.org",
        "organisation": "Association des Rwandais de Belgique",
        "consent": "on",
        "website": "",
    }
    data.update(overrides)
    return data


def post(client, language="fr", **overrides):
    return client.post(url(language=language), proposal(**overrides), **SAME_ORIGIN)


def stored():
    return EventPage.objects.count(), Revision.objects.count(), EventProposal.objects.count()


@pytest.mark.django_db
def test_the_form_page_is_in_french_without_a_csrf_token(client):
    response = client.get(url())
    page = soup(response)
    assert page.html["lang"] == "fr"
    form = page.select_one("form.form--proposal")
    assert form["action"] == "/fr/events/propose/"
    assert not form.select("input[name=csrfmiddlewaretoken]")
    assert "csrftoken" not in response.cookies
    # Every visible field has its label; the countries are named in French.
    for field in form.select("input:not([type=checkbox]), textarea"):
        if field["name"] != "website":
            assert form.select_one(f"label[for={field['id']}]"), field["name"]
    countries = [
        label.get_text(strip=True) for label in form.select("#id_proposal_countries label")
    ]
    assert "Territoire palestinien" in countries
    assert "(obligatoire)" in text_of(response)
    # The honeypot is hidden from people and screen readers.
    assert form.select_one("input[name=website]").find_parent(attrs={"aria-hidden": "true"})


@pytest.mark.django_db
def test_a_french_proposal_becomes_one_draft_awaiting_moderation(client, editor_client, locales):
    before = EventPage.objects.filter(locale=locales["en"]).count()
    response = post(client)
    assert response.status_code == 303
    assert response["Location"] == "/fr/events/propose/thank-you/"
    thanks = client.get(response["Location"])
    assert thanks.status_code == 200 and thanks.wsgi_request.LANGUAGE_CODE == "fr"

    assert EventPage.objects.filter(locale=locales["en"]).count() == before + 1
    draft = EventPage.objects.get(title="Forum de la diaspora rwandaise", locale=locales["en"])
    assert not draft.live
    assert draft.has_unpublished_changes and draft.get_latest_revision() is not None
    assert draft.get_parent().specific_class.__name__ == "EventIndexPage"
    assert draft.get_parent().locale == locales["en"]
    assert draft.introduction.startswith("Une après-midi")
    assert draft.city == "Bruxelles" and not draft.date_to_be_announced
    assert [c.slug for c in draft.countries.all()] == ["rwanda"]
    # The French and Dutch trees hold aliases of it, unpublished too (as when staff
    # create a page): they go live with it once approved.
    aliases = EventPage.objects.filter(alias_of=draft)
    assert {a.locale.language_code for a in aliases} == {"fr", "nl"}
    assert not any(a.live for a in aliases)

    # Submitted to the moderation workflow, by nobody (the organiser has no account).
    state = WorkflowState.objects.get(object_id=str(draft.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.requested_by is None
    assert state.workflow.name == "Moderators approval"
    assert draft.workflow_in_progress

    # The organiser's details are kept beside the page, not on it.
    record = EventProposal.objects.get(page=draft)
    assert (record.language, record.name, record.email) == (
        "fr",
        "Aline Uwase",
        "aline@example.org",
    )
    assert record.organisation == "Association des Rwandais de Belgique"
    assert record.consent_text == in_french(
        "I agree that IOM Belgium and Luxembourg may contact me by email about this "
        "proposal, and keep my contact details with it until it is dealt with."
    )
    assert record.consent_given_at is not None
    assert "aline@example.org" not in str(draft.get_latest_revision().content)

    # Wagtail's workflow tells the moderators (here the superuser), as for any submission.
    notices = [m for m in mail.outbox if m.to == ["editor@example.org"]]
    assert any("Forum de la diaspora rwandaise" in m.subject for m in notices)
    assert not any("aline@example.org" in m.body for m in mail.outbox)

    # Staff find it awaiting review, and the organiser's details beside it.
    assert "Forum de la diaspora rwandaise" in editor_client.get("/admin/").content.decode()
    listing = editor_client.get("/admin/event_proposals/").content.decode()
    assert "aline@example.org" in listing
    assert f"/admin/event_proposals/inspect/{record.pk}/" in listing
    edit = editor_client.get(f"/admin/pages/{draft.pk}/edit/").content.decode()
    assert f"/admin/event_proposals/inspect/{record.pk}/" in edit
    inspect = editor_client.get(f"/admin/event_proposals/inspect/{record.pk}/").content.decode()
    assert "Association des Rwandais de Belgique" in inspect
    assert f"/admin/pages/{draft.pk}/edit/" in inspect
    with pytest.raises(NoReverseMatch):  # read-only: what the organiser sent
        reverse("event_proposals:edit", args=[record.pk])


@pytest.mark.django_db
def test_the_draft_is_never_shown_to_visitors(client):
    post(client)
    draft = EventPage.objects.get(
        title="Forum de la diaspora rwandaise", locale__language_code="en"
    )
    for language in ("en", "fr", "nl"):
        events = demo_url("events", language)
        assert client.get(f"{events}{draft.slug}/").status_code == 404
        assert "Forum de la diaspora rwandaise" not in text_of(client.get(events))


@pytest.mark.django_db
def test_without_a_start_the_date_is_to_be_announced(client):
    assert post(client, start="", end="").status_code == 303
    draft = EventPage.objects.get(
        title="Forum de la diaspora rwandaise", locale__language_code="en"
    )
    assert draft.date_to_be_announced and draft.start is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    "field, value",
    [
        ("title", "<script>alert(1)</script>Forum"),
        ("description", "Bienvenue <b>à tous</b>"),
        ("name", '<img src=x onerror="alert(1)">'),
        ("city", "Bruxelles</p>"),
    ],
)
def test_html_is_refused_in_french_and_nothing_is_stored(client, field, value):
    before = stored()
    response = post(client, **{field: value})
    assert response.status_code == 200
    page = soup(response)
    error = page.select_one(f"#id_proposal_{field}_error")
    assert error.get_text(strip=True) == in_french(
        "Please remove the HTML tags (text between < and >): we only take plain text."
    )
    # Tied to its field, and the page says so at the top, in French.
    assert (
        f"id_proposal_{field}_error" in page.select_one(f"#id_proposal_{field}")["aria-describedby"]
    )
    assert "Veuillez corriger les erreurs ci-dessous." in text_of(response)
    assert "<script>" not in response.content.decode()
    assert stored() == before


@pytest.mark.django_db
def test_an_end_before_the_start_is_a_field_error(client):
    start = timezone.now() + timedelta(days=10)
    before = stored()
    response = post(client, start=local(start), end=local(start - timedelta(hours=1)))
    error = soup(response).select_one("#id_proposal_end_error")
    assert error.get_text(strip=True) == in_french("The end must be after the start.")
    assert stored() == before


@pytest.mark.django_db
def test_a_start_in_the_past_and_no_place_are_field_errors(client):
    before = stored()
    past = timezone.now() - timedelta(days=2)
    response = post(client, start=local(past), end="", venue_name="", city="", venue_address="")
    page = soup(response)
    assert page.select_one("#id_proposal_start_error").get_text(strip=True) == in_french(
        "The event cannot start in the past."
    )
    assert page.select_one("#id_proposal_city_error").get_text(strip=True) == in_french(
        "Tell us where the event takes place: a city, an online address, or both."
    )
    assert stored() == before


@pytest.mark.django_db
def test_a_post_from_another_site_is_refused(client):
    before = stored()
    response = client.post(url(), proposal(), HTTP_ORIGIN="https://evil.example")
    assert response.status_code == 403
    assert stored() == before


@pytest.mark.django_db
def test_a_bot_filling_the_honeypot_sees_thanks_and_nothing_is_stored(client):
    before = stored()
    response = post(client, website="http://spam.example")
    assert response.status_code == 303
    assert response["Location"] == "/fr/events/propose/thank-you/"
    assert stored() == before


@pytest.mark.django_db
def test_too_many_proposals_from_one_address_are_refused(client):
    for _ in range(5):
        assert post(client, website="bot").status_code == 303
    before = stored()
    response = post(client)
    assert response.status_code == 429
    assert "Trop de tentatives" in response.content.decode()
    assert stored() == before


@pytest.mark.django_db
def test_an_oversized_or_malformed_post_gets_a_clear_400(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    before = stored()
    response = post(client, description="x" * 20_000)
    assert response.status_code == 400
    assert in_french("What you sent is too large") in response.content.decode()
    response = client.post(
        url(), b"--x\r\n", content_type="multipart/form-data; boundary=", **SAME_ORIGIN
    )
    assert response.status_code == 400
    assert stored() == before


@pytest.mark.django_db
def test_an_overlong_description_is_a_field_error(client):
    response = post(client, description="x" * 3001)
    assert soup(response).select_one("#id_proposal_description_error")
    assert not EventProposal.objects.exists()


@pytest.mark.django_db
def test_moderators_see_proposals_and_translators_do_not(client, django_user_model):
    post(client)
    for group, status in [("Moderators", 200), ("Editors", 200), ("Translators (French)", 302)]:
        user = django_user_model.objects.create_user(group, f"{group[:4]}@example.org", "pw")
        user.groups.add(Group.objects.get(name=group))
        client.force_login(user)
        assert client.get("/admin/event_proposals/").status_code == status, group
