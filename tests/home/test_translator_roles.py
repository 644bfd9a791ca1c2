"""Translator roles: French and Dutch translators work on their language only.

Checked through the admin, as a translator gets it: Wagtail answers a refused
admin page with a redirect to the dashboard ("Sorry, you do not have permission"),
and with 403 when the request is an XMLHttpRequest (as the translation editor's own
calls are). The demo's French and Dutch pages are wagtail-localize translations, so
editing one opens wagtail-localize's translation editor.
"""

import io
from urllib.parse import urlencode

import polib
import pytest
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import resolve, reverse
from django.urls.converters import IntConverter
from wagtail.models import GroupCollectionPermission, GroupPagePermission, Page
from wagtail_localize import wagtail_hooks as localize_hooks
from wagtail_localize.models import StringTranslation, Translation, TranslationSource

from home.models import FormPage, Partner, StandardPage
from tests.admin_forms import page_form, rich_text, streamfield
from tests.helpers import demo_page, text_of
from tests.translation_publishing import new_english_story, page_in
from translation_workflow import wagtail_localize_permission_guards as guards
from translation_workflow.roles import (
    TRANSLATOR_GROUPS,
    is_restricted_translator,
    setup_translator_roles,
    translator_locales,
)

pytestmark = pytest.mark.django_db

OTHER = {"fr": "nl", "nl": "fr"}
XHR = {"x-requested-with": "XMLHttpRequest"}
EDITOR_TEMPLATE = "wagtail_localize/admin/edit_translation.html"


# --- Helpers ------------------------------------------------------------------------------


def refused(response):
    """Wagtail's admin answer to PermissionDenied: 403, or back to the dashboard."""
    return response.status_code == 403 or (
        response.status_code == 302 and response.url == reverse("wagtailadmin_home")
    )


def localized(obj, locale):
    """`obj`'s version in `locale` as an enabled wagtail-localize translation (made if
    missing or still an alias), with its Translation."""
    source, _ = TranslationSource.get_or_create_from_instance(obj)
    translation, created = Translation.objects.get_or_create(source=source, target_locale=locale)
    target = obj.get_translation_or_none(locale)
    if created or not translation.enabled or target is None or getattr(target, "alias_of_id", 0):
        translation.enabled = True
        translation.save()
        translation.save_target(publish=True)
    return obj.get_translation(locale), translation


def title_segment(translation, path="title"):
    return translation.source.stringsegment_set.get(context__path=path)


def translated_string(translation, segment):
    found = StringTranslation.objects.filter(
        translation_of_id=segment.string_id,
        locale_id=translation.target_locale_id,
        context_id=segment.context_id,
    ).first()
    return found.data if found else None


def put_string(client, translation, segment, value):
    url = reverse("wagtail_localize:edit_string_translation", args=(translation.pk, segment.pk))
    return client.put(
        url,
        urlencode({"value": value}),
        content_type="application/x-www-form-urlencoded",
        headers=XHR,
    )


def edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=(page.pk,))


def partner_edit_url(partner):
    return reverse("wagtailsnippets_home_partner:edit", args=(partner.pk,))


@pytest.fixture
def about(locales):
    return StandardPage.objects.get(slug="about", locale=locales["en"])


def role_snapshot():
    groups = Group.objects.filter(name__in=[*TRANSLATOR_GROUPS.values(), "Editors"])
    return {
        "groups": sorted(groups.values_list("name", flat=True)),
        "model": sorted(groups.values_list("name", "permissions__codename")),
        "pages": sorted(
            GroupPagePermission.objects.filter(group__in=groups).values_list(
                "group__name", "page_id", "permission__codename"
            )
        ),
        "collections": sorted(
            GroupCollectionPermission.objects.filter(group__in=groups).values_list(
                "group__name", "collection_id", "permission__codename"
            )
        ),
    }


# --- Set-up -------------------------------------------------------------------------------


