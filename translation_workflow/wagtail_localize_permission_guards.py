"""WORKAROUND: per-locale limits for translators that wagtail-localize does not check.

wagtail-localize 1.14.5 checks only global permissions in its own views (submit, sync,
the translation editor, PO upload and download, machine translation, preview, stop),
and Wagtail's snippet permissions are global per model: a French translator, who
needs `home.change_partner` to translate partners, could edit the English or Dutch
partner. This module refuses "restricted translators" (translation_workflow.roles)
any request that touches a locale not theirs: through Wagtail's hooks where they
exist (run before wagtail-localize's, `GUARD_ORDER`), and by wrapping
wagtail-localize's views in their modules, at import, before Wagtail builds the admin
URLs. A URL name without a rule in LOCALE_CHECKS is refused (fail closed). Remove it
when wagtail-localize (and Wagtail's snippet permissions) check per locale. The why
of each choice: docs/translator-roles.md.
"""

import functools

from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.admin.widgets.button import Button
from wagtail.models import Locale, Page, TranslatableMixin
from wagtail.snippets.views.snippets import get_snippet_model_from_url_params
from wagtail_localize.models import Translation, TranslationSource
from wagtail_localize.views import (
    convert,
    edit_translation,
    submit_translations,
    update_translations,
)

from translation_workflow.roles import (
    is_restricted_translator,
    restricted_locale_ids,
    translator_locales,
)
from translation_workflow.wagtail_localize_po_upload import checked_po_upload

#: Run before wagtail-localize's hooks (order 0) and Wagtail's defaults.
GUARD_ORDER = -100


def deny_unless_allowed(user, locale_ids):
    """Raise PermissionDenied if `user` is a restricted translator and any of
    `locale_ids` is not one of their locales."""
    allowed = restricted_locale_ids(user)
    if allowed is not None and not set(locale_ids) <= allowed:
        raise PermissionDenied


# --- Wagtail's page and snippet views ---------------------------------------------------


@hooks.register("before_edit_page", order=GUARD_ORDER)
def guard_page_edit(request, page):
    deny_unless_allowed(request.user, [page.locale_id])


@hooks.register("before_edit_snippet", order=GUARD_ORDER)
def guard_snippet_edit(request, instance):
    if isinstance(instance, TranslatableMixin):
        deny_unless_allowed(request.user, [instance.locale_id])


@hooks.register("before_delete_snippet", order=GUARD_ORDER)
def guard_snippet_delete(request, instances):
    deny_unless_allowed(
        request.user, [obj.locale_id for obj in instances if isinstance(obj, TranslatableMixin)]
    )


@hooks.register("before_create_snippet", order=GUARD_ORDER)
def guard_snippet_create(request, model):
    if not issubclass(model, TranslatableMixin) or restricted_locale_ids(request.user) is None:
        return
    # The create view's locale: `?locale=<code>`, else the default one.
    code = request.GET.get("locale")
    locale = Locale.objects.filter(language_code=code).first() if code else Locale.get_default()
    deny_unless_allowed(request.user, [locale.pk if locale else None])


@hooks.register("filter_form_submissions_for_user", order=GUARD_ORDER)
def hide_form_submissions_from_translators(user, editable_forms):
    """Form submissions hold personal data: translators see none, in any language."""
    if is_restricted_translator(user):
        return editable_forms.none()
    return editable_forms


# --- wagtail-localize's own views ---------------------------------------------------------


def _posted_locale_ids(request):
    return [int(pk) for pk in request.POST.getlist("locales") if str(pk).isdigit()]


def _translation_target(request, translation_id, **kwargs):
    target = Translation.objects.filter(pk=translation_id).values_list(
        "target_locale_id", flat=True
    )
    return list(target)  # none: the view answers 404


def _page_locale(page_id):
    return list(Page.objects.filter(pk=page_id).values_list("locale_id", flat=True))


def _submitted(request, source_locale_ids):
    """The locales a submission touches: those posted, and the source's unless it is
    in the default (source) language, which a translator may translate from into
    their own languages."""
    default = Locale.get_default().pk
    return [pk for pk in source_locale_ids if pk != default] + _posted_locale_ids(request)


def _submit_page(request, page_id, **kwargs):
    return _submitted(request, _page_locale(page_id))


def _submit_snippet(request, app_label, model_name, pk, **kwargs):
    model = get_snippet_model_from_url_params(app_label, model_name)  # 404 if not a snippet
    source_locales = []
    if issubclass(model, TranslatableMixin):
        try:
            objects = model._default_manager.filter(pk=unquote(pk))
            source_locales = list(objects.values_list("locale_id", flat=True))
        except (ValueError, ValidationError):
            pass  # not a valid key: the view answers 404
    return _submitted(request, source_locales)


