"""Calls for cooperation with an application form: staff define its fields in the
admin, visitors apply on the (cached) page, applications are stored with the
consent they were given under, and the form closes itself at the deadline."""

import csv
import io
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone, translation

from events.models import CallFormField, CallPage
from public_forms.models import CONSENT_TEXT, CONSENT_TEXT_VERSION, PublicFormSubmission
from tests.admin_forms import field_errors, inline_formset, page_form, rich_text, streamfield
from tests.helpers import soup, text_of

SAME_ORIGIN = {"HTTP_ORIGIN": "http://testserver"}
SLUG = "invest-in-a-rwanda-pilot-project"


@pytest.fixture
def call(db):
    """The demo call with an application form, in English."""
    return CallPage.objects.get(slug=SLUG, locale__language_code="en")


def version(call, language):
    return CallPage.objects.get(
        translation_key=call.translation_key, locale__language_code=language
    )


def answers(**overrides):
    data = {
        "name": "Amina Diallo",
        "email": "amina@example.org",
        "message": "I would like to invest in the dairy project.",
        "consent": "on",
        "website": "",
    }
    data.update(overrides)
    return data


def apply(client, page, **overrides):
    return client.post(page.form_action_url, answers(**overrides), **SAME_ORIGIN)


def stored():
    return PublicFormSubmission.objects.count()


def in_language(language, text):
    with translation.override(language):
        return translation.gettext(text)


def page_of(response):
    return BeautifulSoup(response.content, "html.parser")


@pytest.mark.django_db
def test_the_call_shows_its_form_without_a_csrf_token(client, call):
    """The page is cached for anonymous visitors: its form holds nothing per visitor
    and posts to the never-cached form view of the page's language."""
    page = soup(client.get(call.url))
    form = page.select_one("main form:not(.discussion__form)")
    assert form["action"] == f"/en/forms/{call.pk}/"
    assert not page.select("input[name=csrfmiddlewaretoken]")
    names = [f["name"] for f in form.select("input, textarea, select") if f.get("name")]
    assert names == ["name", "email", "message", "consent", "website"]
    assert str(CONSENT_TEXT) in form.get_text(" ")
    assert form.select_one("input[name=website]").find_parent(class_="visually-hidden")
    assert form.select_one("button").get_text(strip=True) == "Send my application"


@pytest.mark.django_db
def test_each_language_version_shows_its_labels_and_posts_in_its_language(client, call):
    french = version(call, "fr")
    page = soup(client.get(french.url))
    form = page.select_one("main form:not(.discussion__form)")
    assert form["action"] == f"/fr/forms/{french.pk}/"
    assert page.select_one("label[for=id_name]").get_text(" ", strip=True).startswith("Votre nom")


@pytest.mark.django_db
def test_an_application_is_stored_with_its_consent(client, call):
    response = apply(client, call)
    assert response.status_code == 200
    assert "Thank you. Your application has been sent." in text_of(response)
    submission = PublicFormSubmission.objects.get()
    assert submission.page_id == call.pk
    assert submission.form_data == {
        "name": "Amina Diallo",
        "email": "amina@example.org",
        "message": "I would like to invest in the dairy project.",
    }
    assert submission.consent_text == str(CONSENT_TEXT)
    assert submission.consent_version == CONSENT_TEXT_VERSION
    assert abs(submission.consent_given_at - timezone.now()) < timedelta(minutes=1)


@pytest.mark.django_db
def test_a_call_can_ask_for_its_own_consent_text(client, call):
    CallPage.objects.filter(pk=call.pk).update(
        consent_text="I agree that IOM shares my application with the project's investors."
    )
    call.refresh_from_db()
    page = soup(client.get(call.url))
    assert (
        "shares my application with the project's investors"
        in page.select_one("main form:not(.discussion__form)").text
    )
    apply(client, call)
    submission = PublicFormSubmission.objects.get()
    assert submission.consent_text.endswith("with the project's investors.")
    assert submission.consent_version == f"page {call.pk} revision {call.live_revision_id}"


