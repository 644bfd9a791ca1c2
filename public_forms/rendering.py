"""The form renderer: Django's widget templates, written out in Python.

Django renders each widget through its templates, and a choice widget renders one
template per choice (and an `attrs.html` inside each): the subscription form's
countries were a third of the subscribe page. `FormRenderer` (FORM_RENDERER)
writes the HTML of Django's own input, textarea, select and checkbox/radio list
templates itself, character for character, and renders every other template (and
any of these that an app or a Django upgrade has changed: each one's source is
compared with the text written here, once per process) through Django's templates
as before. tests/public_forms/test_rendering.py compares the two on every widget
the site's forms use, bound and unbound.
"""

import html

from django.forms.renderers import DjangoTemplates
from django.template import Context
from django.template.base import render_value_in_context
from django.utils.safestring import SafeData, mark_safe

WIDGETS = "django/forms/widgets/"
INCLUDE_INPUT = '{% include "django/forms/widgets/input.html" %}\n'
INCLUDE_MULTIPLE = '{% include "django/forms/widgets/multiple_input.html" %}\n'
INCLUDE_OPTION = '{% include "django/forms/widgets/input_option.html" %}\n'

# The templates written out here, as Django 6.1 ships them.
SOURCES = {
    "input.html": (
        '<input type="{{ widget.type }}" name="{{ widget.name }}"{% if widget.value != None %}'
        " value=\"{{ widget.value|stringformat:'s' }}\"{% endif %}"
        '{% include "django/forms/widgets/attrs.html" %}>\n'
    ),
    "attrs.html": (
        "{% for name, value in widget.attrs.items %}{% if value is not False %} {{ name }}"
        "{% if value is not True %}=\"{{ value|stringformat:'s' }}\"{% endif %}{% endif %}"
        "{% endfor %}"
    ),
    "textarea.html": (
        '<textarea name="{{ widget.name }}"{% include "django/forms/widgets/attrs.html" %}>\n'
        "{% if widget.value %}{{ widget.value }}{% endif %}</textarea>\n"
    ),
    "select.html": (
        '<select name="{{ widget.name }}"{% include "django/forms/widgets/attrs.html" %}>'
        "{% for group_name, group_choices, group_index in widget.optgroups %}"
        '{% if group_name %}\n  <optgroup label="{{ group_name }}">{% endif %}'
        "{% for option in group_choices %}\n  {% include option.template_name with widget=option %}"
        "{% endfor %}{% if group_name %}\n  </optgroup>{% endif %}{% endfor %}\n</select>\n"
    ),
    "select_option.html": (
        "<option value=\"{{ widget.value|stringformat:'s' }}\""
        '{% include "django/forms/widgets/attrs.html" %}>{{ widget.label }}</option>\n'
    ),
    "multiple_input.html": (
        '{% with id=widget.attrs.id %}<div{% if id %} id="{{ id }}"{% endif %}'
        '{% if widget.attrs.class %} class="{{ widget.attrs.class }}"{% endif %}>'
        "{% for group, options, index in widget.optgroups %}{% if group %}\n"
        "  <div><label>{{ group }}</label>{% endif %}{% for option in options %}<div>\n"
        "    {% include option.template_name with widget=option %}</div>{% endfor %}"
        "{% if group %}\n  </div>{% endif %}{% endfor %}\n</div>{% endwith %}\n"
    ),
    "input_option.html": (
        '{% if widget.wrap_label %}<label{% if widget.attrs.id %} for="{{ widget.attrs.id }}"'
        '{% endif %}>{% endif %}{% include "django/forms/widgets/input.html" %}'
        "{% if widget.wrap_label %} {{ widget.label }}</label>{% endif %}\n"
    ),
    "checkbox_option.html": INCLUDE_OPTION,
    "radio_option.html": INCLUDE_OPTION,
    "checkbox_select.html": INCLUDE_MULTIPLE,
    "radio.html": INCLUDE_MULTIPLE,
    **{
        f"{kind}.html": INCLUDE_INPUT
        for kind in (
            "text",
            "email",
            "hidden",
            "checkbox",
            "number",
            "url",
            "password",
            "search",
            "tel",
            "date",
            "datetime",
            "time",
            "color",
        )
    },
}
# What each template includes, which must be Django's too.
INCLUDES = {
    "input.html": ["attrs.html"],
    "textarea.html": ["attrs.html"],
    "select.html": ["attrs.html"],
    "select_option.html": ["attrs.html"],
    "input_option.html": ["input.html"],
    "checkbox_option.html": ["input_option.html"],
    "radio_option.html": ["input_option.html"],
    "checkbox_select.html": ["multiple_input.html"],
    "radio.html": ["multiple_input.html"],
    **{name: ["input.html"] for name, source in SOURCES.items() if source == INCLUDE_INPUT},
}

_CONTEXT = Context(autoescape=True)


