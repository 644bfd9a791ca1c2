"""`home.i18n.localized` gives the same answers as the ORM version it replaced.

`localized` picks each object's version in a locale with one small SQL statement
(cheap to compile); the version before it (kept here as `reference_localized`) said
the same with nested ORM subqueries. Both are asked about one tree that has every
case: translations, objects missing in a language, a Dutch alias, an unpublished
translation, originals in French and Dutch, snippets whose translation still falls
back to English (and one whose source itself is flagged), many-to-many relations,
ordered and empty querysets.
"""

import pytest
from django.conf import settings
from django.db.models import Q
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Page

from events.models import CallPage, EventPage
from home.i18n import chosen_versions, localized
from home.models import CountryPage, Partner, ProjectPage
from stories.models import Person, StoryPage

pytestmark = pytest.mark.django_db

LANGUAGES = ("en", "fr", "nl")


def reference_localized(queryset, locale_id):
    """`localized` as it was written with the ORM's subqueries (commit 61793fc)."""
    model = queryset.model
    manager = model._default_manager
    flags = any(field.name == "has_untranslated_text" for field in model._meta.fields)

    def complete(snippets):
        return snippets.filter(has_untranslated_text=False) if flags else snippets

    def sources(keys):
        language = get_supported_content_language_variant(settings.LANGUAGE_CODE)
        return manager.filter(translation_key__in=keys, locale__language_code=language)

    keys = queryset.values("translation_key")
    translated = manager.filter(translation_key__in=keys, locale_id=locale_id)
    if issubclass(model, Page):
        translated = translated.filter(live=True)
    translated = complete(translated)
    untranslated = queryset.exclude(translation_key__in=translated.values("translation_key"))
    if not flags:
        return manager.filter(
            Q(pk__in=translated.values("pk")) | Q(pk__in=untranslated.values("pk"))
        )
    falling_back = untranslated.filter(has_untranslated_text=True)
    return manager.filter(
        Q(pk__in=translated.values("pk"))
        | Q(pk__in=untranslated.filter(has_untranslated_text=False).values("pk"))
        | Q(pk__in=sources(falling_back.values("translation_key")).values("pk"))
    )


@pytest.fixture
def tree(locales):
    """The demo site, with every case `localized` must get right."""
    en, fr, nl = (locales[code] for code in LANGUAGES)
    partner = {p.name: p for p in Partner.objects.filter(locale=en)}
    names = sorted(partner)
    # No Dutch version.
    Partner.objects.get(translation_key=partner[names[0]].translation_key, locale=nl).delete()
    # A French translation still falling back to English.
    Partner.objects.filter(translation_key=partner[names[1]].translation_key, locale=fr).update(
        has_untranslated_text=True
    )
    # Falling back in French and Dutch; and a flagged source.
    Partner.objects.filter(translation_key=partner[names[2]].translation_key).exclude(
        locale=en
    ).update(has_untranslated_text=True)
    Partner.objects.filter(pk=partner[names[3]].pk).update(has_untranslated_text=True)
    french_only = Partner.objects.create(name="Seulement en français", locale=fr)
    dutch_flagged = Partner.objects.create(
        name="Alleen Nederlands", locale=nl, has_untranslated_text=True
    )
    # Pages: a Dutch version unpublished, another replaced by an alias of the English.
    rwanda = CountryPage.objects.get(country="RW", locale=en)
    niger = CountryPage.objects.get(country="NE", locale=en)
    Page.objects.filter(translation_key=niger.translation_key, locale=nl).update(live=False)
    dutch_rwanda = rwanda.get_translation(nl)
    Page.objects.filter(pk=dutch_rwanda.pk).update(alias_of=rwanda, title=f"{rwanda.title} (alias)")
    return {
        "en": en,
        "fr": fr,
        "nl": nl,
        "partners": [*partner.values(), french_only, dutch_flagged],
        "french_only": french_only,
        "dutch_flagged": dutch_flagged,
    }


