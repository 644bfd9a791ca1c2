"""Permissions proof: a French translator walks every admin URL.

Every URL pattern the admin registers (Wagtail, its contrib apps, wagtail-localize
and our own wagtail_hooks.py) is collected from the URL resolver under /admin/. Its
parameters are filled with ids of English, Dutch and French objects of the right
kind, and the French translator (the demo's "Translators (French)" group, nothing
else) GETs and POSTs each one:

- on English and Dutch objects, and on anything that is not a translator's business
  (settings, submissions, registrations, subscribers, users, workflows…), every
  answer must be a refusal: 403, 404, 405, or a redirect to the admin's dashboard
  with the "permission" message (or to the login);
- nothing may change: every table the walk could reach is compared before and after
  each URL (French rows aside, which the translator may change);
- no answer, refused or not, may show the personal data planted for the walk
  (a survey answer, a registration, a subscriber, an event proposal) or the
  English and Dutch drafts' text.

Views harmless for any admin user are listed in HARMLESS, one comment each; URLs
whose parameters cannot be filled in UNFILLABLE. A new admin URL in neither, whose
parameters the walk cannot fill, fails the test, so no admin URL is added unchecked.
Finally the French translator's own work is checked to be possible: the French page's
editor (wagtail-localize's translation editor), its strings API, and a French snippet.
"""

import re
from datetime import timedelta

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.contrib.messages import get_messages
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.resolvers import RoutePattern
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.admin.models import EditingSession
from wagtail.contrib.redirects.models import Redirect
from wagtail.contrib.search_promotions.models import Query, SearchPromotion
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import (
    Collection,
    Locale,
    Page,
    Site,
    TaskState,
    TranslatableMixin,
    UploadedFile,
    Workflow,
    WorkflowState,
)
from wagtail_localize.models import OverridableSegment

from discussion.models import Author, Contribution, Discussion
from events.models import EventPage, EventPlaces, EventProposal, Registration
from home.models import ContactSettings, FormPage, Partner, StandardPage
from newsletter.models import Mailing, NewsletterIssuePage, Subscriber
from tests.home.test_translator_roles import (
    EDITOR_TEMPLATE,
    XHR,
    localized,
    put_string,
    title_segment,
    translated_string,
)
from translation_workflow.roles import TRANSLATOR_GROUPS

pytestmark = pytest.mark.django_db

LANGUAGES = ("en", "nl", "fr")
OWN = "fr"
SECRET = "walk-secret"  # in every piece of personal data or draft planted below

# --- Which admin URLs exist ---------------------------------------------------------------


def admin_urls():
    """(key, namespaced name, pattern) for every URL pattern under /admin/. The key is
    the URL's route below /admin/ (names are not unique: a view may have two routes)."""
    (admin,) = [p for p in get_resolver().url_patterns if str(p.pattern) == "admin/"]

    def walk(patterns, prefix, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                ns = namespace
                if pattern.namespace:
                    ns = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), ns)
            else:
                assert isinstance(pattern, URLPattern)
                name = pattern.name
                if name and namespace:
                    name = f"{namespace}:{name}"
                yield prefix + str(pattern.pattern), name, pattern

    return list(walk(admin.url_patterns, "", None))


def parameters(pattern):
    """The names of a pattern's parameters (path converters or regex groups)."""
    if hasattr(pattern.pattern, "converters") and pattern.pattern.converters:
        return list(pattern.pattern.converters)
    return list(re.compile(pattern.pattern.regex.pattern).groupindex)


# --- Views any admin user may use ---------------------------------------------------------

