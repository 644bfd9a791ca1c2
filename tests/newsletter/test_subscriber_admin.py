"""Subscribers in the admin: the exported listing, each person's data export and
erasure (GDPR), and who may do what."""

import csv
import io
import json

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry

from home.models import CountryPage
from newsletter import subscriptions
from newsletter.models import Delivery, Mailing, NewsletterIssuePage, Subscriber
from tests.helpers import soup, text_of

BASE = "/admin/snippets/newsletter/subscriber/"


def make_subscriber(**fields):
    defaults = {
        "email": "amina@example.org",
        "language": "fr",
        "status": Subscriber.Status.CONFIRMED,
        "consent_text_version": subscriptions.CONSENT_TEXT_VERSION,
        "consent_given_at": "2026-11-01T10:00:00Z",
        "consent_source": "/fr/newsletter/subscribe/",
    }
    return Subscriber.objects.create(**{**defaults, **fields})


def country(title):
    return CountryPage.objects.get(locale__language_code="en", title=title)


def make_delivery(subscriber, number=1):
    issue = NewsletterIssuePage.objects.filter(locale__language_code="en").first()
    mailing = Mailing.objects.create(
        issue_key=issue.translation_key
        if number == 1
        else f"00000000-0000-0000-0000-00000000000{number}",
        issue=issue,
        subject=issue.title,
        send_after=timezone.now(),
        status=Mailing.Status.DONE,
    )
    return Delivery.objects.create(
        mailing=mailing,
        subscriber=subscriber,
        language=subscriber.language,
        status=Delivery.Status.SENT,
        sent_at=timezone.now(),
    )


def csv_rows(response):
    content = b"".join(response.streaming_content).decode("utf-8")
    return list(csv.reader(io.StringIO(content)))


@pytest.fixture
def staff(client, django_user_model):
    """A logged-in admin user with the given subscriber permissions (codenames)."""

    def make(*codenames, groups=()):
        user = django_user_model.objects.create_user("staff", "staff@example.org", "pw")
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"),
            *Permission.objects.filter(
                content_type__app_label="newsletter", codename__in=codenames
            ),
        )
        user.groups.add(*Group.objects.filter(name__in=groups))
        client.force_login(user)
        return client

    return make


# --- The listing ---------------------------------------------------------------------


@pytest.mark.django_db
def test_the_listing_keeps_search_and_filters_and_offers_the_actions(editor_client):
    subscriber = make_subscriber()
    make_subscriber(email="nl@example.org", language="nl", status=Subscriber.Status.PENDING)
    page = soup(editor_client.get(BASE + "?status=confirmed&language=fr"))
    text = page.get_text(" ")
    assert "amina@example.org" in text
    assert "nl@example.org" not in text
    assert "nl@example.org" not in editor_client.get(BASE + "?q=amina").text
    links = {a.get_text(strip=True): a["href"] for a in page.select("a[href]")}
    assert links["Export data"] == f"{BASE}export-data/{subscriber.pk}/"
    assert links["Erase"] == f"{BASE}delete/{subscriber.pk}/"
    assert links["Import contacts"] == BASE + "import/"
    assert links["Send invitations"] == BASE + "invitations/"
    assert "Download CSV" in links


@pytest.mark.django_db
def test_the_listing_exports_as_csv_with_the_filters_applied(editor_client):
    subscriber = make_subscriber()
    subscriber.countries.set([country("Rwanda"), country("Niger")])
    make_subscriber(email="left@example.org", status=Subscriber.Status.UNSUBSCRIBED)
    # An address a spreadsheet would run as a formula.
    make_subscriber(email="=1+1@example.org", consent_source="=HYPERLINK(1)")

    response = editor_client.get(BASE + "?status=confirmed&export=csv")
    assert response["Content-Disposition"] == 'attachment; filename="subscribers.csv"'
    header, *rows = csv_rows(response)
    assert header[:4] == ["Email address", "Language", "Status", "Countries of interest"]
    assert "Consent text version" in header and "Invitation sent at" in header
    by_email = {row[0]: row for row in rows}
    assert set(by_email) == {"amina@example.org", "'=1+1@example.org"}
    assert by_email["amina@example.org"][1:4] == [
        "Français",
        "confirmed",
        "Niger, Rwanda",
    ]  # the labels
    assert by_email["'=1+1@example.org"][header.index("Consent source")] == "'=HYPERLINK(1)"