def test_setup_is_idempotent_and_grants_the_role(locales):
    # load_demo already ran it: running it again changes nothing.
    before = role_snapshot()
    assert setup_translator_roles() == []
    assert setup_translator_roles() == []
    assert role_snapshot() == before

    # From scratch (groups gone), twice: the same result as load_demo's.
    Group.objects.filter(name__in=TRANSLATOR_GROUPS.values()).delete()
    assert setup_translator_roles()
    assert setup_translator_roles() == []
    assert role_snapshot() == before

    for language, name in TRANSLATOR_GROUPS.items():
        home = Page.objects.get(depth=2, locale=locales[language])
        assert sorted(
            GroupPagePermission.objects.filter(group__name=name).values_list(
                "page_id", "permission__codename"
            )
        ) == [(home.pk, "change_page"), (home.pk, "publish_page")]
        assert sorted(
            Group.objects.get(name=name).permissions.values_list("codename", flat=True)
        ) == [
            "access_admin",
            "change_footer",
            "change_mainmenu",
            "change_partner",
            "change_person",
            "submit_translation",
        ]
    assert Group.objects.get(name="Editors").permissions.filter(codename="submit_translation")


def test_setup_gives_editors_the_submit_permission_back():
    editors = Group.objects.get(name="Editors")
    editors.permissions.remove(Permission.objects.get(codename="submit_translation"))
    assert "Editors: granted submit_translation" in setup_translator_roles()
    assert editors.permissions.filter(codename="submit_translation").exists()


def test_the_command_reports_what_it_did():
    Group.objects.filter(name="Translators (Dutch)").delete()
    out = io.StringIO()
    call_command("setup_translator_roles", stdout=out)
    assert "created group 'Translators (Dutch)'" in out.getvalue()
    out = io.StringIO()
    call_command("setup_translator_roles", stdout=out)
    assert out.getvalue().strip() == "Translator roles already up to date."


def test_translator_locales_are_cached_per_user_object(
    make_user, locales, django_assert_num_queries
):
    user = make_user("t", "Translators (French)")
    assert translator_locales(user) == {locales["fr"]}
    with django_assert_num_queries(0):
        assert translator_locales(user) == {locales["fr"]}
        assert is_restricted_translator(user)
    assert translator_locales(make_user("nobody")) == frozenset()
    assert not is_restricted_translator(make_user("ed", "Editors", "Translators (French)"))
    assert not is_restricted_translator(make_user("su", "Translators (Dutch)", is_superuser=True))


# --- Pages --------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_translator_edits_and_publishes_their_language_only(
    as_translator, about, locales, language
):
    page, translation = localized(about, locales[language])
    other, _ = localized(about, locales[OTHER[language]])
    client = as_translator(language)

    assert refused(client.get(edit_url(about)))
    assert refused(client.get(edit_url(other)))
    assert refused(client.post(edit_url(other), {"action": "publish"}))

    # Their page opens in wagtail-localize's translation editor ...
    response = client.get(edit_url(page))
    assert response.status_code == 200
    assert EDITOR_TEMPLATE in [t.name for t in response.templates]

    # ... where they translate the title and publish.
    new_title = f"Titre publié par le traducteur ({language})"
    response = put_string(client, translation, title_segment(translation), new_title)
    assert response.status_code in {200, 201}
    response = client.post(edit_url(page), {"action": "publish"})
    assert response.status_code == 302
    assert response.url == edit_url(page)
    page.refresh_from_db()
    assert page.title == new_title
    assert page.live
    assert new_title in text_of(Client().get(page.url))
    # English and the other language are untouched.
    assert StandardPage.objects.get(pk=about.pk).title == "About"
    assert StandardPage.objects.get(pk=other.pk).title != new_title