def _update_translations(request, translation_source_id, **kwargs):
    source = TranslationSource.objects.filter(pk=translation_source_id).first()
    if source is None:
        return []
    targets = source.translations.filter(enabled=True).values_list("target_locale_id", flat=True)
    return [source.locale_id, *targets]


def _convert_to_alias(request, page_id, **kwargs):
    return _page_locale(page_id)


#: URL name (`wagtail_localize:<name>`) → function(request, **URL kwargs) returning the
#: ids of the locales the request acts on.
LOCALE_CHECKS = {
    "edit_string_translation": _translation_target,
    "edit_override": _translation_target,
    "download_pofile": _translation_target,
    "upload_pofile": _translation_target,
    "machine_translate": _translation_target,
    "preview_translation": _translation_target,
    "stop_translation": _translation_target,
    "submit_page_translation": _submit_page,
    "submit_snippet_translation": _submit_snippet,
    "update_translations": _update_translations,
    "convert_to_alias": _convert_to_alias,
}

#: Where wagtail_localize/wagtail_hooks.py's `register_admin_urls` finds each view
#: (it reads these module attributes when Wagtail builds the admin URLs).
LOCALIZE_VIEWS = {
    "edit_string_translation": (edit_translation, "edit_string_translation"),
    "edit_override": (edit_translation, "edit_override"),
    "download_pofile": (edit_translation, "download_pofile"),
    "upload_pofile": (edit_translation, "upload_pofile"),
    "machine_translate": (edit_translation, "machine_translate"),
    "preview_translation": (edit_translation, "preview_translation"),
    "stop_translation": (edit_translation, "stop_translation"),
    "submit_page_translation": (submit_translations, "SubmitPageTranslationView"),
    "submit_snippet_translation": (submit_translations, "SubmitSnippetTranslationView"),
    "update_translations": (update_translations, "UpdateTranslationsView"),
    "convert_to_alias": (convert, "convert_to_alias"),
}

#: Views that change nothing and show nothing private: left as they are.
READ_ONLY_VIEWS = frozenset(
    {
        "javascript_catalog",
        "translations_report",
        "translations_report_results",
        "snippets_api_listing",
        "snippets_api_detail",
    }
)


def guard_view(view, url_name):
    """Wrap a view: refuse restricted translators a request that touches a locale not
    theirs. A `url_name` without an entry in LOCALE_CHECKS is refused (fail closed)."""

    @functools.wraps(view)  # keeps csrf_exempt & co. of DRF views
    def guarded(request, *args, **kwargs):
        if is_restricted_translator(request.user):
            check = LOCALE_CHECKS.get(url_name)
            if check is None:
                raise PermissionDenied
            deny_unless_allowed(request.user, check(request, **kwargs))
        return view(request, *args, **kwargs)

    guarded.translator_guard = url_name
    return guarded


def guard_view_class(cls, url_name):
    """A subclass of the class-based view `cls` whose `as_view()` is guarded and whose
    form, if it offers locales (the submit views), offers a translator only theirs."""

    class Guarded(cls):
        translator_guard = url_name

        def get_form(self, *args, **kwargs):
            form = super().get_form(*args, **kwargs)
            allowed = restricted_locale_ids(self.request.user)
            if allowed is not None and "locales" in getattr(form, "fields", {}):
                field = form.fields["locales"]
                field.queryset = field.queryset.filter(pk__in=allowed)
            return form

        @classmethod
        def as_view(klass, **initkwargs):
            return guard_view(super().as_view(**initkwargs), url_name)

    Guarded.__name__, Guarded.__qualname__ = cls.__name__, cls.__qualname__
    Guarded.__module__ = cls.__module__
    return Guarded


def guard_wagtail_localize_views():
    """Replace each view in LOCALIZE_VIEWS by its guarded version. Idempotent."""
    for url_name, (module, attribute) in LOCALIZE_VIEWS.items():
        view = getattr(module, attribute)
        if getattr(view, "translator_guard", None):
            continue
        if isinstance(view, type):
            setattr(module, attribute, guard_view_class(view, url_name))
        else:
            if url_name == "upload_pofile":
                # Validate the uploaded file too (a separate workaround, see there).
                view = checked_po_upload(view)
            setattr(module, attribute, guard_view(view, url_name))