@pytest.mark.django_db
def test_without_consent_or_with_a_bad_answer_nothing_is_stored(client, call):
    response = apply(client, version(call, "nl"), consent="", email="not an address")
    assert response.status_code == 400
    page = page_of(response)
    assert page.select_one("#id_email")["aria-invalid"] == "true"
    errors = page.select_one("#id_consent").find_parent(class_="field--invalid")
    assert errors is not None
    # The form keeps what was typed, in the visitor's language.
    assert page.select_one("#id_name")["value"] == "Amina Diallo"
    assert page.select_one("label[for=id_name]").get_text(" ", strip=True).startswith("Uw naam")
    assert stored() == 0


@pytest.mark.django_db
def test_applications_are_exported_as_csv_with_language_and_consent(editor_client, call):
    client = editor_client
    apply(client, call)
    apply(client, version(call, "fr"), name="Jean Mukamana", email="jean@example.org")
    url = reverse("wagtailforms:list_submissions", args=(call.pk,))
    listing = client.get(url)
    assert listing.status_code == 200
    assert "Jean Mukamana" in listing.content.decode()
    response = client.get(url + "?export=csv")
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [(r["Language"], r["Your name"], r["Consent"]) for r in rows] == [
        ("en", "Amina Diallo", CONSENT_TEXT_VERSION),
        ("fr", "Jean Mukamana", CONSENT_TEXT_VERSION),
    ]


@pytest.mark.django_db
def test_after_the_deadline_the_call_is_closed_and_refuses_applications(client, call):
    CallPage.objects.filter(translation_key=call.translation_key).update(
        deadline=timezone.now() - timedelta(minutes=1)
    )
    french = version(call, "fr")
    page = soup(client.get(french.url))
    assert not page.select("main form:not(.discussion__form)")
    closed = "This call is closed: its deadline has passed, so it no longer takes applications."
    assert in_language("fr", closed) in page.get_text()

    response = apply(client, french)
    assert response.status_code == 400
    assert in_language("fr", "This call is closed") in response.content.decode()
    assert stored() == 0


@pytest.mark.django_db
def test_a_call_without_form_fields_shows_no_form_and_takes_no_post(client):
    call = CallPage.objects.get(
        slug="artevelde-university-business-in-africa", locale__language_code="en"
    )
    assert not CallFormField.objects.filter(page=call).exists()
    assert not soup(client.get(call.url)).select("main form:not(.discussion__form)")
    assert apply(client, call).status_code == 404
    assert stored() == 0


@pytest.mark.django_db
def test_an_oversized_or_malformed_post_gets_a_clear_400(client, call, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    french = version(call, "fr")
    response = apply(client, french, message="x" * 20_000)
    assert response.status_code == 400
    assert in_language("fr", "What you sent is too large") in response.content.decode()

    response = client.post(
        french.form_action_url,
        b"--x\r\nbroken",
        content_type="multipart/form-data; boundary=",
        **SAME_ORIGIN,
    )
    assert response.status_code == 400
    assert in_language("fr", "What you sent could not be read") in response.content.decode()

    response = apply(client, french, email="x\x00@example.org")
    assert response.status_code == 400
    assert stored() == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    "headers",
    [{"HTTP_ORIGIN": "https://evil.example"}, {"HTTP_SEC_FETCH_SITE": "cross-site"}, {}],
)
def test_a_post_from_another_site_is_refused(client, call, headers):
    response = client.post(call.form_action_url, answers(), **headers)
    assert response.status_code == 403
    assert "This form can only be sent from our own website" in response.content.decode()
    assert stored() == 0


@pytest.mark.django_db
def test_a_bot_filling_the_honeypot_sees_thanks_and_nothing_is_stored(client, call):
    response = apply(client, call, website="http://spam.example")
    assert response.status_code == 200
    assert "Thank you" in text_of(response)
    assert stored() == 0


