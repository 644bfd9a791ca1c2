"""The privacy page states every retention period as the settings have it, in the
three languages (the "Retention periods" block of the demo's privacy page), and
follows the settings when a period changes."""

import pytest

from tests.helpers import demo_url, soup

pytestmark = pytest.mark.django_db


def periods(client, code):
    response = client.get(demo_url("privacy", code))
    assert response.status_code == 200
    section = soup(response).select_one("section.retention")
    return {
        " ".join(dt.get_text().split()): " ".join(dt.find_next_sibling("dd").get_text().split())
        for dt in section.select("dt")
    }


@pytest.mark.parametrize(
    "code, label, stated",
    [
        ("en", "Answers to the contact form and to surveys", "1 year after they were sent"),
        ("fr", "Réponses au formulaire de contact et aux enquêtes", "1 an après leur envoi"),
        ("nl", "Antwoorden op het contactformulier en op enquêtes", "1 jaar na verzending"),
        ("en", "Applications to a call for cooperation", "2 years after the call's deadline"),
        ("fr", "Candidatures à un appel à coopération", "2 ans après la date limite de l’appel"),
        (
            "nl",
            "Kandidaturen voor een oproep tot samenwerking",
            "2 jaar na de uiterste datum van de oproep",
        ),
        (
            "en",
            "Words searched for on the site, with a count per day",
            "30 days after the day of the search",
        ),
        (
            "fr",
            "Tâches d’arrière-plan terminées (comme un e-mail à envoyer)",
            "7 jours après leur exécution",
        ),
        (
            "nl",
            "Items in de beheergeschiedenis over een persoon",
            "2 jaar na de wijziging die ze vastleggen",
        ),
        ("nl", "Inschrijvingen voor een evenement", "1 jaar na het evenement"),
        ("fr", "Contributions refusées ou marquées comme spam", "30 jours après la modération"),
        ("en", "Newsletter sign-ups never confirmed", "7 days after signing up"),
        (
            "fr",
            "Abonnements à la lettre d’information, avec le consentement donné et les "
            "numéros envoyés",
            "jusqu’à ce que vous en demandiez l’effacement",
        ),
    ],
)
def test_the_privacy_page_states_each_period_in_its_language(client, code, label, stated):
    assert periods(client, code)[label] == stated


def test_every_kind_of_personal_data_is_listed(client):
    assert list(periods(client, "en")) == [
        "Newsletter subscriptions, with the consent given and the issues sent",
        "Newsletter sign-ups never confirmed",
        "Contacts of the former list who did not accept the invitation",
        "Registrations for an event",
        "The organiser's details sent with an event proposal",
        "Applications to a call for cooperation",
        "Answers to the contact form and to surveys",
        "Published contributions to a discussion, with their author's address",
        "Contributions rejected or marked as spam",
        "Contributions whose address was never confirmed",
        "Words searched for on the site, with a count per day",
        "Background tasks done (such as an email to send)",
        "Background tasks that failed",
        "Admin history entries about a person",
        "Backups of the database and media",
    ]
    # The newest BACKUP_KEEP backups are kept, one a day.
    assert periods(client, "en")["Backups of the database and media"] == (
        "14 days after they are made"
    )


@pytest.mark.parametrize(
    "code, expected",
    [
        ("en", ["3 months after they were sent", "18 months after the event", "45 days"]),
        ("fr", ["3 mois après leur envoi", "18 mois après l’événement", "45 jours"]),
        ("nl", ["3 maanden na verzending", "18 maanden na het evenement", "45 dagen"]),
    ],
)
def test_the_page_follows_the_settings(client, settings, code, expected):
    settings.RETENTION = {**settings.RETENTION, "form_answers": 90, "backups": 45}
    settings.EVENTS_REGISTRATION_RETENTION_MONTHS = 18
    stated = list(periods(client, code).values())
    assert expected[0] in stated
    assert expected[1] in stated
    # The backups' period, once configured, is stated last.
    assert stated[-1].startswith(expected[2])