def test_a_translator_can_stop_syncing_and_publish_with_the_plain_editor(
    as_translator, about, locales
):
    """After "stop translation" the French page is an ordinary page: the normal edit
    form, posted with action-publish."""
    page, translation = localized(about, locales["fr"])
    client = as_translator("fr")
    stop = reverse("wagtail_localize:stop_translation", args=(translation.pk,))
    assert client.post(stop, {"next": edit_url(page)}).url == edit_url(page)

    response = client.get(edit_url(page))
    assert response.status_code == 200
    assert EDITOR_TEMPLATE not in [t.name for t in response.templates]
    form = page_form(
        {
            "title": "À propos (édité à la main)",
            "slug": page.slug,
            "introduction": "Présentation.",
            "body": streamfield([("paragraph", rich_text("<p>Texte.</p>"))]),
        }
    )
    response = client.post(edit_url(page), form)
    assert response.status_code == 302, response.content[:2000]
    page.refresh_from_db()
    assert page.title == "À propos (édité à la main)"
    assert "À propos (édité à la main)" in text_of(Client().get(page.url))


# --- wagtail-localize's own views ---------------------------------------------------------


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_localize_views_are_refused_for_the_other_language(as_translator, about, locales, language):
    _, own = localized(about, locales[language])
    other_page, other = localized(about, locales[OTHER[language]])
    client = as_translator(language)
    segment = title_segment(other)
    before = translated_string(other, segment)

    def url(name, translation):
        return reverse(f"wagtail_localize:{name}", args=(translation.pk,))

    # Download: refused for the other language, a PO file for their own.
    assert client.get(url("download_pofile", other), headers=XHR).status_code == 403
    response = client.get(url("download_pofile", own))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/x-gettext-translation"

    # Upload a valid PO file for the other language: refused, nothing imported.
    po = other.export_po()
    for entry in po:
        if entry.msgctxt == "title":
            entry.msgstr = "Injected"
    upload = SimpleUploadedFile("x.po", str(po).encode(), content_type="text/x-gettext-translation")
    response = client.post(
        url("upload_pofile", other), {"file": upload, "next": edit_url(other_page)}, headers=XHR
    )
    assert response.status_code == 403
    assert translated_string(other, segment) == before

    # The translation editor's API, preview, stop, machine translation: refused.
    assert put_string(client, other, segment, "Injected").status_code == 403
    assert client.get(url("preview_translation", other), headers=XHR).status_code == 403
    assert client.post(url("stop_translation", other), headers=XHR).status_code == 403
    assert client.post(url("machine_translate", other), headers=XHR).status_code == 403
    other.refresh_from_db()
    assert other.enabled
    assert translated_string(other, segment) == before

    # Submitting into another language, and syncing (which touches every language):
    # refused.
    submit = reverse("wagtail_localize:submit_page_translation", args=(about.pk,))
    assert refused(client.post(submit, {"locales": [locales[OTHER[language]].pk]}))
    assert refused(client.post(submit, {"locales": [locales["fr"].pk, locales["nl"].pk]}))
    sync = reverse("wagtail_localize:update_translations", args=(own.source_id,))
    assert refused(client.post(sync, {"publish_translations": "on"}))
    convert = reverse("wagtail_localize:convert_to_alias", args=(other_page.pk,))
    assert refused(client.post(convert))
    assert Page.objects.get(pk=other_page.pk).alias_of_id is None


def test_po_upload_works_for_their_own_language(as_translator, about, locales):
    page, own = localized(about, locales["fr"])
    client = as_translator("fr")
    download = reverse("wagtail_localize:download_pofile", args=(own.pk,))
    po = polib.pofile(client.get(download).content.decode())
    for entry in po:
        if entry.msgctxt == "title":
            entry.msgstr = "À propos, version PO"
    upload = SimpleUploadedFile("fr.po", str(po).encode())
    response = client.post(
        reverse("wagtail_localize:upload_pofile", args=(own.pk,)),
        {"file": upload, "next": edit_url(page)},
    )
    assert response.url == edit_url(page)
    assert translated_string(own, title_segment(own)) == "À propos, version PO"


