"""The image model's rendition lookups (home/wagtail_rendition_cache.py) give
Wagtail's own answers: the same renditions (rows, files, sizes, focal point keys, in
the order asked), with the cache cold, warm, with renditions prefetched, missing
(made here) or made by the other, after the focal point moved and for specs that
Wagtail rewrites ("preserve-svg"); and leave the cache holding what Wagtail's would.
What they save: a warm cache is read and never written back, and a spec is parsed
once per process.
"""

import pickle
from contextlib import contextmanager
from unittest import mock

import pytest
from django.db import connection
from django.db.models import Model
from django.test.utils import CaptureQueriesContext
from wagtail.images.exceptions import InvalidFilterSpecError
from wagtail.images.models import AbstractImage, Filter

from home.models import CustomImage, CustomRendition
from home.wagtail_rendition_cache import filter_for

pytestmark = pytest.mark.django_db

# The site's own specs (a card, an image block, a person's photo, the sharing image),
# small ones, and two that Wagtail rewrites before looking.
SPECS = [
    *Filter.expand_spec(["fill-{400x225,800x450}", "format-{avif,webp,jpeg}"]),
    *Filter.expand_spec(["width-{400,800}", "format-{webp,jpeg}"]),
    "fill-1200x630|format-jpeg",
    "max-60x40",
    "fill-30x30|preserve-svg",
    "width-50|format-png|preserve-svg",
]
MISSING = "missing"
OVERRIDDEN = ("get_rendition", "get_renditions", "find_existing_renditions", "clean_filter_for_svg")


@contextmanager
def wagtails_own():
    """Wagtail's code for every method the site overrides, and Django's pickling."""
    with mock.patch.object(CustomRendition, "__getstate__", Model.__getstate__):
        patches = [
            mock.patch.object(CustomImage, name, getattr(AbstractImage, name))
            for name in OVERRIDDEN
        ]
        for patch in patches:
            patch.start()
        try:
            yield
        finally:
            for patch in patches:
                patch.stop()


@pytest.fixture
def image(small_image):
    return small_image


def fresh(image):
    """The image as a page would get it: a new instance, nothing prefetched."""
    return CustomImage.objects.get(pk=image.pk)


def described(renditions, image):
    return [
        (
            spec,
            r.pk,
            r.filter_spec,
            r.focal_point_key,
            r.file.name,
            r.width,
            r.height,
            r.image is image,
            r.alt,
        )
        for spec, r in renditions.items()
    ]


def one(image, spec):
    return described({spec: image.get_rendition(spec)}, image)


def many(image, specs):
    return described(image.get_renditions(*specs), image)


def cache_key(image, spec):
    filter = AbstractImage.clean_filter_for_svg(image, Filter(spec))
    return CustomRendition.construct_cache_key(image, filter.get_cache_key(image), filter.spec)


def cached(image, specs):
    """What the cache holds for each spec of `image`: a rendition's id and file, or
    MISSING. (Renditions made several at a time have no id on SQLite, in Wagtail's
    cache as in ours: bulk_create does not return them.)"""
    values = {spec: CustomRendition.cache_backend.get(cache_key(image, spec)) for spec in specs}
    return {
        spec: MISSING if value is None else (value.pk, value.file.name)
        for spec, value in values.items()
    }


def both(call, image, *args):
    """`call` with the site's code then Wagtail's, on fresh instances with the same
    cache (restored in between): the answers, and what each left in the cache."""
    backend = CustomRendition.cache_backend
    before = cached(image, SPECS)
    ours_image = fresh(image)
    ours = call(ours_image, *args)
    ours_cache = cached(image, SPECS)
    for spec, value in before.items():  # the cache as it was
        if value is MISSING:
            backend.delete(cache_key(image, spec))
    with wagtails_own():
        theirs_image = fresh(image)
        theirs = call(theirs_image, *args)
        theirs_cache = cached(image, SPECS)
    return (ours, ours_cache), (theirs, theirs_cache)


def _many_ours(image, specs):
    return many(image, specs)


def _many_wagtails(image, specs):
    with wagtails_own():
        return many(image, specs)


def _one_by_one(image, specs):
    return [one(image, spec) for spec in specs]


@pytest.mark.parametrize("maker", [_many_ours, _many_wagtails])
@pytest.mark.parametrize("call", [many, _one_by_one])
def test_the_same_renditions_as_wagtails_whatever_the_cache_holds(image, maker, call):
    CustomRendition.cache_backend.clear()
    maker(fresh(image), SPECS)  # missing: made by the site's code, or Wagtail's
    for state in ("warm", "cold", "warm again"):
        if state == "cold":
            CustomRendition.cache_backend.clear()
        ours, theirs = both(call, image, SPECS)
        assert ours == theirs, state
    assert MISSING not in ours[1].values()