#: Names (fnmatch-style regexes on the namespaced URL name) of views that are harmless
#: for any admin user: GET may answer 200 (they show what any admin user may see, or
#: only the user's own things). They are still walked: POSTs must change nothing, and
#: no answer may show the planted personal data.
HARMLESS = {
    # The dashboard, the sprite, the JavaScript catalogues.
    r"wagtailadmin_home": "the dashboard: panels filter to the user's permissions",
    r"wagtailadmin_sprite": "the icon sprite",
    r"wagtailadmin_javascript_catalog": "interface strings",
    r"wagtail_localize:javascript_catalog": "interface strings",
    r"wagtailadmin_error_test": "raises on purpose (500 page test) only for superusers",
    # The user's own account and login pages.
    r"wagtailadmin_account": "the translator's own account (name, language, password)",
    r"wagtailadmin_login": "the login page (already logged in: back to the dashboard)",
    r"wagtailadmin_password_reset(_done|_complete)?": "password reset: by email, for oneself",
    r"wagtailadmin_dismissibles": "the user's own dismissed tips",
    r"twofactor_(verify|enrol|account|regenerate)": (
        "the user's own second factor (the code step, enrolment, recovery codes): a "
        "translator may enrol; another user's is reset only by twofactor_reset_user"
    ),
    r"wagtailadmin_block_preview": "renders a block from posted data; reads nothing stored",
    # Explorer, search, choosers, API: the page tree and media are public content; the
    # views filter to what the user may explore or choose, and change nothing.
    r"wagtailadmin_explore(_root|_results)?": "the page explorer (public page titles)",
    r"wagtailadmin_pages:search(_results)?": "page search (titles of public pages)",
    r"wagtailadmin_choose_page.*": "page chooser (for links in their translations)",
    r"wagtailadmin_api:(pages|images|documents):(listing|detail|find)": "chooser API, read",
    r"wagtailadmin_tag(_model)?_autocomplete": "tag names",
    r"wagtailimages_chooser:.*": "image chooser: the role has choose_image",
    r"wagtaildocs_chooser:.*": "document chooser (listing filtered to permitted collections)",
    r"wagtailsnippetchoosers_(home_partner|home_mainmenu|home_footer|stories_person):.*": (
        "chooser of a translatable snippet the role holds (public content)"
    ),
    r"wagtail_localize:snippets_api_(listing|detail)": "snippet chooser API of wagtail-localize",
    r"wagtailadmin_reports:page_types_usage(_results)?": "counts of page types",
    r"wagtailadmin_reports:(locked_pages|aging_pages)(_results)?": "filtered to their pages",
    r"wagtailadmin_reports:(workflow|workflow_tasks)(_results)?": "filtered to their pages",
    r"wagtailadmin_reports:site_history(_results)?": "filtered to objects they may see",
    r"wagtail_localize:translations_report(_results)?": "which objects are translated",
    r"translation_status": "the translation status board (public content, links)",
    r"wagtailforms:index(_results)?": "form pages listing: empty for translators (guard)",
    r"wagtailsnippets:index": "list of snippet types they may use",
    r"wagtailsnippets_(home_partner|home_mainmenu|home_footer|stories_person):list(_results)?": (
        "listing of a translatable snippet the role holds (public content)"
    ),
    r"wagtailsnippets_(home_partner|home_mainmenu|home_footer|stories_person):"
    r"(usage|history|history_results)": (
        "where a public snippet is used / its history: no content changes"
    ),
    r"wagtailadmin_pages:(usage|history|history_results|workflow_history)": (
        "where a public page is used / its history (titles, dates, user names)"
    ),
    r"wagtailadmin_pages:type_use(_results)?": "pages of a type (public titles)",
    r"wagtailadmin_pages:choose_parent": "choose a parent page: filtered to their pages",
    r"wagtailadmin_workflows:(task_chooser|task_chooser_results|task_chosen)": (
        "task names; the chooser's create tab checks the add_task permission (walked)"
    ),
    r"wagtailadmin_editing_sessions:release": "deletes only the user's own editing sessions",
    r"wagtailadmin_pages:confirm_workflow_cancellation": "asks to confirm; changes nothing",
    r"wagtailadmin_pages:revisions_index": "redirects to the page's history (HARMLESS)",
    r"wagtailadmin_workflows:task_chooser_create": (
        "the create tab: empty without add_task, and a POST answers 400"
    ),
    r"wagtail_bulk_action": (
        "lists the chosen pages, saying which the user may not act on, and acts on none of "
        "them (the table comparison checks it; for the French page, see FRENCH_NOT_POSTED)"
    ),
    r"wagtailsearchpromotions:(chooser|chooserresults)": (
        "Wagtail's query chooser has no permission check: it lists the popular search "
        "terms (no names, no addresses)"
    ),
    r"wagtailsnippetchoosers_(events_registration|newsletter_subscriber):"
    r"(choose|choose_results|chosen|chosen_multiple)": (
        "Wagtail's snippet choosers check no permission; a registration or subscriber is "
        "labelled '#<id>' only (their __str__ hides names and addresses on purpose), which "
        "the scan for the planted data checks; creating checks the add permission"
    ),
    r"wagtailsnippets_stories_person:copy|wagtailsnippets_home_(partner|mainmenu|footer):copy": (
        "copy opens an add form (refused by the create guard if not their locale)"
    ),
}