@pytest.mark.django_db
def test_the_listing_exports_as_xlsx(editor_client):
    from openpyxl import load_workbook

    make_subscriber(email="=1+1@example.org")
    response = editor_client.get(BASE + "?export=xlsx")
    assert response["Content-Disposition"].endswith('filename="subscribers.xlsx"')
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    header, row = list(sheet.values)
    assert header[0] == "Email address"
    assert row[0] == "=1+1@example.org"  # text, not a formula
    assert sheet["A2"].data_type == "s"


@pytest.mark.django_db
def test_the_subscribers_label_holds_no_address(editor_client):
    """Wagtail copies the label into its log and its messages."""
    subscriber = make_subscriber()
    assert "amina" not in str(subscriber)
    response = editor_client.post(
        f"{BASE}edit/{subscriber.pk}/", {"status": Subscriber.Status.UNSUBSCRIBED}
    )
    assert response.status_code == 302
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED
    entries = ModelLogEntry.objects.filter(object_id=str(subscriber.pk))
    assert entries.exists()
    assert not entries.filter(label__icontains="amina").exists()


# --- Export one person's data ------------------------------------------------------------


@pytest.mark.django_db
def test_export_data_gives_everything_stored_about_the_person(editor_client):
    subscriber = make_subscriber()
    subscriber.countries.set([country("Rwanda")])
    delivery = make_delivery(subscriber)
    make_delivery(make_subscriber(email="other@example.org"), number=2)
    log(subscriber, "wagtail.edit")

    response = editor_client.get(f"{BASE}export-data/{subscriber.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"] == (
        f'attachment; filename="subscriber-{subscriber.pk}.json"'
    )
    assert "no-store" in response["Cache-Control"]
    data = json.loads(response.content)
    assert data["subscriber"]["email"] == "amina@example.org"
    assert data["subscriber"]["language"] == "fr"
    assert data["subscriber"]["status"] == "confirmed"
    assert data["countries_of_interest"] == [{"id": country("Rwanda").pk, "title": "Rwanda"}]
    assert data["consent"]["text_version"] == subscriptions.CONSENT_TEXT_VERSION
    assert data["consent"]["text"].startswith("I agree to receive")
    assert data["consent"]["given_at"].startswith("2026-11-01T10:00:00")
    assert data["consent"]["source"] == "/fr/newsletter/subscribe/"
    assert len(data["deliveries"]) == 1
    exported = data["deliveries"][0]
    assert exported["subject"] == delivery.mailing.subject
    assert exported["issue_number"] == delivery.mailing.issue.number
    assert exported["status"] == "sent"
    assert exported["sent_at"]
    assert [entry["action"] for entry in data["admin_history"]] == ["wagtail.edit"]


@pytest.mark.django_db
def test_export_data_of_an_unknown_subscriber_is_a_404(editor_client):
    response = editor_client.get(f"{BASE}export-data/999999/", follow=True)
    assert response.status_code == 404
    assert "Content-Disposition" not in response


