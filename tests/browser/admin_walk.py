"""The translators of the admin-language walk (test_admin_language.py), made by server.py.

One translator per language, whose Wagtail admin is in that language, and the ids of
the pages the walk opens, written to a JSON file the test reads.
"""

import json

PASSWORD = "translator-password"
LANGUAGES = ("fr", "nl")
# Their interview opens in the translation editor, their video (whose translation is
# stopped) in Wagtail's page editor. English slugs: the translations have their own.
STORIES = ("women-diaspora-4dev-academy-interviews", "women-diaspora-4dev-academy-video")


def username(language):
    return f"translator-{language}"


def prepare_translators(path):
    """Create the translators and write {language: {name: page id}} to `path`.

    One translation per language is stopped (as a translator does with "Stop
    Synced translation"), so that its page opens in Wagtail's own page editor
    rather than in wagtail-localize's translation editor.
    """
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from wagtail.models import Locale
    from wagtail.users.models import UserProfile
    from wagtail_localize.models import Translation

    from home.models import StandardPage
    from stories.models import StoryPage
    from translation_workflow.roles import TRANSLATOR_GROUPS, locale_home_page

    english = Locale.objects.get(language_code="en")
    stories = [StoryPage.objects.get(locale=english, slug=slug) for slug in STORIES]
    untranslated = locale_home_page(english).add_child(
        instance=StandardPage(title="Not yet translated", slug="not-yet-translated")
    )
    ids = {}
    for language in LANGUAGES:
        user = get_user_model().objects.create_user(
            username(language), f"{username(language)}@example.org", PASSWORD
        )
        user.groups.add(Group.objects.get(name=TRANSLATOR_GROUPS[language]))
        profile = UserProfile.get_for_user(user)
        profile.preferred_language = language
        profile.save()

        locale = Locale.objects.get(language_code=language)
        interview, video = (story.get_translation(locale) for story in stories)
        Translation.objects.filter(
            source__object_id=video.translation_key, target_locale=locale
        ).update(enabled=False)
        alias = untranslated.copy_for_translation(locale, alias=True)
        ids[language] = {
            "home": locale_home_page(locale).pk,
            "translated": interview.pk,
            "own_page": video.pk,
            "alias": alias.pk,
        }
    with open(path, "w") as file:
        json.dump(ids, file)
