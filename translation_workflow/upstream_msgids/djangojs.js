// Upstream msgids this project's `djangojs` catalogue translates anew. Never served:
// it is here so that `make messages` (makemessages -d djangojs) keeps these entries
// in locale/*/LC_MESSAGES/djangojs.po, where they override wagtail-localize's own
// (Django reads LOCALE_PATHS first). Why each one: docs/translation.md.

// wagtail-localize: its French and Dutch drop the trailing space ("Publier dansFrançais").
gettext("Publish in ");