def querysets(tree):
    """Querysets as the site's callers hand them to `localized`."""
    en, fr, nl = tree["en"], tree["fr"], tree["nl"]
    project = ProjectPage.objects.get(slug="iom-belgium-and-niger", locale=en)
    french_event = EventPage.objects.get(
        slug="rwanda-diaspora-info-session", locale=en
    ).get_translation(fr)
    call = CallPage.objects.filter(locale=nl).first()
    story = StoryPage.objects.filter(locale=fr, person__isnull=False).first()
    mixed_partners = [p.pk for p in Partner.objects.filter(locale__in=[fr, nl])[:6]]
    return {
        "every partner": Partner.objects.all(),
        "english partners": Partner.objects.filter(locale=en),
        "french and dutch partners": Partner.objects.filter(pk__in=mixed_partners),
        "flagged partners": Partner.objects.filter(has_untranslated_text=True),
        "one french partner": Partner.objects.filter(pk=tree["french_only"].pk),
        "one flagged dutch partner": Partner.objects.filter(pk=tree["dutch_flagged"].pk),
        "no partner": Partner.objects.none(),
        "partners of no id": Partner.objects.filter(pk__in=[]),
        "a project's partners": project.partners.all(),
        "a project's funders": project.funders.all(),
        "a project's countries": project.countries.all(),
        "a french event's countries": french_event.countries.all(),
        "a french event's organisers": french_event.organisers.all(),
        "a dutch call's countries": call.countries.all(),
        "english countries": CountryPage.objects.filter(locale=en),
        "dutch countries (alias, unpublished)": CountryPage.objects.filter(locale=nl),
        "every country": CountryPage.objects.all(),
        "a project by id": ProjectPage.objects.filter(pk=project.pk),
        "pages of two types": Page.objects.filter(
            Q(pk__in=french_event.countries.values("pk")) | Q(pk=french_event.project_id)
        ),
        "a person by id": Person.objects.filter(pk=story.person_id),
        "every person": Person.objects.all(),
        "stories": StoryPage.objects.filter(locale=nl),
    }


def answers(queryset):
    return [(obj.pk, type(obj)) for obj in queryset.order_by("pk")]


@pytest.mark.parametrize("language", LANGUAGES)
def test_localized_answers_as_the_orm_version_did(tree, language, django_assert_max_num_queries):
    locale_id = tree[language].pk
    for name, queryset in querysets(tree).items():
        expected = answers(reference_localized(queryset, locale_id))
        with django_assert_max_num_queries(1):  # none for a queryset that holds nothing
            got = answers(localized(queryset, locale_id))
        assert got == expected, name


def test_the_fixture_has_the_cases_it_claims(tree):
    """Every case is reached: otherwise the comparison proves less than it says."""
    nl = tree["nl"].pk
    countries = CountryPage.objects.filter(locale=tree["en"])
    shown = {page.pk: page for page in localized(countries, nl)}
    assert any(page.alias_of_id for page in shown.values()), "the Dutch alias is shown"
    assert any(page.locale_id != nl for page in shown.values()), "English for the unpublished"
    en, fr = tree["en"].pk, tree["fr"].pk
    falling_back = Partner.objects.filter(locale=fr, has_untranslated_text=True)
    assert {p.locale_id for p in localized(falling_back, fr)} == {en}, "English in its place"
    assert tree["french_only"] in localized(Partner.objects.all(), nl), "kept: no other"
    flagged_source = Partner.objects.filter(locale=en, has_untranslated_text=True)
    assert list(localized(flagged_source, en)) == list(flagged_source)
    assert not localized(Partner.objects.filter(pk=tree["dutch_flagged"].pk), fr).exists()


@pytest.mark.parametrize("language", LANGUAGES)
def test_localized_chains_like_a_queryset(tree, language):
    """What callers do with the answer: order, fetch with a relation, take the first,
    filter, count."""
    locale_id = tree[language].pk
    project = ProjectPage.objects.get(slug="iom-belgium-and-niger", locale=tree["en"])
    for queryset in (project.partners.all(), project.countries.all(), Partner.objects.all()):
        new, old = localized(queryset, locale_id), reference_localized(queryset, locale_id)
        field = "title" if issubclass(queryset.model, Page) else "name"
        assert list(new.order_by(field, "pk")) == list(old.order_by(field, "pk"))
        assert new.first() == old.first()
        assert new.count() == old.count()
        assert list(new.filter(locale_id=locale_id)) == list(old.filter(locale_id=locale_id))
    logos = localized(project.partners.all(), locale_id).select_related("logo")
    assert [p.logo for p in logos] == [
        p.logo for p in reference_localized(project.partners.all(), locale_id)
    ]