@pytest.mark.django_db
def test_the_page_itself_takes_no_post(client, call):
    """Only the protected form view takes answers (the page URL is cached for GET)."""
    response = client.post(call.url, answers(), **SAME_ORIGIN)
    assert response.status_code in {403, 405}
    assert stored() == 0


@pytest.mark.django_db
def test_the_form_view_answers_get_with_the_page_and_is_never_cached(client, call):
    response = client.get(call.form_action_url)
    assert response.status_code == 302 and response["Location"] == call.url
    response = apply(client, call)
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    assert client.post("/en/forms/999999/", answers(), **SAME_ORIGIN).status_code == 404


@pytest.mark.django_db
def test_staff_edit_the_application_form_in_the_admin(editor_client, call):
    apply(editor_client, version(call, "nl"))
    response = editor_client.get(reverse("wagtailadmin_pages:edit", args=(call.pk,)))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Application form" in content
    assert 'name="form_fields-TOTAL_FORMS" value="3"' in content
    # The count of applications covers every language version.
    listing = reverse("wagtailforms:list_submissions", args=(call.pk,))
    assert f'href="{listing}">1<' in content


def call_form(title, fields, deadline=""):
    return page_form(
        {
            "title": title,
            "slug": "call-for-mentors",
            "introduction": "Mentors wanted.",
            "deadline": deadline,
            "eligibility": rich_text("<p>Diaspora entrepreneurs.</p>"),
            "how_to_apply": rich_text(""),
            "thank_you_text": rich_text("<p>Thanks, mentor!</p>"),
            "body": streamfield([]),
            "form_fields": inline_formset(
                [
                    {
                        "label": label,
                        "field_type": kind,
                        "required": "on",
                        "choices": choices,
                        "help_text": "",
                        "default_value": "",
                        "choice_labels": "",
                        "ORDER": str(n),
                    }
                    for n, (label, kind, choices) in enumerate(fields)
                ]
            ),
        }
    )


@pytest.mark.django_db
def test_staff_build_an_application_form_and_visitors_apply(editor_client, call):
    index = call.get_parent()
    add = reverse("wagtailadmin_pages:add", args=("events", "callpage", index.pk))
    deadline = (timezone.now() + timedelta(days=10)).strftime("%Y-%m-%d %H:%M")
    fields = [("Your name", "singleline", ""), ("Sector", "radio", "Health\nEducation")]

    response = editor_client.post(add, call_form("Mentors", [*fields, ("Your name", "email", "")]))
    assert response.status_code == 200
    assert any("conflicts with another field" in e for e in field_errors(response))
    assert not CallPage.objects.filter(slug="call-for-mentors").exists()

    response = editor_client.post(add, call_form("Mentors", fields, deadline))
    assert response.status_code == 302, field_errors(response)
    mentors = CallPage.objects.get(slug="call-for-mentors", locale=call.locale)
    assert [(f.clean_name, f.field_type) for f in mentors.form_fields.all()] == [
        ("your_name", "singleline"),
        ("sector", "radio"),
    ]
    editor_client.logout()
    response = apply(editor_client, mentors, your_name="Awa", sector="Health")
    assert "Thanks, mentor!" in text_of(response)
    assert PublicFormSubmission.objects.get().form_data == {"your_name": "Awa", "sector": "Health"}
    # Not translated yet: the French page is an alias of the English one, and takes
    # applications too, into the same result.
    french = version(mentors, "fr")
    assert french.alias_of_id == mentors.pk
    assert apply(editor_client, french, your_name="Léa", sector="Education").status_code == 200
    assert french.get_submissions().count() == 2


def test_a_field_label_cannot_take_a_reserved_name():
    """The honeypot and consent keys belong to the form: a field labelled so gets
    another key, so its answers never mix with them."""
    assert CallFormField(label="Website").get_field_clean_name() == "website_answer"
    assert CallFormField(label="Consent").get_field_clean_name() == "consent_answer"
    assert CallFormField(label="Your website").get_field_clean_name() == "your_website"