#: URLs (keys: routes below /admin/) whose parameters the walk does not fill, each with
#: why it is safe.
UNFILLABLE = {
    "password_reset/confirm/<uidb64>/<token>/": "needs a token emailed to the user",
    "logout/": "would log the walking client out (harmless: it logs out oneself)",
    "^.*/$": "the admin's catch-all 404 page",
    "test404/": "Wagtail's own 404 test view",
    "failwhale/": "Wagtail's own 500 test view: raises on purpose, changes nothing",
}

#: URLs (routes) harmless for any admin user, where the name is shared with a view that
#: is not (so HARMLESS, by name, cannot say it).
HARMLESS_ROUTES = {
    "settings/<slug:app_name>/<slug:model_name>/": (
        "redirects to the setting's edit view (walked, and refused)"
    ),
    "snippets/events/registration/add/": (
        "NoAddView: adds nothing, redirects to the registrations (walked, and refused)"
    ),
    "snippets/newsletter/subscriber/add/": (
        "NoAddView: adds nothing, redirects to the subscribers (walked, and refused)"
    ),
}


def harmless_reason(name):
    for pattern, reason in HARMLESS.items():
        if name and re.fullmatch(pattern, name):
            return reason
    return None


# --- The objects the walk points at -------------------------------------------------------


class Objects:
    """The English, Dutch and French objects of each kind, and the planted secrets."""

    def __init__(self, locales, superuser):
        self.locales = locales
        en = locales["en"]
        about = StandardPage.objects.get(slug="about", locale=en)
        survey = FormPage.objects.get(slug="survey", locale=en)
        issue = NewsletterIssuePage.objects.filter(locale=en).first()
        self.about, self.survey, self.issue, self.home = {}, {}, {}, {}
        self.translation = {}
        for code in LANGUAGES:
            locale = locales[code]
            self.home[code] = Page.objects.get(depth=2, locale=locale)
            if code == "en":
                self.about[code], self.survey[code], self.issue[code] = about, survey, issue
                continue
            self.about[code], self.translation[code] = localized(about, locale)
            self.survey[code] = survey.get_translation(locale)
            self.issue[code] = localized(issue, locale)[0]
        self.source = self.translation[OWN].source
        self.string_segment = title_segment(self.translation[OWN])
        self.overridable_segment = OverridableSegment.objects.filter(source=self.source).first()

        # Unpublished drafts of the English and Dutch pages: their text is secret.
        for code in ("en", "nl"):
            page = StandardPage.objects.get(pk=self.about[code].pk)
            page.introduction = f"{SECRET} draft ({code})"
            page.save_revision(user=superuser)
            self.about[code] = page

        # Personal data, in every language.
        for code in LANGUAGES:
            page = self.survey[code]
            page.get_submission_class().objects.create(
                page=page,
                form_data={"email": f"{SECRET}-survey-{code}@example.org"},
                consent_text="I agree.",
                consent_version="test",
                consent_given_at=timezone.now(),
            )
        event = EventPage.objects.filter(locale=en).first()
        self.places, _ = EventPlaces.objects.get_or_create(
            event_key=event.translation_key, defaults={"title": event.title, "capacity": 10}
        )
        now = timezone.now()
        Registration.objects.create(
            places=self.places,
            name=f"{SECRET} person",
            email=f"{SECRET}-registration@example.org",
            language="fr",
            status=Registration.Status.WAITLISTED,
            consent_text="I agree.",
            consent_at=now,
        )
        Subscriber.objects.create(email=f"{SECRET}-subscriber@example.org", language="fr")
        proposed = EventPage.objects.filter(proposal__isnull=True).exclude(pk=event.pk).first()
        self.proposal = EventProposal.objects.create(
            page=proposed,
            language="fr",
            name=f"{SECRET} organiser",
            email=f"{SECRET}-proposal@example.org",
            consent_text="I agree.",
            consent_given_at=now,
        )
        # A reader's contribution under a page, with the reader's address.
        reader = Author.objects.create(
            email=f"{SECRET}-reader@example.org", language="fr", confirmed_at=now
        )
        Contribution.objects.create(
            discussion=Discussion.objects.get_or_create(translation_key=about.translation_key)[0],
            page=about,
            author=reader,
            name=f"{SECRET} reader",
            text="A question.",
            language="fr",
            state=Contribution.State.PENDING,
        )
        self.mailing = Mailing.objects.create(
            issue_key=issue.translation_key,
            issue=issue,
            subject="Walk",
            send_after=now + timedelta(days=30),
            created_by=superuser,
        )

        # A workflow in progress on each language's page.
        self.workflow = Workflow.objects.filter(active=True).first()
        self.task = self.workflow.tasks.first()
        self.workflow_state, self.task_state = {}, {}
        for code in LANGUAGES:
            state = self.workflow.start(self.about[code], superuser)
            self.workflow_state[code] = state
            self.task_state[code] = TaskState.objects.filter(workflow_state=state).latest("pk")

        # Everything else an admin URL can point at.
        self.editing_session = {
            code: EditingSession.objects.create(
                user=superuser,
                content_type=Page.get_content_type(self.about[code]),
                object_id=str(self.about[code].pk),
                last_seen_at=now,
            )
            for code in LANGUAGES
        }
        self.settings = ContactSettings.load()
        self.image = get_image_model().objects.order_by("pk").first()
        self.document = get_document_model().objects.create(
            title="Walk", file=ContentFile(b"walk", name="walk.txt")
        )
        self.uploaded_file = UploadedFile.objects.create(
            file=ContentFile(b"walk", name="walk.txt"), uploaded_by_user=superuser
        )
        self.redirect = Redirect.objects.create(old_path="/walk-old", redirect_link="/en/")
        self.query = Query.get("walk")
        SearchPromotion.objects.create(query=self.query, page=about, sort_order=0)
        self.superuser = superuser
        self.editors = Group.objects.get(name="Editors")
        self.site = Site.objects.get(is_default_site=True)
        self.collection = Collection.get_first_root_node()

        # Snippets: each translatable one in the three languages; of the others, the
        # last (the personal data planted above).
        self.snippets = {}
        for model in snippet_models():
            if issubclass(model, TranslatableMixin):
                first = model.objects.filter(locale=en).order_by("pk").first()
                per_language = {"en": first}
                for code in ("nl", "fr"):
                    per_language[code] = localized(first, locales[code])[0]
                self.snippets[model] = per_language
            else:
                self.snippets[model] = {"any": model.objects.order_by("pk").last()}


