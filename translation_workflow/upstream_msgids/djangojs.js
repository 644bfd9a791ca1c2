// Upstream msgids this project's `djangojs` catalogue translates anew. Never served:
// it is here so that `make messages` (makemessages -d djangojs) keeps these entries
// in locale/*/LC_MESSAGES/djangojs.po, where they override wagtail-localize's own
// (Django reads LOCALE_PATHS first). Why each one: docs/translation.md.

// wagtail-localize: its French and Dutch drop the trailing space ("Publier dansFrançais").
gettext("Publish in ");

// wagtail-localize, with a language name for %s: French "Utiliser la version anglais"
// (an order, and the adjective's form); Dutch "Ga terug naar Engelsversie" (glued).
gettext("Uses %s version");
gettext("Revert to %s version");