# Runs when translation_workflow/wagtail_hooks.py imports this module, i.e. while
# Wagtail collects the hooks, which it does before it calls any `register_admin_urls`
# hook.
guard_wagtail_localize_views()


# --- The buttons wagtail-localize offers in listings ------------------------------------

_DONE_ATTR = "_translation_workflow_translations_done"


def _offered_to_translators(button_hook):
    """Wrap one of wagtail-localize's listing-button hooks: a restricted translator is
    offered "Translate" only where it leads somewhere they may go (an English source
    not yet translated into their language, that language preselected), and never
    "Sync" (it touches every language). Their button is built here, from one read per
    request: upstream's hook queries twice for each row of a listing."""

    @functools.wraps(button_hook)
    def offered(*args, **kwargs):
        named = dict(zip(("obj", "user"), args, strict=False))
        obj = kwargs.get("page") or kwargs.get("snippet") or named.get("obj")
        user = kwargs.get("user") or named.get("user")
        if restricted_locale_ids(user) is None:
            return button_hook(*args, **kwargs)
        return _translate_button(obj, user)

    offered.translator_guard = "listing buttons"
    return offered


def _translate_button(obj, user):
    """wagtail-localize's "Translate" button for a restricted translator, or none."""
    if not user.has_perm("wagtail_localize.submit_translation"):
        return []
    if isinstance(obj, Page) and obj.is_root():
        return []
    own = _own_untranslated_locale(obj, user)
    if own is None:
        return []
    preselected = f"?select_locale={own.language_code}"
    if isinstance(obj, Page):
        url = reverse("wagtail_localize:submit_page_translation", args=[obj.alias_of_id or obj.pk])
        label, priority, attrs = _("Translate this page"), 60, {}
    else:
        meta = type(obj)._meta
        url = reverse(
            "wagtail_localize:submit_snippet_translation",
            args=[meta.app_label, meta.model_name, quote(obj.pk)],
        )
        label, priority = _("Translate"), 100
        attrs = {"aria-label": _("Translate '%(title)s'") % {"title": str(obj)}}
    return [
        Button(
            label,
            url + preselected,
            attrs=attrs,
            priority=priority,
            icon_name="wagtail-localize-language",
        )
    ]


def _own_untranslated_locale(obj, user):
    """The translator's locale in which `obj` (a page or its alias, or a snippet) is
    not yet translated from the default language, or None."""
    memo = _translations_done(obj, user)
    done = memo["by_key"][obj.translation_key]
    # Only an English original is offered: a page or snippet whose English version
    # is real (not an alias), seen from that version or one of its aliases.
    from_english = memo["default"] in done and (
        obj.locale_id == memo["default"] or getattr(obj, "alias_of_id", None)
    )
    if not from_english:
        return None
    missing = [locale for locale in translator_locales(user) if locale.pk not in done]
    return min(missing, key=lambda locale: locale.pk, default=None)


def _translations_done(obj, user):
    """{"default": the default locale's id, "by_key": {translation key: ids of the
    locales with a real (non-alias) version}} for `obj` and the objects listed with
    it (its siblings; every snippet of its model), read once per request: kept on the
    request's user object, as roles.translator_locales does."""
    memo = getattr(user, _DONE_ATTR, None)
    if memo is None:
        memo = {"default": Locale.get_default().pk, "by_key": {}}
        setattr(user, _DONE_ATTR, memo)
    if obj.translation_key not in memo["by_key"]:
        if isinstance(obj, Page):
            listed = Page.objects.filter(
                path__startswith=obj.path[: -Page.steplen], depth=obj.depth
            ).values("translation_key")
            rows = Page.objects.filter(translation_key__in=listed, alias_of__isnull=True)
        else:
            rows = type(obj)._default_manager.all()
        memo["by_key"].setdefault(obj.translation_key, set())
        for key, locale_id in rows.values_list("translation_key", "locale_id"):
            memo["by_key"].setdefault(key, set()).add(locale_id)
    return memo


def guard_listing_buttons():
    """Replace wagtail-localize's listing-button hooks by their guarded versions."""
    from wagtail_localize import wagtail_hooks as localize_hooks  # registers them

    names = (
        "register_page_header_buttons",
        "register_page_listing_more_buttons",
        "register_snippet_listing_buttons",
    )
    for name in names:
        registered = hooks._hooks.get(name, [])
        for index, (fn, order) in enumerate(registered):
            if fn.__module__ == localize_hooks.__name__:
                registered[index] = (_offered_to_translators(fn), order)


guard_listing_buttons()