def snippet_models():
    from wagtail.snippets.models import get_snippet_models

    return get_snippet_models()


def snippet_model_of(name):
    """The snippet model of a `wagtailsnippets_<app>_<model>` / chooser namespace."""
    match = re.match(r"wagtailsnippet(?:s|choosers)_([a-z0-9]+)_([a-z0-9]+):", name or "")
    return apps.get_model(match[1], match[2]) if match else None


# --- Filling each URL's parameters --------------------------------------------------------


class Unfillable(Exception):
    pass


#: Parameters that point at an object in a language: the URL is walked for each language.
LOCALIZED_PARAMETERS = {
    "page_id",
    "parent_page_id",
    "page_to_move_id",
    "destination_id",
    "revision_id",
    "revision_id_a",
    "task_state_id",
    "workflow_state_id",
    "page_pk",
    "object_id",
    "session_id",
    "translation_id",
}


def pk_is_localized(name):
    if name.startswith(("wagtailadmin_api:pages:", "wagtailadmin_pages:", "wagtaillocales:")):
        return True
    if name.startswith("wagtail_localize:"):
        return True  # a translatable snippet's key
    model = snippet_model_of(name)
    return model is not None and issubclass(model, TranslatableMixin)


def languages_of(name, params):
    if "translation_id" in params:
        return ("nl", "fr")  # nothing is translated into English
    if set(params) & LOCALIZED_PARAMETERS or ("pk" in params and pk_is_localized(name)):
        return LANGUAGES
    if re.fullmatch(r"wagtail_bulk_action|wagtailsnippets_[a-z0-9_]+:add", name or ""):
        return LANGUAGES  # the language is in the query string
    return ("any",)


def page_for(name, objs, language):
    if name.startswith("wagtailforms:"):
        return objs.survey[language]
    if name.startswith("newsletter_admin:"):
        return objs.issue[language]
    return objs.about[language]


def model_parameters(name):
    """(app_label, model_name) for the URLs that name a model."""
    if name == "wagtail_bulk_action" or name.startswith("wagtailadmin_editing_sessions:"):
        return "wagtailcore", "page"
    if name == "wagtailadmin_workflows:add_task":
        return "wagtailcore", "groupapprovaltask"
    if name.startswith("wagtail_localize:"):
        return "home", "partner"
    if name.startswith("wagtailsettings:"):
        return "home", "contactsettings"
    return "home", "standardpage"


