"""The two-minute survey in English, French and Dutch adds up to one result in the
admin: one table and one CSV with a Language column, the same stored values in
every language. Translators, who should not see personal data, see none of it."""

import csv
import io

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from public_forms.models import CONSENT_TEXT_VERSION, PublicFormSubmission
from tests.helpers import demo_page, soup
from translation_workflow.roles import TRANSLATOR_GROUPS

SAME_ORIGIN = {"HTTP_ORIGIN": "http://testserver"}
ADVICE = {"en": "More events in Liège.", "fr": "Plus d’événements.", "nl": "Meer evenementen."}


@pytest.fixture
def surveys(db):
    return {code: demo_page("survey", code) for code in ("en", "fr", "nl")}


def answer_survey(client, survey, language):
    """Fill in the survey as a visitor would: read the form on the page, post it."""
    form = soup(client.get(survey.url)).select_one("main form")
    assert not form.select("input[name=csrfmiddlewaretoken]")
    data = {
        "country": "Rwanda",
        "topics": ["Calls for cooperation", "Entrepreneurship"],
        "advice": ADVICE[language],
        "consent": "on",
        "website": "",
    }
    return client.post(form["action"], data, **SAME_ORIGIN)


@pytest.fixture
def answered(client, surveys):
    for language in ("en", "fr", "nl"):
        response = answer_survey(client, surveys[language], language)
        assert response.status_code == 200
    return surveys


def csv_rows(response):
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))


@pytest.mark.django_db
def test_answers_in_three_languages_store_the_same_values(answered):
    submissions = PublicFormSubmission.objects.select_related("page__locale").order_by("pk")
    assert [s.page.locale.language_code for s in submissions] == ["en", "fr", "nl"]
    data = [s.form_data for s in submissions]
    assert [d["advice"] for d in data] == [ADVICE["en"], ADVICE["fr"], ADVICE["nl"]]
    assert {(d["country"], tuple(d["topics"])) for d in data} == {
        ("Rwanda", ("Calls for cooperation", "Entrepreneurship"))
    }
    assert all(set(d) == {"country", "topics", "advice"} for d in data)
    assert {s.consent_version for s in submissions} == {CONSENT_TEXT_VERSION}


@pytest.mark.django_db
@pytest.mark.parametrize("opened", ["en", "fr", "nl"])
def test_the_admin_listing_of_any_version_holds_all_three(editor_client, answered, opened):
    url = reverse("wagtailforms:list_submissions", args=(answered[opened].pk,))
    page = soup(editor_client.get(url))
    table = page.select_one("table")
    headings = [th.get_text(" ", strip=True) for th in table.select("thead th")]
    language_column = headings.index("Language")
    # Headings in the language of the version opened.
    advice_label = answered[opened].form_fields.get(clean_name="advice").label
    advice_column = headings.index(advice_label)
    rows = [
        [td.get_text(" ", strip=True) for td in tr.select("td")] for tr in table.select("tbody tr")
    ]
    assert sorted(row[language_column] for row in rows) == ["en", "fr", "nl"]
    assert sorted(row[advice_column] for row in rows) == sorted(ADVICE.values())


@pytest.mark.django_db
def test_the_csv_holds_all_three_with_a_language_column(editor_client, answered):
    url = reverse("wagtailforms:list_submissions", args=(answered["fr"].pk,))
    rows = csv_rows(editor_client.get(url + "?export=csv"))
    assert [row["Language"] for row in rows] == ["en", "fr", "nl"]
    # Headings in the language of the version opened (the French survey's labels).
    country = answered["fr"].form_fields.get(clean_name="country").label
    assert country.startswith("Avec quel pays d’origine")
    assert {row[country] for row in rows} == {"Rwanda"}
    assert {row["Consent"] for row in rows} == {CONSENT_TEXT_VERSION}


@pytest.mark.django_db
def test_an_answer_cannot_become_a_spreadsheet_formula(client, editor_client, surveys):
    form = soup(client.get(surveys["nl"].url)).select_one("main form")
    data = {"advice": '=HYPERLINK("http://evil.example","Klik")', "consent": "on"}
    assert client.post(form["action"], data, **SAME_ORIGIN).status_code == 200
    url = reverse("wagtailforms:list_submissions", args=(surveys["en"].pk,))
    rows = csv_rows(editor_client.get(url + "?export=csv"))
    advice = surveys["en"].form_fields.get(clean_name="advice").label
    assert rows[0][advice] == "'" + data["advice"]


@pytest.mark.django_db
def test_deleting_from_the_combined_listing_deletes_any_language(editor_client, answered):
    dutch = PublicFormSubmission.objects.get(page=answered["nl"])
    url = reverse("wagtailforms:delete_submissions", args=(answered["en"].pk,))
    response = editor_client.post(f"{url}?selected-submissions={dutch.pk}")
    assert response.status_code == 302
    assert not PublicFormSubmission.objects.filter(pk=dutch.pk).exists()
    assert PublicFormSubmission.objects.count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["fr", "nl"])
def test_translators_get_no_access_to_the_results(client, django_user_model, answered, language):
    user = django_user_model.objects.create_user("translator", "t@example.org", "pw")
    user.groups.add(Group.objects.get(name=TRANSLATOR_GROUPS[language]))
    client.force_login(user)
    own = answered[language]
    assert client.get(reverse("wagtailadmin_pages:edit", args=(own.pk,))).status_code == 200

    index = client.get(reverse("wagtailforms:index"))
    assert "Two-minute survey" not in index.content.decode()
    for survey in answered.values():
        url = reverse("wagtailforms:list_submissions", args=(survey.pk,))
        for suffix in ("", "?export=csv", "?export=xlsx"):
            response = client.get(url + suffix, follow=True)
            assert response.redirect_chain[-1][0] == reverse("wagtailadmin_home")
            assert ADVICE["en"] not in response.content.decode()
        results = reverse("wagtailforms:list_submissions_results", args=(survey.pk,))
        assert (
            client.get(results, headers={"x-requested-with": "XMLHttpRequest"}).status_code == 403
        )
        delete = reverse("wagtailforms:delete_submissions", args=(survey.pk,))
        ids = "&".join(f"selected-submissions={s.pk}" for s in PublicFormSubmission.objects.all())
        client.post(f"{delete}?{ids}")
    assert PublicFormSubmission.objects.count() == 3


@pytest.mark.django_db
def test_editors_see_the_results(client, django_user_model, answered):
    user = django_user_model.objects.create_user("comms", "c@example.org", "pw")
    user.groups.add(Group.objects.get(name="Editors"))
    client.force_login(user)
    url = reverse("wagtailforms:list_submissions", args=(answered["nl"].pk,))
    rows = csv_rows(client.get(url + "?export=csv"))
    assert len(rows) == 3