# --- Erase ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_erase_asks_first_then_deletes_the_person_and_their_log_but_keeps_deliveries(
    editor_client,
):
    subscriber = make_subscriber()
    subscriber.countries.set([country("Rwanda")])
    delivery = make_delivery(subscriber)
    mailing = delivery.mailing
    # An entry from before labels stopped showing the address.
    log(subscriber, "wagtail.edit", title=subscriber.email)
    log(subscriber, "wagtail.edit")
    other = make_subscriber(email="other@example.org")
    log(other, "wagtail.edit")

    confirm = editor_client.get(f"{BASE}delete/{subscriber.pk}/")
    text = text_of(confirm)
    assert "Erase everything stored about amina@example.org" in text
    assert "1 delivery record is kept without the address" in text
    assert Subscriber.objects.filter(pk=subscriber.pk).exists()  # GET erases nothing

    response = editor_client.post(f"{BASE}delete/{subscriber.pk}/", follow=True)
    assert response.status_code == 200
    assert "The subscriber is erased" in response.text
    assert "amina@example.org" not in response.text

    assert not Subscriber.objects.filter(email="amina@example.org").exists()
    delivery.refresh_from_db()
    assert delivery.subscriber is None
    assert (delivery.status, delivery.language) == ("sent", "fr")
    assert mailing.deliveries.count() == 1
    assert not ModelLogEntry.objects.filter(
        object_id=str(subscriber.pk), content_type__model="subscriber"
    ).exists()
    assert not ModelLogEntry.objects.filter(label__icontains="amina").exists()
    assert ModelLogEntry.objects.filter(object_id=str(other.pk)).exists()  # others untouched


@pytest.mark.django_db
def test_bulk_deletion_also_leaves_no_log_entry(editor_client):
    subscriber = make_subscriber()
    log(subscriber, "wagtail.edit", title=subscriber.email)
    Subscriber.objects.filter(pk=subscriber.pk).delete()
    assert not ModelLogEntry.objects.filter(label__icontains="amina").exists()


# --- Who may do what -----------------------------------------------------------------


@pytest.mark.django_db
def test_an_editor_without_subscriber_permissions_can_do_nothing(staff):
    client = staff(groups=["Editors"])
    subscriber = make_subscriber()
    Subscriber.objects.create(email="invited@example.org", language="en", status="invited")
    home = "/admin/"

    for path in [
        BASE,
        BASE + "?export=csv",
        f"{BASE}export-data/{subscriber.pk}/",
        f"{BASE}delete/{subscriber.pk}/",
        BASE + "import/",
        BASE + "invitations/",
    ]:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"] == home, path

    client.post(f"{BASE}delete/{subscriber.pk}/")
    client.post(BASE + "invitations/")
    upload = SimpleUploadedFile("c.csv", b"email,language\nnew@example.org,en\n")
    client.post(BASE + "import/", {"file": upload})
    assert Subscriber.objects.filter(pk=subscriber.pk).exists()
    assert not Subscriber.objects.filter(email="new@example.org").exists()
    assert not DBTaskResult.objects.exists()


@pytest.mark.django_db
def test_a_translator_cannot_see_subscribers(staff):
    client = staff(groups=["Translators (French)"])
    subscriber = make_subscriber()
    assert client.get(f"{BASE}export-data/{subscriber.pk}/").status_code == 302
    assert client.post(f"{BASE}delete/{subscriber.pk}/").status_code == 302
    assert Subscriber.objects.filter(pk=subscriber.pk).exists()


@pytest.mark.django_db
def test_viewing_allows_exports_but_not_erasing_importing_or_inviting(staff):
    client = staff("view_subscriber")
    subscriber = make_subscriber()
    Subscriber.objects.create(email="invited@example.org", language="en", status="invited")

    assert client.get(BASE + "?export=csv").status_code == 200
    assert client.get(f"{BASE}export-data/{subscriber.pk}/").status_code == 200
    listing = soup(client.get(BASE))
    labels = {a.get_text(strip=True) for a in listing.select("a[href]")}
    assert "Export data" in labels
    assert not labels & {"Erase", "Import contacts", "Send invitations"}

    assert client.post(f"{BASE}delete/{subscriber.pk}/").status_code == 302
    assert Subscriber.objects.filter(pk=subscriber.pk).exists()
    assert client.post(BASE + "invitations/").status_code == 302
    assert not DBTaskResult.objects.exists()
    upload = SimpleUploadedFile("c.csv", b"email,language\nnew@example.org,en\n")
    assert client.post(BASE + "import/", {"file": upload}).status_code == 302
    assert not Subscriber.objects.filter(email="new@example.org").exists()


