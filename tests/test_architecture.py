"""The layout of docs/architecture.md holds where import-linter cannot look.

import-linter (`make lint`) checks the imports between the apps. A string escapes it:
a model label ("stories.StoryPage"), a URL namespace (`reverse("stories:feed")`,
`{% url 'events:…' %}`), a template of a feature, or its template tags, named by the
base or an infrastructure app would tie them to the feature all the same. And no
module grows into a file that does many things.
"""

import io
import re
import tokenize
from pathlib import Path

import pytest
from django.apps import apps

ROOT = Path(__file__).resolve().parents[1]
FEATURES = ("stories", "events", "newsletter")
# Everything below the features (docs/architecture.md): none of it may name one.
BELOW_FEATURES = (
    "discussion",
    "home",
    "discovery",
    "translation_workflow",
    "public_forms",
    "pagecache",
    "privacy",
    "security",
)
# Templates of the features and of the apps above them; every other template is
# shared (base.html, components, the base's pages) and must name no feature.
FEATURE_TEMPLATE_DIRS = (
    *(f"templates/{app}/" for app in (*FEATURES, "personal_data", "demo")),
    *(f"templates/pages/{app}/" for app in FEATURES),
)
APPLICATIONS = (
    "diaspora_site",
    "personal_data",
    "demo",
    *FEATURES,
    *BELOW_FEATURES,
)
MAX_MODULE_LINES = 400


def _feature_names():
    """Patterns for what names a feature: its app label before `.`, `:` or `/`
    ("stories.StoryPage", "events:register", "newsletter/…"), its models' class names,
    and its template tag libraries."""
    patterns = []
    for label in FEATURES:
        patterns.append(rf"\b{label}(?:_admin)?[.:]\w|[\"']{label}/")
        patterns += [rf"\b{model.__name__}\b" for model in apps.get_app_config(label).get_models()]
        tags = ROOT / label / "templatetags"
        patterns += [rf"\b{path.stem}\b" for path in tags.glob("*.py") if path.stem != "__init__"]
    return re.compile("|".join(patterns))


def _python_strings(path):
    """(line, text) of every string literal in a Python file."""
    source = path.read_text()
    tokens = tokenize.generate_tokens(io.StringIO(source).readline)
    return [(token.start[0], token.string) for token in tokens if token.type == tokenize.STRING]


def _modules(packages):
    for package in packages:
        folder = ROOT / ("site" if package == "diaspora_site" else package)
        for path in sorted(folder.rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def test_the_layers_below_the_features_name_none_of_them():
    names = _feature_names()
    found = []
    for path in _modules(BELOW_FEATURES):
        for line, text in _python_strings(path):
            if names.search(text):
                found.append(f"{path.relative_to(ROOT)}:{line}: {names.search(text).group(0)}")
    for path in sorted((ROOT / "templates").rglob("*")):
        relative = path.relative_to(ROOT).as_posix()
        if path.is_dir() or relative.startswith(FEATURE_TEMPLATE_DIRS):
            continue
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            if names.search(line):
                found.append(f"{relative}:{number}: {names.search(line).group(0)}")
    assert found == []


def test_the_check_sees_a_feature_named_in_a_string():
    """The patterns above catch the ways a feature gets named."""
    names = _feature_names()
    for text in (
        '"stories.StoryPage"',
        "reverse('stories:feed')",
        "{% url 'events:register' page.pk %}",
        '"newsletter/_subscribe_form.html"',
        "{% load newsletter_tags %}",
        "EventPage",
    ):
        assert names.search(text), text
    for text in ("Success stories.", "events and calls", "the newsletter's subscribers"):
        assert not names.search(text), text


@pytest.mark.parametrize("package", APPLICATIONS)
def test_no_module_does_too_many_things(package):
    """No application module (tests and migrations aside; the demo's content is
    data) grows past MAX_MODULE_LINES lines."""
    long = {
        str(path.relative_to(ROOT)): lines
        for path in _modules([package])
        if (lines := len(path.read_text().splitlines())) > MAX_MODULE_LINES
        and path.relative_to(ROOT).as_posix() != "demo/content.py"
    }
    assert long == {}