def pk_for(name, objs, language):
    if name.startswith(("wagtailadmin_api:pages:", "wagtailadmin_pages:")):
        return objs.about[language].pk
    if name.startswith(("wagtailadmin_api:images:", "wagtailimages_chooser:")):
        return objs.image.pk
    if name.startswith(("wagtailadmin_api:documents:", "wagtaildocs_chooser:")):
        return objs.document.pk
    if name.startswith("wagtailadmin_collections:"):
        return objs.collection.pk
    if re.match(r"wagtailadmin_workflows:(edit_task|disable_task|enable_task)$", name):
        return objs.task.pk
    if name.startswith("wagtailadmin_workflows:"):
        return objs.workflow.pk
    if name.startswith("wagtail_localize:"):
        return objs.snippets[Partner][language].pk
    if name.startswith("event_proposals:"):
        return objs.proposal.pk
    if name.startswith("wagtaillocales:"):
        return objs.locales[language].pk
    if name.startswith("wagtailsites:"):
        return objs.site.pk
    if name.startswith("wagtailusers_users:"):
        return objs.superuser.pk
    if name.startswith("wagtailusers_groups:"):
        return objs.editors.pk
    if name.startswith("wagtailsettings:"):
        return objs.settings.pk
    model = snippet_model_of(name)
    if model is not None:
        return objs.snippets[model]["any" if language == "any" else language].pk
    raise Unfillable


def fill(param, name, objs, language):
    """The value of URL parameter `param` of URL `name` for an object in `language`."""
    simple = {
        "action_name": lambda: "publish" if name.startswith("wagtailadmin_api:") else "approve",
        "action": lambda: "delete",
        "task_id": lambda: objs.task.pk,
        "collection_id": lambda: objs.collection.pk,
        "workflow_pk": lambda: objs.workflow.pk,
        "places_id": lambda: objs.places.pk,
        "mailing_id": lambda: objs.mailing.pk,
        "user_id": lambda: objs.superuser.pk,  # their authenticator must stay (reset_user)
        "query_id": lambda: objs.query.pk,
        "redirect_id": lambda: objs.redirect.pk,
        "document_id": lambda: objs.document.pk,
        "doc_id": lambda: objs.document.pk,
        "image_id": lambda: objs.image.pk,
        "uploaded_file_id": lambda: objs.uploaded_file.pk,
        "filter_spec": lambda: "original",
        "mode": lambda: "default",
        "translation_source_id": lambda: objs.source.pk,
        "string_segment_id": lambda: objs.string_segment.pk,
        # The about page has no overridable segment (an image, a link) when the demo
        # has none: 0 then, which the view answers with 404 (or the guard with 403).
        "overridable_segment_id": lambda: getattr(objs.overridable_segment, "pk", 0),
        "revision_id_b": lambda: "latest",
        "pk": lambda: pk_for(name, objs, language),
        "app_label": lambda: model_parameters(name)[0],
        "app_name": lambda: model_parameters(name)[0],
        "content_type_app_name": lambda: model_parameters(name)[0],
        "model_name": lambda: model_parameters(name)[1],
        "content_type_model_name": lambda: model_parameters(name)[1],
    }
    if param in simple:
        return simple[param]()
    if language == "any":
        raise Unfillable
    localized_values = {
        "page_id": lambda: page_for(name, objs, language).pk,
        "page_pk": lambda: objs.about[language].pk,
        "page_to_move_id": lambda: objs.about[language].pk,
        "object_id": lambda: str(objs.about[language].pk),
        "parent_page_id": lambda: objs.home[language].pk,
        "destination_id": lambda: objs.home[language].pk,
        "revision_id": lambda: objs.about[language].latest_revision_id,
        "revision_id_a": lambda: "earliest",
        "task_state_id": lambda: objs.task_state[language].pk,
        "workflow_state_id": lambda: objs.workflow_state[language].pk,
        "session_id": lambda: objs.editing_session[language].pk,
        "translation_id": lambda: objs.translation[language].pk,
    }
    if param in localized_values:
        return localized_values[param]()
    raise Unfillable


def query_for(name, objs, language):
    if name == "wagtail_bulk_action":
        return f"?id={objs.about[language].pk}"
    if re.fullmatch(r"wagtailsnippets_[a-z0-9_]+:add", name or "") and language != "any":
        return f"?locale={language}"
    return ""


def build_url(pattern, key, name, objs, language):
    kwargs = {param: fill(param, name, objs, language) for param in parameters(pattern)}
    if isinstance(pattern.pattern, RoutePattern):
        path = key
        for param, value in kwargs.items():
            path = re.sub(rf"<(?:\w+:)?{param}>", str(value), path)
    else:  # a regex route
        path = key
        for param, value in kwargs.items():
            path = re.sub(rf"\(\?P<{param}>[^)]*\)", str(value), path)
        path = path.replace("\\.", ".")
    path = path.replace("^", "").replace("$", "")  # DRF routers' regex prefixes
    return "/admin/" + path + query_for(name, objs, language)