def test_what_one_makes_the_other_finds(image):
    made = many(fresh(image), SPECS)
    with wagtails_own():
        assert many(fresh(image), SPECS) == made  # from the cache
        made = one(fresh(image), "fill-90x90")
        CustomRendition.cache_backend.clear()
    assert one(fresh(image), "fill-90x90") == made  # from the database


def test_the_same_renditions_after_the_focal_point_moves(image):
    many(fresh(image), SPECS)
    image.focal_point_x, image.focal_point_y = 20, 30
    image.focal_point_width, image.focal_point_height = 10, 10
    image.save()
    many(fresh(image), SPECS)  # made for the new focal point
    ours, theirs = both(many, image, SPECS)
    assert ours == theirs
    keys = {row[3] for row in ours[0]}
    assert len(keys) == 2 and "" in keys  # fill-* varies with the focal point, width-* not
    ours, theirs = both(many, image, SPECS)  # now from the cache
    assert ours == theirs


def test_the_same_renditions_when_prefetched(image):
    many(fresh(image), SPECS)
    CustomRendition.cache_backend.clear()
    for specs in (SPECS, SPECS[:3]):  # all prefetched, or some

        def prefetched_then_asked(specs=specs):
            asking = CustomImage.objects.filter(pk=image.pk).prefetch_renditions(*specs).get()
            with CaptureQueriesContext(connection) as queries:
                answer = many(asking, SPECS)
            return answer, len(queries)

        ours = prefetched_then_asked()
        with wagtails_own():
            assert prefetched_then_asked() == ours


def test_a_warm_cache_is_read_once_and_never_written(image):
    many(fresh(image), SPECS)
    backend = CustomRendition.cache_backend

    def calls(code):
        with (
            mock.patch.object(backend, "set", wraps=backend.set) as set_one,
            mock.patch.object(backend, "set_many", wraps=backend.set_many) as set_many,
            mock.patch.object(backend, "get_many", wraps=backend.get_many) as get_many,
            CaptureQueriesContext(connection) as queries,
        ):
            code(fresh(image), SPECS)
            code(fresh(image), SPECS[:1])
            return set_one.call_count + set_many.call_count, get_many.call_count, len(queries)

    # Read in one call per picture, no query but the image's own (a fresh instance).
    assert calls(lambda image, specs: many(image, specs)) == (0, 2, 2)
    assert calls(_one_by_one) == (0, 1 + len(SPECS), 2)
    # Wagtail 8.0 writes back what it has just read. When this fails, Wagtail has
    # fixed it (wagtail/wagtail#14541): find_existing_renditions can go.
    with wagtails_own():
        assert calls(lambda image, specs: many(image, specs))[0] > 0
        assert calls(_one_by_one)[0] > 0


def test_what_is_written_lasts_a_week(image):
    backend = CustomRendition.cache_backend
    with mock.patch.object(backend, "set_many", wraps=backend.set_many) as set_many:
        many(fresh(image), SPECS[:2])
        one(fresh(image), "max-50x50")
    assert [call.kwargs["timeout"] for call in set_many.call_args_list] == [7 * 24 * 3600] * 2
    assert len(set_many.call_args_list[0].args[0]) == 2


def test_a_rendition_is_cached_without_its_image_and_read_back_with_the_askers(image):
    rendition = fresh(image).get_rendition("max-60x40")
    stored = pickle.loads(pickle.dumps(rendition))  # noqa: S301 (our own bytes)
    assert "image" not in stored._state.fields_cache
    assert "image" in rendition._state.fields_cache  # the original keeps it
    asking = fresh(image)
    asking.contextual_alt_text = "Said on the page"
    with CaptureQueriesContext(connection) as queries:
        read = asking.get_renditions("max-60x40")["max-60x40"]
    assert read._from_cache and read.image is asking and read.alt == "Said on the page"
    assert len(queries) == 0


def test_a_spec_is_parsed_once(image):
    assert filter_for("fill-400x225|format-avif") is filter_for(Filter("fill-400x225|format-avif"))
    assert filter_for("fill-400x225|format-avif").operations is not None

    class Own(Filter):
        pass

    own = Own("max-60x40")
    assert filter_for(own) is own
    for _ in range(2):  # an error is not kept
        with pytest.raises(InvalidFilterSpecError):
            fresh(image).get_rendition("nonsense-1")
    with pytest.raises(InvalidFilterSpecError):
        fresh(image).get_rendition(42)
