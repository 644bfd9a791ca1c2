"""The site's form renderer writes Django's widget templates out in Python: every
widget the site's forms use gives Django's own HTML, character for character, with
awkward values and attributes, choices in groups, bound and unbound forms, errors
shown; a template it does not know, or one whose text has changed, is rendered by
Django's templates (public_forms/rendering.py)."""

import datetime
import itertools

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates, get_default_renderer
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from newsletter.forms import PreferencesForm, SubscribeForm
from public_forms import rendering
from public_forms.forms import LanguageSelect
from public_forms.rendering import FormRenderer

DJANGO = DjangoTemplates()
OURS = FormRenderer()

VALUES = [
    None,
    "",
    "plain",
    "quotes \" and <tags> & ampersands '",
    mark_safe("<b>safe</b>"),
    0,
    1234567,
    12.5,
    True,
    False,
    gettext_lazy("Email address"),
    datetime.date(2026, 3, 1),
    ["a", "b"],
    ("x", "y"),
]
ATTRS = [
    {},
    {"id": "id_field", "class": "wide"},
    {"id": "", "required": True, "disabled": False, "maxlength": 200},
    {"aria-describedby": "id_x_helptext", "data-x": '"><script>', "tabindex": "-1"},
    {"placeholder": gettext_lazy("Search"), "value-ish": mark_safe("&amp;"), "step": 0.5},
]
CHOICES = [
    [],
    [("", "---------"), ("a", "Ä <b>"), (1, 2), ("c", gettext_lazy("English"))],
    [("Group <1>", [("a", "A"), ("b", "B")]), ("c", "C"), (gettext_lazy("Dutch"), [(3, "three")])],
]
SIMPLE = [
    forms.TextInput,
    forms.EmailInput,
    forms.NumberInput,
    forms.URLInput,
    forms.HiddenInput,
    forms.PasswordInput,
    forms.DateInput,
    forms.DateTimeInput,
    forms.TimeInput,
    forms.Textarea,
    forms.CheckboxInput,
]
CHOOSING = [
    forms.Select,
    forms.SelectMultiple,
    forms.CheckboxSelectMultiple,
    forms.RadioSelect,
    LanguageSelect,
]


def _same(widget, name, value, attrs):
    ours = widget.render(name, value, attrs, renderer=OURS)
    djangos = widget.render(name, value, attrs, renderer=DJANGO)
    assert ours == djangos, (type(widget), value, attrs)


def test_the_site_renders_forms_with_this_renderer():
    assert isinstance(get_default_renderer(), FormRenderer)


def test_simple_widgets_are_djangos():
    for widget_class, value, attrs in itertools.product(SIMPLE, VALUES, ATTRS):
        for own_attrs in ({}, {"class": "own", "required": True}):
            _same(widget_class(attrs=own_attrs), "field", value, attrs)


def test_choice_widgets_are_djangos():
    selections = [None, "", "a", 1, "1", ["a", 1], ["a", "c", 3], "nothing"]
    for widget_class, choices, value, attrs in itertools.product(
        CHOOSING, CHOICES, selections, ATTRS
    ):
        _same(widget_class(choices=choices), "choice", value, attrs)


def test_a_changed_or_unknown_template_is_left_to_django(monkeypatch):
    class OwnOptions(forms.CheckboxSelectMultiple):
        option_template_name = "django/forms/widgets/radio_option.html"

    class Unknown(forms.CheckboxSelectMultiple):
        option_template_name = "django/forms/widgets/attrs.html"

    for widget in (OwnOptions(choices=CHOICES[1]), Unknown(choices=CHOICES[1])):
        _same(widget, "choice", ["a"], {"id": "x"})
    renderer = FormRenderer()
    widget = forms.TextInput()
    renderer.render("django/forms/widgets/text.html", widget.get_context("n", "v", {}))
    assert renderer._as_django == {
        "django/forms/widgets/text.html": True,
        "django/forms/widgets/input.html": True,
        "django/forms/widgets/attrs.html": True,
    }
    changed = FormRenderer()
    monkeypatch.setitem(rendering.SOURCES, "attrs.html", "{{ changed }}")
    calls = []
    monkeypatch.setattr(
        DjangoTemplates, "render", lambda self, *args, **kwargs: calls.append(args) or "django"
    )
    assert changed.render("django/forms/widgets/text.html", widget.get_context("n", "v", {})) == (
        "django"
    )
    assert calls


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "fr", "nl"])
def test_the_newsletter_forms_are_djangos_bound_and_unbound(language):
    with translation.override(language):
        countries = [value for value, _label in SubscribeForm().fields["countries"].choices]
        forms_to_render = [
            SubscribeForm(initial={"source": "/en/"}),
            SubscribeForm(
                data={"email": "not an address", "countries": countries[:2], "language": "nl"}
            ),
            SubscribeForm(data={"email": "a@example.org", "consent": "on", "language": "xx"}),
            PreferencesForm(initial={"language": "fr", "countries": countries[1:3]}),
        ]
        for form in forms_to_render:
            for field in form:
                form.renderer = DJANGO
                djangos = str(field)
                form.renderer = OURS
                assert str(field) == djangos, field.name
        assert len(countries) > 5
