"""`make run PORT=8100` serves a site whose every absolute link carries :8100, and
the "send us your event" pages have hreflang alternates like every page.

The port reaches the settings as SITE_PORT (the Makefile exports it): development's
WAGTAILADMIN_BASE_URL follows it (emails), and `load_demo` moves the local Site to it
(canonical, og:url, sitemap, .ics, which Wagtail builds from the Site).
"""

import os
import re

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.core.management import call_command
from django.utils import translation
from wagtail.models import Site

from events.models import EventPage
from newsletter.issue_email import render_issue, version_for
from newsletter.models import NewsletterIssuePage
from tests.events.factories import form_data as registration_data
from tests.events.factories import make_event, register_url
from tests.helpers import demo_url
from tests.test_security import manage

HOST = "127.0.0.1:8100"
BASE = f"http://{HOST}/"


def dev_env(**overrides):
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    env.pop("SITE_PORT", None)
    return {**env, "DJANGO_SETTINGS_MODULE": "diaspora_site.settings.dev", **overrides}


def test_development_settings_take_the_port_from_the_environment():
    show = "from django.conf import settings as s; print(s.WAGTAILADMIN_BASE_URL, s.SITE_PORT)"
    result = manage("shell", "--no-imports", "-c", show, env=dev_env(SITE_PORT="8100"))
    assert result.stdout.strip() == "http://127.0.0.1:8100 8100", result.stderr
    result = manage("shell", "--no-imports", "-c", show, env=dev_env())
    assert result.stdout.strip() == "http://127.0.0.1:8000 8000", result.stderr
    refused = manage("check", env=dev_env(SITE_PORT="eighty"))
    assert refused.returncode != 0 and "SITE_PORT must be a port number" in refused.stderr


@pytest.fixture
def port_8100(settings, db):
    settings.SITE_PORT = 8100
    settings.WAGTAILADMIN_BASE_URL = "http://127.0.0.1:8100"
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, HOST]
    call_command("load_demo", verbosity=0)  # as `make run PORT=8100` does


def absolute_links(html):
    return re.findall(r"https?://[^\s\"'<>]+", html)


@pytest.mark.django_db
def test_load_demo_moves_the_local_site_and_leaves_a_deployed_one(settings):
    settings.SITE_PORT = 8100
    call_command("load_demo", verbosity=0)
    assert Site.objects.get(is_default_site=True).port == 8100
    Site.objects.filter(is_default_site=True).update(hostname="diaspora.example.org", port=443)
    call_command("load_demo", verbosity=0)
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port) == ("diaspora.example.org", 443)


@pytest.mark.django_db
def test_canonical_og_url_sitemap_and_ics_carry_the_port(client, port_8100):
    page = BeautifulSoup(client.get(demo_url("about", "fr"), HTTP_HOST=HOST).content, "html.parser")
    assert page.select_one("link[rel=canonical]")["href"].startswith(BASE + "fr/")
    assert page.select_one("meta[property='og:url']")["content"].startswith(BASE + "fr/")
    alternates = [link["href"] for link in page.select("link[hreflang]")]
    assert alternates and all(url.startswith(BASE) for url in alternates)

    sitemap = client.get("/sitemap.xml", HTTP_HOST=HOST).content.decode()
    locations = re.findall(r"<loc>([^<]+)</loc>", sitemap)
    assert locations and all(url.startswith(BASE) for url in locations)

    event = EventPage.objects.live().filter(locale__language_code="en").first()
    ics = client.get(f"/en/events/{event.pk}/calendar.ics", HTTP_HOST=HOST).content.decode()
    assert f"URL:{BASE}en/" in ics.replace("\r\n ", "")


@pytest.mark.django_db
def test_emails_carry_the_port(client, port_8100, django_capture_on_commit_callbacks):
    origin = {"HTTP_HOST": HOST, "HTTP_ORIGIN": f"http://{HOST}"}
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/fr/newsletter/subscribe/",
            {"email": "lea@example.org", "language": "fr", "consent": "on", "website": ""},
            **origin,
        )
        event = make_event()
        client.post(register_url(event["fr"]), registration_data(), **origin)
    assert len(mail.outbox) == 2
    for message in mail.outbox:
        links = absolute_links(message.body)
        assert links and all(url.startswith(BASE) for url in links), links

    issue = NewsletterIssuePage.objects.get(locale__language_code="en", number=1)
    email = render_issue(version_for(issue, "fr"), "fr")
    own = [url for url in absolute_links(email.html) if "127.0.0.1" in url]
    assert own and all(url.startswith(BASE) for url in own)
    assert f'src="{BASE}media/' in email.html  # the images, in the admin's preview too


@pytest.mark.django_db
@pytest.mark.parametrize("view", ["propose/", "propose/thank-you/"])
def test_the_proposal_pages_have_hreflang_alternates(client, view):
    with translation.override("nl"):
        response = client.get(f"/nl/events/{view}")
    page = BeautifulSoup(response.content, "html.parser")
    alternates = {link["hreflang"]: link["href"] for link in page.select("link[hreflang]")}
    assert alternates == {
        "en": f"http://testserver/en/events/{view}",
        "fr": f"http://testserver/fr/events/{view}",
        "nl": f"http://testserver/nl/events/{view}",
        "x-default": f"http://testserver/en/events/{view}",
    }
