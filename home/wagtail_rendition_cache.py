"""Wagtail's rendition lookups without the work they repeat on every render.

Every `{% picture %}` asks for six renditions. Wagtail 8.0 (wagtail/images/models.py)
then, for each: builds a new `Filter` and parses its spec again (each operation's
arguments checked through `inspect`, twice per filter for the cache keys), reads
the renditions from the cache, and writes every one of them straight back (only
prefetched renditions are marked `_from_cache`), pickling each with its image.
Here:

- a filter spec is parsed once per process (`filter_for`: the specs are the
  templates' handful of constant strings; at most `MAX_SPECS` are kept);
- a rendition read from the cache is marked `_from_cache` and not written back, by
  `get_renditions` (`{% picture %}`) as by `get_rendition` (`{% image %}`); what is
  written lasts a week (`CACHE_SECONDS`), since reading no longer renews it;
- a rendition is cached without its image (`SlimPickleMixin`): whoever reads it
  from the cache sets its image to the one asking, as Wagtail does.

Wagtail fixed the write-back upstream (wagtail/wagtail#14541, merged after 8.0.1;
its spec parsing and cache lifetime are unchanged there): once the site runs a
release with it, `find_existing_renditions` can go. tests/home/test_rendition_cache.py
compares every answer with Wagtail's own; docs/architecture.md ("Wagtail's code
replaced for speed").
"""

from functools import lru_cache

from django.db.models import Q
from wagtail.images.exceptions import InvalidFilterSpecError
from wagtail.images.models import Filter

MAX_SPECS = 256
# A cached rendition is never written again while it is read, so it lasts this long
# (Wagtail's write-back kept it alive at the cache's default 300 s). Its key holds
# everything it depends on (the image, its file's hash, its focal point, the spec),
# and Wagtail deletes it when the rendition is deleted.
CACHE_SECONDS = 7 * 24 * 60 * 60


@lru_cache(maxsize=MAX_SPECS)
def _parsed(spec):
    return Filter(spec)


def filter_for(filter):
    """The process's one `Filter` for `filter`'s spec (a string or a `Filter`), its
    operations parsed once. A subclass of `Filter` is left as it is."""
    if isinstance(filter, str):
        return _parsed(filter)
    if type(filter) is Filter and filter.spec is not None:
        return _parsed(filter.spec)
    return filter


class RenditionCacheMixin:
    """For the image model: `get_rendition(s)`, `find_existing_renditions` and
    `clean_filter_for_svg` as Wagtail's, with parsed filters reused and cache hits not
    written back."""

    def get_rendition(self, filter):
        if not isinstance(filter, (str, Filter)):
            raise InvalidFilterSpecError(
                "Unrecognised filter format - string or Filter instance expected"
            )
        Rendition = self.get_rendition_model()
        filter = self.clean_filter_for_svg(filter_for(filter))
        try:
            rendition = self.find_existing_rendition(filter)
        except Rendition.DoesNotExist:
            rendition = self.create_rendition(filter)
            self._add_to_prefetched_renditions(rendition)
        self._cache_renditions({filter: rendition})
        return rendition

    def get_renditions(self, *filters):
        cleaned = (self.clean_filter_for_svg(filter_for(filter)) for filter in filters)
        filters = list(dict.fromkeys(cleaned))  # without duplicates, in order
        renditions = self.find_existing_renditions(*filters)
        not_found = [filter for filter in filters if filter not in renditions]
        for filter, rendition in self.create_renditions(*not_found).items():
            self._add_to_prefetched_renditions(rendition)
            renditions[filter] = rendition
        self._cache_renditions(renditions)
        return {filter.spec: renditions[filter] for filter in filters}

    def clean_filter_for_svg(self, filter):
        # Wagtail's makes a new Filter for a spec with "preserve-svg": reuse ours.
        return filter_for(super().clean_filter_for_svg(filter))

    def _cache_renditions(self, renditions):
        Rendition = self.get_rendition_model()
        additions = {
            Rendition.construct_cache_key(self, filter.get_cache_key(self), filter.spec): rendition
            for filter, rendition in renditions.items()
            if not getattr(rendition, "_from_cache", False)
        }
        if additions:
            Rendition.cache_backend.set_many(additions, timeout=CACHE_SECONDS)

    def find_existing_renditions(self, *filters):
        if self._get_prefetched_renditions() is not None:
            return super().find_existing_renditions(*filters)
        Rendition = self.get_rendition_model()
        filters_by_key = {
            Rendition.construct_cache_key(self, filter.get_cache_key(self), filter.spec): filter
            for filter in filters
        }
        found = {}
        for key, rendition in Rendition.cache_backend.get_many(list(filters_by_key)).items():
            rendition.image = self
            rendition._from_cache = True
            found[filters_by_key[key]] = rendition
        not_found = [filter for filter in filters if filter not in found]
        if not_found:
            filters_by_spec = {filter.spec: filter for filter in not_found}
            lookup = Q()
            for filter in not_found:
                lookup |= Q(filter_spec=filter.spec, focal_point_key=filter.get_cache_key(self))
            for rendition in self.renditions.filter(lookup):
                found[filters_by_spec[rendition.filter_spec]] = rendition
        return found


class SlimPickleMixin:
    """For the rendition model: pickled (for the cache) without its image, which the
    reader replaces anyway; a cached rendition then costs a fraction to read."""

    def __getstate__(self):
        state = super().__getstate__()  # Django's, with a copy of the fields' cache
        state["_state"].fields_cache.pop("image", None)
        return state