def chosen(tree):
    """What pages choose, as `chosen_versions` takes it and as a queryset: many-to-many
    relations of pages in each language, ids of objects in each language, both."""
    en, fr, nl = tree["en"], tree["fr"], tree["nl"]
    project = ProjectPage.objects.get(slug="iom-belgium-and-niger", locale=en)
    event = EventPage.objects.get(slug="rwanda-diaspora-info-session", locale=en)
    french_event = event.get_translation(fr)
    call = CallPage.objects.filter(locale=nl).first()
    partners = [p.pk for p in tree["partners"]]
    people = [p.pk for p in Person.objects.all()]
    pages = [p.pk for p in Page.objects.filter(depth=3)]
    return [
        (Partner, {"relations": [(project, "partners")]}, project.partners.all()),
        (Partner, {"relations": [(project, "funders")]}, project.funders.all()),
        (Partner, {"relations": [(french_event, "organisers")]}, french_event.organisers.all()),
        (Partner, {"ids": partners}, Partner.objects.filter(pk__in=partners)),
        (
            Partner,
            {"relations": [(project, "partners"), (call, "organisers")], "ids": partners[:3]},
            Partner.objects.filter(
                Q(pk__in=project.partners.values("pk"))
                | Q(pk__in=call.organisers.values("pk"))
                | Q(pk__in=partners[:3])
            ),
        ),
        (Person, {"ids": people}, Person.objects.filter(pk__in=people)),
        (
            Page,
            {"relations": [(call, "countries")]},
            Page.objects.filter(pk__in=call.countries.values("pk")),
        ),
        (
            Page,
            {"relations": [(french_event, "countries")], "ids": [french_event.project_id, None]},
            Page.objects.filter(
                Q(pk__in=french_event.countries.values("pk")) | Q(pk=french_event.project_id)
            ),
        ),
        (Page, {"ids": pages}, Page.objects.filter(pk__in=pages)),
        (Page, {"ids": [None]}, Page.objects.none()),
        (Partner, {}, Partner.objects.none()),
    ]


@pytest.mark.parametrize("language", LANGUAGES)
def test_chosen_versions_are_those_localized_picks(tree, language, django_assert_max_num_queries):
    """The same objects, complete, in the same order (the model's own by default)."""
    locale_id = tree[language].pk
    for model, choice, queryset in chosen(tree):
        field = "title" if model is Page else "name"
        for order_by in (None, [field, "-pk"]):
            expected = localized(queryset, locale_id)
            expected = list(expected if order_by is None else expected.order_by(*order_by))
            with django_assert_max_num_queries(1):
                got = chosen_versions(model, locale_id, **choice, order_by=order_by)
            assert [(type(obj), obj.pk) for obj in got] == [
                (type(obj), obj.pk) for obj in expected
            ], (model, choice)
            assert [vars_of(obj) for obj in got] == [vars_of(obj) for obj in expected]


def test_chosen_versions_of_a_relation_held_in_memory(tree):
    """An editor's preview: the page's relation is what the form holds, not saved."""
    event = EventPage.objects.get(slug="rwanda-diaspora-info-session", locale=tree["en"])
    partners = list(Partner.objects.filter(locale=tree["en"]).exclude(organised_events=event)[:2])
    event.organisers.set(partners)
    got = chosen_versions(Partner, tree["fr"].pk, relations=[(event, "organisers")])
    expected = localized(Partner.objects.filter(pk__in=[p.pk for p in partners]), tree["fr"].pk)
    assert got == list(expected) and len(got) == 2


def vars_of(obj):
    return {field.attname: getattr(obj, field.attname) for field in obj._meta.concrete_fields}
