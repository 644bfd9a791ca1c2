"""Editors can open every editing screen: pages of every type, snippets, settings."""

import pytest
from django.urls import reverse
from wagtail.models import Page

from tests.admin_forms import field_errors


@pytest.mark.django_db
def test_every_page_type_opens_in_the_editor(editor_client):
    seen = set()
    for page in Page.objects.filter(depth__gt=1, locale__language_code="en").specific():
        model = type(page)
        if model in seen:
            continue
        seen.add(model)
        response = editor_client.get(reverse("wagtailadmin_pages:edit", args=(page.pk,)))
        assert response.status_code == 200, model
        assert field_errors(response) == []
        parent = page.get_parent()
        add = reverse(
            "wagtailadmin_pages:add",
            args=(model._meta.app_label, model._meta.model_name, parent.pk),
        )
        expected = 200 if model.can_create_at(parent) else 302  # singletons refuse a second
        assert editor_client.get(add).status_code == expected, model
    assert len(seen) == 14


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url_name",
    [
        "wagtailsnippets_home_partner:list",
        "wagtailsnippets_home_mainmenu:list",
        "wagtailsnippets_home_footer:list",
        "wagtailsnippets_stories_person:list",
        "wagtailimages:index",
        "wagtailredirects:index",
    ],
)
def test_snippet_image_and_redirect_listings_open(editor_client, url_name):
    assert editor_client.get(reverse(url_name)).status_code == 200


@pytest.mark.django_db
def test_contact_settings_open_and_show_the_demo_values(editor_client):
    response = editor_client.get(
        reverse("wagtailsettings:edit", args=("home", "contactsettings")), follow=True
    )
    assert response.status_code == 200
    assert "+32 2 287 74 35" in response.content.decode()


@pytest.mark.django_db
def test_relation_fields_offer_english_pages_only(editor_client):
    """A project's country list shows each country once (the English page), not three
    times; translations follow the English page."""
    from home.models import CountryPage, ProjectPage

    project = ProjectPage.objects.get(slug="iom-belgium-and-niger", locale__language_code="en")
    response = editor_client.get(reverse("wagtailadmin_pages:edit", args=(project.pk,)))
    form = response.context["form"]
    offered = list(form.fields["countries"].queryset)
    assert len(offered) == 15
    assert {page.locale.language_code for page in offered} == {"en"}
    assert CountryPage.objects.count() == 45