# --- What must not change -----------------------------------------------------------------

#: Tables left out of the comparison: derived data, the walking user's own session
#: and profile, Django's bookkeeping.
NOT_COMPARED = {
    "sessions.session",
    "contenttypes.contenttype",
    "auth.permission",
    "wagtailusers.userprofile",  # the translator's own preferences
    "wagtailsearch.indexentry",  # derived from the objects compared
    "wagtailsearch.sqliteftsindexentry",
    "wagtailsearch.postgresindexentry",
    "wagtailcore.referenceindex",  # derived from the objects compared
    "home.customrendition",  # image thumbnails made on demand
    "wagtailimages.rendition",
}
#: The walking user's own second factor (django-otp's rows, by the path to their
#: user): theirs to set up or renew; everyone else's rows are compared.
OWN_SECOND_FACTOR = {
    "otp_totp.totpdevice": "user_id",
    "otp_static.staticdevice": "user_id",
    "otp_static.statictoken": "device__user_id",
}
#: Only these columns, for big tables whose rows never change once written.
NARROW = {
    "wagtailcore.revision": ("pk", "base_content_type_id", "object_id", "approved_go_live_at"),
    "wagtail_localize.translationsource": ("pk", "object_id", "locale_id", "last_updated_at"),
}


def compared_models():
    models = []
    for model in apps.get_models():
        label = model._meta.label_lower
        if label in NOT_COMPARED or model._meta.proxy:
            continue
        if issubclass(model, Page) and model is not Page:
            continue  # a page's content changes only with its revisions, compared
        models.append(model)
    return models


class State:
    """Every row of every compared table, French objects aside (the translator may
    change those): rows in the French locale, rows of French pages, and rows about a
    French page or snippet (revisions, logs, workflow states…)."""

    def __init__(self, fr_locale, walker):
        self.fr = fr_locale.pk
        self.walker = walker.pk
        self.models = compared_models()

    def french_keys(self):
        from django.contrib.contenttypes.models import ContentType

        keys = set()
        page_ct = ContentType.objects.get_for_model(Page).pk
        for pk, ct in Page.objects.filter(locale_id=self.fr).values_list("pk", "content_type_id"):
            keys |= {(page_ct, str(pk)), (ct, str(pk))}
        for model in snippet_models():
            if issubclass(model, TranslatableMixin):
                ct = ContentType.objects.get_for_model(model).pk
                keys |= {
                    (ct, str(pk))
                    for pk in model.objects.filter(locale_id=self.fr).values_list("pk", flat=True)
                }
        return keys

    def take(self):
        french = self.french_keys()
        french_pages = set(Page.objects.filter(locale_id=self.fr).values_list("pk", flat=True))
        french_workflows = {
            pk
            for pk, ct, object_id in WorkflowState.objects.values_list(
                "pk", "base_content_type_id", "object_id"
            )
            if (ct, object_id) in french
        }
        rows = {}
        for model in self.models:
            label = model._meta.label_lower
            queryset = model._default_manager.all()
            fields = {f.name: f for f in model._meta.concrete_fields}
            for field_name in ("locale", "target_locale"):
                field = fields.get(field_name)
                if field is not None and field.related_model is Locale:
                    queryset = queryset.exclude(**{f"{field_name}_id": self.fr})
            for field_name in ("page",):
                field = fields.get(field_name)
                if (
                    field is not None
                    and field.related_model
                    and issubclass(field.related_model, Page)
                ):
                    queryset = queryset.exclude(**{f"{field_name}_id__in": french_pages})
            if label in OWN_SECOND_FACTOR:  # the walker's own, theirs to change
                queryset = queryset.exclude(**{OWN_SECOND_FACTOR[label]: self.walker})
            if "workflow_state" in fields:  # a task of a French page's workflow
                queryset = queryset.exclude(workflow_state_id__in=french_workflows)
            columns = NARROW.get(label)
            values = list(queryset.order_by("pk").values(*(columns or ())))
            for ct_field in ("base_content_type_id", "content_type_id"):
                if "object_id" in fields and ct_field.removesuffix("_id") in fields:
                    values = [
                        v
                        for v in values
                        if (v.get(ct_field), str(v.get("object_id"))) not in french
                    ]
            rows[label] = values
        return rows


