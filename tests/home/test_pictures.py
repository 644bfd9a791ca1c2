"""The site's `{% picture %}` (home/templatetags/image_tags.py) writes Wagtail's HTML,
byte for byte: for every `{% picture %}` of the site's templates, for renditions in
one format or several, one or several widths, a missing image file, and attributes
that need escaping, are safe already, lazy, empty, true or false. Every
`{% picture %}` in the site's templates is the site's.
"""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template, engines
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy
from wagtail.images.models import Picture
from wagtail.images.templatetags.wagtailimages_tags import PictureNode as WagtailPictureNode

from home.templatetags.image_tags import PictureNode, picture_html

pytestmark = pytest.mark.django_db

TEMPLATES = Path(settings.BASE_DIR) / "templates"
PICTURE_TAG = re.compile(r"{% picture (\S+) (.*?) %}")


def _site_pictures():
    """Each `{% picture %}` of the site's templates: (template, the tag)."""
    for path in sorted(TEMPLATES.rglob("*.html")):
        for match in PICTURE_TAG.finditer(path.read_text()):
            yield path.relative_to(TEMPLATES), match


def _render(library, tag, **context):
    return Template("{% load " + library + " %}" + tag).render(Context(context))


ALTS = [
    {"text": "Two people & a <map>, \"quoted\" and 'quoted'", "lang": "en"},
    {"text": mark_safe("Safe &amp; sound"), "lang": None},  # noqa: S308
    {"text": "", "lang": None},
]


@pytest.mark.parametrize("lead", [True, False])
def test_every_picture_of_the_site_as_wagtail_writes_it(small_image, lead):
    found = list(_site_pictures())
    assert len(found) >= 5  # card, image block, video poster (twice), person
    for template, match in found:
        tag = "{% picture image " + match.group(2) + " %}"
        for alt in ALTS:
            context = {"image": small_image, "alt": alt, "lead": lead}
            ours = _render("image_tags", tag, **context)
            assert ours == _render("wagtailimages_tags", tag, **context), template
            assert ours.startswith("<picture><source") and ours.count("<source") == 2
            assert _render("image_tags", tag, image=None) == ""


def test_every_picture_of_the_site_is_the_sites():
    engine = engines["django"].engine
    templates = {template for template, _ in _site_pictures()}
    assert templates
    for template in templates:
        nodes = engine.get_template(str(template)).nodelist.get_nodes_by_type(WagtailPictureNode)
        assert nodes and all(type(node) is PictureNode for node in nodes), template


@pytest.mark.parametrize(
    "specs",
    [
        "fill-{40x30,80x60} format-{avif,webp,jpeg}",  # the site's shape
        "width-{40,80,120} format-{webp,png}",  # PNG as the fallback
        "width-{40,80} format-{gif,jpeg}",
        "width-{40,80}",  # one format: an <img> with a srcset
        "width-40 format-webp",  # one rendition
        "width-{40,80} format-webp",
    ],
)
def test_the_html_of_any_renditions_and_attributes(small_image, specs):
    attribute_sets = [
        {},
        {"sizes": "(min-width: 48em) 28rem, 100vw", "alt": ALTS[0]["text"], "lang": None},
        {"alt": ALTS[1]["text"], "class": "a b", "hidden": True, "inert": False, "width": 7},
        {"alt": gettext_lazy("Home"), "data-x": "<&>", "loading": "lazy", "srcset": "given"},
    ]
    tag = "{% picture image " + specs + " as picture %}"
    ours = Template("{% load image_tags %}" + tag)
    theirs = Template("{% load wagtailimages_tags %}" + tag)
    for attrs in attribute_sets:
        context = Context({"image": small_image})
        ours.render(context)
        picture = context["picture"]
        assert isinstance(picture, Picture)
        renditions = {rendition.filter_spec: rendition for rendition in picture.renditions}
        expected = Picture(renditions, dict(attrs)).__html__()
        assert picture_html(renditions, dict(attrs)) == expected
        context = Context({"image": small_image})
        theirs.render(context)
        assert _files(context["picture"]) == _files(picture)


def _files(picture):
    return [(r.filter_spec, r.file.name, r.width, r.height) for r in picture.renditions]


def test_a_missing_file_as_wagtail_writes_it(small_image):
    small_image.renditions.all().delete()
    Path(small_image.file.path).unlink()
    tag = '{% picture image fill-{40x30,80x60} format-{avif,webp,jpeg} alt="" sizes="5rem" %}'
    ours = _render("image_tags", tag, image=small_image)
    assert "not-found" in ours
    assert ours == _render("wagtailimages_tags", tag, image=small_image)