def test_a_translator_submits_an_english_page_into_their_own_language_only(
    as_translator, client, locales
):
    """Translators hold `submit_translation`: the form offers their language only, a
    post into it starts the translation; the source must be English, and another
    language's translation cannot be started."""
    client = as_translator("fr")
    story = new_english_story()
    submit = reverse("wagtail_localize:submit_page_translation", args=(story.pk,))
    form = client.get(submit)
    assert form.status_code == 200
    offered = [str(locale) for locale in form.context["form"].fields["locales"].queryset]
    assert offered == [str(locales["fr"])]
    assert refused(client.post(submit, {"locales": [locales["nl"].pk]}))
    assert not Translation.objects.filter(
        source__object_id=story.translation_key, target_locale=locales["nl"]
    ).exists()
    response = client.post(submit, {"locales": [locales["fr"].pk]})
    assert response.status_code == 302
    assert Translation.objects.filter(
        source__object_id=story.translation_key, target_locale=locales["fr"], enabled=True
    ).exists()
    # A French page is not a source a French translator may translate from.
    french = page_in(story, "fr")
    from_french = reverse("wagtail_localize:submit_page_translation", args=(french.pk,))
    assert refused(client.post(from_french, {"locales": [locales["nl"].pk]}))


def test_every_wagtail_localize_url_goes_through_the_guard():
    """Each wagtail-localize admin URL that is not read-only resolves to a guarded
    view: an upgrade that adds or renames a view fails here until it is reviewed."""
    (resolver,) = localize_hooks.register_admin_urls()
    names = set()
    for pattern in resolver.url_patterns:
        kwargs = {
            key: 1 if isinstance(converter, IntConverter) else "x"
            for key, converter in pattern.pattern.converters.items()
        }
        url = reverse(f"wagtail_localize:{pattern.name}", kwargs=kwargs)
        match = resolve(url)
        assert match.namespace == "wagtail_localize"
        if pattern.name not in guards.READ_ONLY_VIEWS:
            assert getattr(match.func, "translator_guard", None) == pattern.name, url
        names.add(pattern.name)
    assert names == set(guards.LOCALE_CHECKS) | guards.READ_ONLY_VIEWS
    assert set(guards.LOCALIZE_VIEWS) == set(guards.LOCALE_CHECKS)


def test_guarding_twice_changes_nothing():
    before = {name: getattr(*where) for name, where in guards.LOCALIZE_VIEWS.items()}
    guards.guard_wagtail_localize_views()
    assert {name: getattr(*where) for name, where in guards.LOCALIZE_VIEWS.items()} == before


def test_an_unclassified_view_is_refused_to_translators_only(make_user):
    view = guards.guard_view(lambda request: HttpResponse("ok"), "some_new_upstream_view")
    request = RequestFactory().get("/")
    request.user = make_user("t", "Translators (French)")
    with pytest.raises(PermissionDenied):
        view(request)
    request.user = make_user("e", "Editors")
    assert view(request).status_code == 200