def _out(value):
    """`{{ value }}`."""
    if type(value) is str:  # noqa: E721 (not a subclass: SafeString is not escaped)
        return html.escape(value)
    return render_value_in_context(value, _CONTEXT)


def _formatted(value):
    """`{{ value|stringformat:'s' }}`."""
    try:
        text = "%s" % (str(value) if isinstance(value, tuple) else value)
    except (ValueError, TypeError):
        text = ""
    # As Django marks the output of an `is_safe` filter: safe when its input was.
    return _out(mark_safe(text) if isinstance(value, SafeData) else text)  # noqa: S308


def _attrs(attrs):
    return "".join(
        f" {_out(name)}" + ("" if value is True else f'="{_formatted(value)}"')
        for name, value in attrs.items()
        if value is not False
    )


def _input(widget):
    value = "" if widget["value"] is None else f' value="{_formatted(widget["value"])}"'
    return (
        f'<input type="{_out(widget["type"])}" name="{_out(widget["name"])}"{value}'
        f"{_attrs(widget['attrs'])}>\n"
    )


def _textarea(widget):
    value = _out(widget["value"]) if widget["value"] else ""
    return (
        f'<textarea name="{_out(widget["name"])}"{_attrs(widget["attrs"])}>\n{value}</textarea>\n'
    )


def _select_option(widget):
    return (
        f'<option value="{_formatted(widget["value"])}"{_attrs(widget["attrs"])}>'
        f"{_out(widget['label'])}</option>\n"
    )


def _input_option(widget):
    if not widget["wrap_label"]:
        return _input(widget) + "\n"
    element_id = widget["attrs"].get("id")
    label_for = f' for="{_out(element_id)}"' if element_id else ""
    return f"<label{label_for}>{_input(widget)} {_out(widget['label'])}</label>\n"


def _included(writer):
    """A template that is `{% include <writer's template> %}` and a line break."""
    return lambda widget: writer(widget) + "\n"


def _select(widget, write_option):
    parts = [f'<select name="{_out(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_out(group_name)}">')
        for option in group_choices:
            parts.append("\n  " + write_option(option))
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>\n")
    return "".join(parts)


def _multiple_input(widget, write_option):
    element_id = widget["attrs"].get("id")
    css_class = widget["attrs"].get("class")
    parts = [
        "<div",
        f' id="{_out(element_id)}"' if element_id else "",
        f' class="{_out(css_class)}"' if css_class else "",
        ">",
    ]
    for group, options, _index in widget["optgroups"]:
        if group:
            parts.append(f"\n  <div><label>{_out(group)}</label>")
        for option in options:
            parts.append(f"<div>\n    {write_option(option)}</div>")
        if group:
            parts.append("\n  </div>")
    parts.append("\n</div>\n")
    return "".join(parts)


def _multiple_input_template(widget, write_option):
    return _multiple_input(widget, write_option) + "\n"


OPTION_WRITERS = {
    WIDGETS + "select_option.html": _select_option,
    WIDGETS + "checkbox_option.html": _included(_input_option),
    WIDGETS + "radio_option.html": _included(_input_option),
}
CHOICE_WRITERS = {
    WIDGETS + "select.html": _select,
    WIDGETS + "checkbox_select.html": _multiple_input_template,
    WIDGETS + "radio.html": _multiple_input_template,
}
WRITERS = {
    WIDGETS + "textarea.html": _textarea,
    **{
        WIDGETS + name: _included(_input)
        for name, source in SOURCES.items()
        if source == INCLUDE_INPUT
    },
}


class FormRenderer(DjangoTemplates):
    """Django's DjangoTemplates renderer, writing the common widgets itself."""

    def __init__(self):
        super().__init__()
        self._as_django = {}

    def _is_djangos(self, template_name):
        """Whether the template (under django/forms/widgets/), and those it includes,
        are the ones written out here."""
        same = self._as_django.get(template_name)
        if same is None:
            name = template_name.removeprefix(WIDGETS)
            template = self.get_template(WIDGETS + name).template
            same = template.source == SOURCES[name] and all(
                self._is_djangos(WIDGETS + included) for included in INCLUDES.get(name, ())
            )
            self._as_django[template_name] = same
        return same

    def render(self, template_name, context, request=None):
        widget = context.get("widget")
        if widget is not None and self._is_djangos_widget(template_name, widget):
            if template_name in CHOICE_WRITERS:
                return CHOICE_WRITERS[template_name](widget, self._write_option).strip()
            return WRITERS[template_name](widget).strip()
        return super().render(template_name, context, request)

    def _is_djangos_widget(self, template_name, widget):
        if template_name in CHOICE_WRITERS:
            return self._is_djangos(template_name) and all(
                option["template_name"] in OPTION_WRITERS
                and self._is_djangos(option["template_name"])
                for _group, options, _index in widget["optgroups"]
                for option in options
            )
        return template_name in WRITERS and self._is_djangos(template_name)

    @staticmethod
    def _write_option(option):
        return OPTION_WRITERS[option["template_name"]](option)