def differences(before, after):
    changed = []
    for label, rows in after.items():
        if rows != before.get(label):
            old = {r.get("id", r.get("pk")): r for r in before.get(label, [])}
            new = {r.get("id", r.get("pk")): r for r in rows}
            added = [k for k in new if k not in old]
            removed = [k for k in old if k not in new]
            modified = [
                (k, {f: (old[k][f], new[k][f]) for f in new[k] if old[k].get(f) != new[k][f]})
                for k in new
                if k in old and new[k] != old[k]
            ]
            changed.append(f"{label}: added {added} removed {removed} changed {modified}")
    return changed


# --- The walk -----------------------------------------------------------------------------

#: What the French translator may do to French objects, beyond HARMLESS: their role.
FRENCH_ALLOWED = {
    r"wagtailadmin_pages:edit": "edit the French page (wagtail-localize's editor)",
    r"wagtail_localize:.*": "the translation editor's views on the French translation",
    r"wagtailsnippets_(home_partner|home_mainmenu|home_footer|stories_person):edit": (
        "translate the French version of a snippet the role holds"
    ),
    # Wagtail's page permissions: change_page + publish_page on the French home page
    # let the translator do all of this in the French tree, as Wagtail means them to.
    r"wagtailadmin_pages:(preview_on_edit|view_draft|revisions_(view|revert|unschedule|compare)"
    r"|workflow_history_detail|unpublish|delete|move|move_confirm|set_privacy|copy"
    r"|workflow_action|collect_workflow_action_data|confirm_workflow_cancellation"
    r"|revisions_index)": "their French page, within what change_page + publish_page allow",
    r"wagtailadmin_api:pages:action": "the same page actions, through the admin API",
    r"wagtailadmin_editing_sessions:ping": "their own editing session on their French page",
    r"newsletter_admin:send_test": (
        "who may edit the issue may send themselves a test (the public issue, one address)"
    ),
}

#: Views whose GET shows only a confirmation or a chooser (public page titles) to
#: anyone; what they confirm (the POST) must still be refused.
HARMLESS_GET = {
    r"wagtailadmin_pages:move_confirm": "asks to confirm a move (titles); the move is refused",
    r"wagtail_localize:submit_(page|snippet)_translation": (
        "the form that starts a translation of an English source: it offers the "
        "translator's own language only, and the walk's post (every language) is refused"
    ),
}

#: Not POSTed for the French page: Wagtail lets the holder of change_page and
#: publish_page delete or move a leaf page, and that would remove the page the rest of
#: the walk uses (see FRENCH_ALLOWED for what is allowed).
FRENCH_NOT_POSTED = {"wagtail_bulk_action", "wagtailadmin_pages:delete"}

#: A form plausible for most admin views: a page editor's publish, titles and names,
#: a status, a phone number, the locales of a submission…
HACKED = "Hacked by the walk"


def post_data(objs):
    from tests.admin_forms import page_form

    data = page_form({"title": HACKED, "slug": "hacked", "introduction": HACKED})
    data.update(
        {
            "action": "publish",
            "name": HACKED,
            "organisation_name": HACKED,
            "status": "cancelled",
            "phone": "000",
            "email": "hacked@example.org",
            "value": HACKED,
            "locales": [locale.pk for locale in objs.locales.values()],
            "publish_translations": "on",
            "selected-submissions": [],
            "id": [],
            "next": "/admin/",
            "old_path": "/hacked",
            "redirect_link": "/hacked",
            "query_string": "hacked",
            "hostname": "hacked.example.org",
            "language_code": "de",
            "first_name": HACKED,
            "username": "hacked",
            "password1": "Hacked-by-the-walk-1",
            "password2": "Hacked-by-the-walk-1",
            "send_after": "2030-01-01T10:00",
            "confirm": "on",
            "comment": HACKED,
            "external-link-chooser-url": "https://example.org/",
            "new_parent_page": objs.home[OWN].pk,
            "body-count": "0",
            "external-link-chooser-link_text": HACKED,
        }
    )
    return data


def refused(response):
    """403, 404, 405, the login page, or the dashboard with the permission message."""
    if response.status_code in (403, 404, 405):
        return True
    if response.status_code == 302:
        if response.url == "/en" + response.wsgi_request.path:
            return True  # no such admin URL (404): LocaleMiddleware tries /en/ first
        if response.url.startswith(reverse("wagtailadmin_login")):
            return True
        if response.url == reverse("wagtailadmin_home"):
            messages = [str(m) for m in get_messages(response.wsgi_request)]
            return any("permission" in m for m in messages)
    return False


def matches(table, name):
    return next((why for pattern, why in table.items() if re.fullmatch(pattern, name or "")), None)