@pytest.mark.django_db
def test_adding_allows_importing_but_sending_needs_the_send_permission(staff):
    client = staff("view_subscriber", "add_subscriber")
    upload = SimpleUploadedFile("c.csv", b"email,language\nnew@example.org,en\n")
    response = client.post(BASE + "import/", {"file": upload})
    assert response.status_code == 200
    assert Subscriber.objects.filter(email="new@example.org", status="invited").exists()
    assert not soup(response).select_one(f"a[href='{BASE}invitations/']")
    assert client.post(BASE + "invitations/").status_code == 302
    assert not DBTaskResult.objects.exists()


@pytest.mark.django_db
def test_the_send_permission_alone_does_not_allow_inviting(staff):
    """Editors may send issues (send_newsletter), not invite the imported list."""
    client = staff("send_newsletter", groups=["Editors"])
    Subscriber.objects.create(email="invited@example.org", language="en", status="invited")
    assert client.post(BASE + "invitations/").status_code == 302
    assert not DBTaskResult.objects.exists()


@pytest.mark.django_db
def test_adding_and_sending_together_allow_inviting(staff):
    client = staff("view_subscriber", "add_subscriber", "send_newsletter")
    Subscriber.objects.create(email="invited@example.org", language="en", status="invited")
    assert client.post(BASE + "invitations/").status_code == 302
    assert DBTaskResult.objects.filter(task_path="newsletter.invitations.send_invitations").exists()


@pytest.mark.django_db
def test_deleting_allows_erasing(staff):
    client = staff("view_subscriber", "delete_subscriber")
    subscriber = make_subscriber()
    client.post(f"{BASE}delete/{subscriber.pk}/")
    assert not Subscriber.objects.filter(pk=subscriber.pk).exists()


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_the_login_page(client):
    subscriber = make_subscriber()
    for path in [
        f"{BASE}export-data/{subscriber.pk}/",
        f"{BASE}delete/{subscriber.pk}/",
        BASE + "import/",
        BASE + "invitations/",
        BASE + "?export=csv",
    ]:
        response = client.post(path) if "delete" in path else client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith("/admin/login/"), path
    assert Subscriber.objects.filter(pk=subscriber.pk).exists()


@pytest.mark.django_db
def test_staff_can_take_someone_off_the_list_but_never_put_them_on(editor_client):
    """Subscribing needs the person's own consent: the edit form offers only
    "unsubscribed" besides the current status, and refuses a forged "confirmed"."""
    invited = make_subscriber(
        email="invited@example.org", status=Subscriber.Status.INVITED, consent_given_at=None
    )
    url = f"/admin/snippets/newsletter/subscriber/edit/{invited.pk}/"
    form = soup(editor_client.get(url))
    offered = [option["value"] for option in form.select("select[name=status] option")]
    assert offered == ["invited", "unsubscribed"]

    refused = editor_client.post(url, {"status": "confirmed"})
    assert refused.status_code == 200
    invited.refresh_from_db()
    assert invited.status == "invited"

    editor_client.post(url, {"status": "unsubscribed"})
    invited.refresh_from_db()
    assert invited.status == "unsubscribed"
    assert invited.unsubscribed_at is not None and invited.status_changed_at is not None


@pytest.mark.django_db
def test_staff_cannot_type_in_a_subscriber(editor_client):
    """No consent would stand behind it: the listing offers no "Add" button and the
    add URL leads to the import of invited contacts instead."""
    listing = editor_client.get(BASE)
    assert f'href="{BASE}add/"' not in listing.content.decode()
    response = editor_client.post(
        f"{BASE}add/", {"email": "typed@example.org", "status": "confirmed"}
    )
    assert response.status_code == 302 and response.url == f"{BASE}import/"
    assert not Subscriber.objects.filter(email="typed@example.org").exists()