# --- Snippets -----------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_translator_edits_their_languages_partner_only(as_translator, locales, language):
    english = Partner.objects.get(name="CAW Antwerpen", locale=locales["en"])
    own, own_translation = localized(english, locales[language])
    other, other_translation = localized(english, locales[OTHER[language]])
    client = as_translator(language)
    # wagtail-localize and Wagtail would both let them (the permission is global) ...
    assert Group.objects.get(name=TRANSLATOR_GROUPS[language]).permissions.filter(
        codename="change_partner"
    )

    # ... the guard does not.
    assert refused(client.get(partner_edit_url(english)))
    assert refused(client.get(partner_edit_url(other)))
    assert refused(client.post(partner_edit_url(other), {"action": "publish"}))
    segment = title_segment(other_translation, "name")
    assert put_string(client, other_translation, segment, "Injected").status_code == 403
    pofile = reverse("wagtail_localize:download_pofile", args=(other_translation.pk,))
    assert client.get(pofile, headers=XHR).status_code == 403
    delete = reverse("wagtailsnippets_home_partner:delete", args=(own.pk,))
    assert refused(client.post(delete))
    add = reverse("wagtailsnippets_home_partner:add") + f"?locale={language}"
    assert refused(client.get(add))

    response = client.get(partner_edit_url(own))
    assert response.status_code == 200
    assert EDITOR_TEMPLATE in [t.name for t in response.templates]
    segment = title_segment(own_translation, "name")
    response = put_string(client, own_translation, segment, "CAW Antwerpen (traduit)")
    assert response.status_code in {200, 201}
    assert client.post(partner_edit_url(own), {"action": "publish"}).status_code == 302
    assert Partner.objects.get(pk=own.pk).name == "CAW Antwerpen (traduit)"
    assert Partner.objects.get(pk=other.pk).name != "CAW Antwerpen (traduit)"
    assert Partner.objects.get(pk=english.pk).name == "CAW Antwerpen"


# --- Settings and form submissions --------------------------------------------------------


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_translators_see_no_settings_and_no_form_submissions(as_translator, locales, language):
    surveys = FormPage.objects.filter(translation_key=demo_page("survey").translation_key)
    assert {s.locale.language_code for s in surveys} == {"en", "fr", "nl"}
    for survey in surveys:
        survey.get_submission_class().objects.create(
            page=survey,
            form_data={"email": "someone@example.org"},
            consent_text="I agree.",
            consent_version="test",
            consent_given_at="2026-11-01T10:00:00Z",
        )
    client = as_translator(language)

    # The settings URL first redirects to the setting's own edit URL, which refuses.
    response = client.get(reverse("wagtailsettings:edit", args=("home", "contactsettings")))
    assert refused(client.get(response.url) if response.status_code == 302 else response)
    response = client.get(
        reverse("wagtailsettings:edit", args=("home", "contactsettings")), follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("wagtailadmin_home")
    assert b"+32 2 287 74 35" not in response.content

    listing = client.get(reverse("wagtailforms:index"))
    assert listing.status_code == 200
    for survey in surveys:
        assert survey.title not in listing.content.decode()
        submissions = reverse("wagtailforms:list_submissions", args=(survey.pk,))
        assert refused(client.get(submissions))
        assert refused(client.get(submissions + "?export=csv"))
        assert b"someone@example.org" not in client.get(submissions, follow=True).content


# --- Who is not restricted ----------------------------------------------------------------


@pytest.mark.parametrize("kind", ["superuser", "editor"])
def test_superusers_and_editors_are_not_restricted(client, make_user, about, locales, kind):
    if kind == "superuser":
        user = make_user("boss", is_superuser=True, is_staff=True)
    else:
        # An editor who is also in a translator group: still not limited to French.
        user = make_user("comms", "Editors", "Translators (French)")
    client.force_login(user)
    dutch, translation = localized(about, locales["nl"])
    english_partner = Partner.objects.get(name="CAW Antwerpen", locale=locales["en"])
    dutch_partner, _ = localized(english_partner, locales["nl"])
    survey = demo_page("survey", "nl")

    assert client.get(edit_url(about)).status_code == 200
    assert client.get(edit_url(dutch)).status_code == 200
    pofile = reverse("wagtail_localize:download_pofile", args=(translation.pk,))
    assert client.get(pofile).status_code == 200
    assert client.get(partner_edit_url(english_partner)).status_code == 200
    assert client.get(partner_edit_url(dutch_partner)).status_code == 200
    submit = reverse("wagtail_localize:submit_page_translation", args=(about.pk,))
    assert client.get(submit).status_code == 200
    sync = reverse("wagtail_localize:update_translations", args=(translation.source_id,))
    assert client.get(sync).status_code == 200
    submissions = reverse("wagtailforms:list_submissions", args=(survey.pk,))
    assert client.get(submissions).status_code == 200