def content_of(response):
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


@pytest.fixture
def french_translator(client, django_user_model):
    user = django_user_model.objects.create_user("walker", "walker@example.org", "pw")
    user.groups.add(Group.objects.get(name=TRANSLATOR_GROUPS[OWN]))
    client.force_login(user)
    client.raise_request_exception = False
    return client


def test_the_french_translator_is_refused_everything_not_french(
    french_translator, locales, django_user_model
):
    client = french_translator
    superuser = django_user_model.objects.create_superuser("walk-admin", "wa@example.org", "pw")
    objs = Objects(locales, superuser)
    data = post_data(objs)
    assert_french_work_is_possible(client, objs)
    # Another user's authenticator, which the translator must not be able to reset.
    TOTPDevice.objects.create(user=superuser, name="phone", confirmed=True)
    state = State(locales[OWN], django_user_model.objects.get(username="walker"))
    before = state.take()

    failures, unmapped, walked = [], [], 0

    group, group_log = None, []
    for key, name, pattern in [*admin_urls(), (None, None, None)]:
        # Tables are compared after each group of URLs (a namespace, or a name).
        if (name or "").split(":")[0] != group:
            after = state.take()
            for change in differences(before, after):
                allowed = [line for line in group_log if not line.endswith("refused")]
                failures.append(f"{group}: {change}; not refused: {allowed}")
            before, group, group_log = after, (name or "").split(":")[0], []
        if key is None or key in UNFILLABLE:
            continue
        harmless = matches(HARMLESS, name) or HARMLESS_ROUTES.get(key)
        try:
            urls = [
                (language, build_url(pattern, key, name, objs, language))
                for language in languages_of(name or "", parameters(pattern))
            ]
        except Unfillable:
            unmapped.append(f"{key} ({name})")
            continue
        view_class = getattr(pattern.callback, "view_class", None)
        for language, url in urls:
            if harmless and language == OWN:
                continue  # harmless in any language
            methods = ["get", "post"]
            if view_class is not None:
                # A class-based view without a handler answers 405: nothing to try.
                methods = [m for m in methods if hasattr(view_class, m)]
            if name in (
                "wagtail_localize:edit_string_translation",
                "wagtail_localize:edit_override",
            ):  # noqa: E501
                methods += ["put", "delete"]
            if language == OWN and name in FRENCH_NOT_POSTED:
                methods = [m for m in methods if m != "post"]
            for method in methods:
                walked += 1
                kwargs = {"data": data} if method == "post" else {}
                if method in ("put", "delete"):
                    kwargs = {"data": "value=Hacked", "headers": XHR}
                    kwargs["content_type"] = "application/x-www-form-urlencoded"
                response = getattr(client, method)(url, **kwargs)
                body = content_of(response)
                what = f"{method.upper()} {url} [{name}, {language}] -> {response.status_code}"
                if response.status_code >= 500:
                    failures.append(f"{what}: server error")
                if SECRET.encode() in body:
                    failures.append(f"{what}: shows planted personal data or a draft")
                is_refused = refused(response)
                group_log.append(f"{what}{' refused' if is_refused else ''}")
                if harmless or is_refused:
                    continue
                if method == "get" and matches(HARMLESS_GET, name):
                    continue
                if language == OWN and matches(FRENCH_ALLOWED, name):
                    continue
                failures.append(f"{what}: not refused ({getattr(response, 'url', '')})")

    assert walked > 500, walked  # the walk did happen
    assert not (failures or unmapped), (
        f"{len(failures)} failures:\n"
        + "\n".join(failures)
        + "\nadmin URLs the walk cannot fill:\n"
        + "\n".join(unmapped)
    )


def assert_french_work_is_possible(client, objs):
    """The role works: the French page opens in wagtail-localize's translation editor,
    whose API saves a French string; a French snippet opens the same way."""
    page, translation = objs.about[OWN], objs.translation[OWN]
    response = client.get(reverse("wagtailadmin_pages:edit", args=(page.pk,)))
    assert response.status_code == 200
    assert EDITOR_TEMPLATE in [t.name for t in response.templates]
    segment = title_segment(translation)
    response = put_string(client, translation, segment, "À propos (traduit)")
    assert response.status_code in {200, 201}
    assert translated_string(translation, segment) == "À propos (traduit)"
    partner = objs.snippets[Partner][OWN]
    response = client.get(reverse("wagtailsnippets_home_partner:edit", args=(partner.pk,)))
    assert response.status_code == 200
    assert EDITOR_TEMPLATE in [t.name for t in response.templates]
