"""Translator roles: one group per target language, limited to that language.

Members of "Translators (French)" edit and publish the French tree (/fr/) and the
French versions of the translatable snippets; members of "Translators (Dutch)" the
same for Dutch. They cannot edit the English source, the other language, the
language-neutral settings, or see form submissions (personal data). Communications
staff use Wagtail's own "Editors" group and submit and sync translations.

Wagtail's page permissions are per subtree, so granting them on a locale's home
page is enough for pages. Snippet permissions are global per model, and
wagtail-localize checks only global permissions in its views: the per-locale part
of those is enforced by `translation_workflow.wagtail_localize_permission_guards`.

Page permissions point at pages, which a fresh database does not have, so this is
not a data migration: `setup_translator_roles()` runs after the locale roots exist
(at the end of `load_demo`, or with `manage.py setup_translator_roles`), and can be
run again at any time.
"""

from django.contrib.auth import get_permission_codename
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    Locale,
    Page,
    Site,
    TranslatableMixin,
)
from wagtail.snippets.models import get_snippet_models

#: Language code → name of the group whose members translate into that language.
TRANSLATOR_GROUPS = {
    "fr": "Translators (French)",
    "nl": "Translators (Dutch)",
}

#: Wagtail's own groups (created by its migrations). Their members are trusted
#: across languages: they are never restricted as translators.
EDITORS_GROUP = "Editors"
UNRESTRICTED_GROUPS = frozenset({EDITORS_GROUP, "Moderators"})

#: Granted on the locale's home page, so on its whole tree.
PAGE_PERMISSIONS = ("change_page", "publish_page")

_GROUP_NAMES_ATTR = "_translator_roles_group_names"
_LOCALES_ATTR = "_translator_roles_locales"


# --- Who is a translator -----------------------------------------------------------


def _group_names(user):
    """The names of the user's groups, fetched once per user object (so once per
    request: Django loads `request.user` afresh for each request)."""
    names = getattr(user, _GROUP_NAMES_ATTR, None)
    if names is None:
        if user.is_authenticated:
            names = frozenset(user.groups.values_list("name", flat=True))
        else:
            names = frozenset()
        setattr(user, _GROUP_NAMES_ATTR, names)
    return names


def translator_locales(user):
    """The locales `user` may translate into, from their translator groups.

    A frozenset of `Locale` objects, empty for anyone in no translator group
    (superusers and editors included: they are not limited to any locale, see
    `is_restricted_translator`). Cached on the user object, so once per request.
    """
    locales = getattr(user, _LOCALES_ATTR, None)
    if locales is None:
        codes = [code for code, name in TRANSLATOR_GROUPS.items() if name in _group_names(user)]
        locales = (
            frozenset(Locale.objects.filter(language_code__in=codes)) if codes else frozenset()
        )
        setattr(user, _LOCALES_ATTR, locales)
    return locales


def is_restricted_translator(user):
    """Whether `user` is limited to their translator locales: a member of a
    translator group who is neither a superuser nor in Editors or Moderators."""
    if not user.is_authenticated or user.is_superuser:
        return False
    names = _group_names(user)
    if names & UNRESTRICTED_GROUPS:
        return False
    return bool(names & set(TRANSLATOR_GROUPS.values()))


def restricted_locale_ids(user):
    """The ids of the locales a restricted translator may touch, or None when `user`
    is not restricted (superuser, editor, moderator, or no translator at all)."""
    if not is_restricted_translator(user):
        return None
    return frozenset(locale.pk for locale in translator_locales(user))


# --- Setting the roles up --------------------------------------------------------------


def _permission(app_label, codename):
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def translatable_snippet_models():
    """Snippet models wagtail-localize can translate: a translator may change each of
    them (in their language only: see the guards)."""
    return [model for model in get_snippet_models() if issubclass(model, TranslatableMixin)]


def _snippet_change_permission(model):
    return Permission.objects.get(
        content_type=ContentType.objects.get_for_model(model),
        codename=get_permission_codename("change", model._meta),
    )


def locale_home_page(locale):
    """The home page of `locale`: the default site's root page in that language,
    else the locale's top-level page (the tree root's child)."""
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is not None:
        home = site.root_page.get_translation_or_none(locale)
        if home is not None:
            return home
    return Page.objects.filter(depth=2, locale=locale).order_by("path").first()


@transaction.atomic
def setup_translator_roles():
    """Create or complete the translator groups and their permissions. Idempotent.

    Adds what is missing and removes nothing: permissions an administrator gave a
    translator group beyond the role are reported (as "warning: …" lines), not
    revoked. Returns the list of what it did, one line each.
    """
    done = []
    access_admin = _permission("wagtailadmin", "access_admin")
    page_permissions = [_permission("wagtailcore", codename) for codename in PAGE_PERMISSIONS]
    snippet_permissions = [
        _snippet_change_permission(model) for model in translatable_snippet_models()
    ]
    choose_image = _permission("wagtailimages", "choose_image")
    root_collection = Collection.get_first_root_node()
    # submit_translation: a translator starts the translation of an English page or
    # snippet into their own language (the guards refuse any other).
    submit_translation = _permission("wagtail_localize", "submit_translation")
    role_permissions = {access_admin, submit_translation, *snippet_permissions}

    for code, group_name in TRANSLATOR_GROUPS.items():
        group, created = Group.objects.get_or_create(name=group_name)
        if created:
            done.append(f"created group {group_name!r}")

        missing = role_permissions - set(group.permissions.all())
        if missing:
            group.permissions.add(*missing)
            codenames = ", ".join(sorted(p.codename for p in missing))
            done.append(f"{group_name}: granted {codenames}")
        extra = set(group.permissions.all()) - role_permissions
        if extra:
            codenames = ", ".join(sorted(p.codename for p in extra))
            done.append(f"warning: {group_name} also holds {codenames} (left in place)")

        if root_collection is not None:
            _, created = GroupCollectionPermission.objects.get_or_create(
                group=group, collection=root_collection, permission=choose_image
            )
            if created:
                done.append(f"{group_name}: granted choose_image on all collections")

        locale = Locale.objects.filter(language_code=code).first()
        home = locale_home_page(locale) if locale else None
        if home is None:
            done.append(f"warning: no {code!r} home page yet, {group_name} has no page rights")
            continue
        for permission in page_permissions:
            _, created = GroupPagePermission.objects.get_or_create(
                group=group, page=home, permission=permission
            )
            if created:
                done.append(
                    f"{group_name}: granted {permission.codename} on the {code} home page "
                    f"“{home.title}” (id {home.pk}) and below"
                )
        elsewhere = GroupPagePermission.objects.filter(group=group).exclude(page=home)
        for grant in elsewhere.select_related("page", "permission"):
            done.append(
                f"warning: {group_name} also holds {grant.permission.codename} on "
                f"“{grant.page.title}” (id {grant.page_id}) (left in place)"
            )

    editors = Group.objects.filter(name=EDITORS_GROUP).first()
    if editors is None:
        done.append(f"warning: no {EDITORS_GROUP!r} group: cannot grant submit_translation")
    elif not editors.permissions.filter(pk=submit_translation.pk).exists():
        editors.permissions.add(submit_translation)
        done.append(f"{EDITORS_GROUP}: granted submit_translation")
    return done
