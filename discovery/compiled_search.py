"""Wagtail's full-text search, its SQL compiled once per shape of search.

Wagtail's database search backend builds the same queryset at every search (the
language's pages, the privacy and fallback subqueries, the content types, the rank)
and Django compiles it to SQL twice (the count, then the page): about half of an
uncached search page. Only the words change the SQL's parameters, and only in the
match expression (SQLite's MATCH string, PostgreSQL's tsquery), where each word
stands as it is, at a place that depends on the number of words only.

So for each shape (the database, the language, the number of words, the slice),
Wagtail's own queryset for one page of results (with the number of all results as
a window count, so the page takes one query) is built and compiled twice, with two
sets of stand-in words. Both must give the same SQL; each parameter that differs must
be a string that becomes the other by putting one set of stand-ins in place of the
other, and no other parameter may hold a stand-in. Later searches of that shape run
the SQL with the words put in place of the stand-ins. A shape that does not compile
so is refused (ValueError) and the caller searches as Wagtail does.

The stand-ins are words as `discovery.search.WORDS` finds them, with capitals, an
underscore, a digit and letters beyond ASCII, so that any change the backend made to
a word (case, accents, escaping) would show. tests/test_compiled_search.py compares
the results with Wagtail's for many terms, in each language, on SQLite and PostgreSQL.
"""

import re
import threading

from django.db import connections
from django.db.models import Count, Window

MAX_SHAPES = 512

_shapes = {}
_lock = threading.Lock()


def _stand_ins(count, which):
    """`count` words, none part of another, all alike but for `which` (0 or 1)."""
    mark = "ÉqzÅ" if which == 0 else "ÖqzŁ"
    return [f"Zx{index}_{mark}ß" for index in range(count)]


class _Text:
    """A parameter holding the words: its pieces, text and word positions in turn."""

    __slots__ = ("pieces",)

    def __init__(self, first, words, other, other_words):
        pattern = re.compile("|".join(re.escape(word) for word in words))
        pieces, position = [], 0
        for found in pattern.finditer(first):
            pieces += [first[position : found.start()], words.index(found.group())]
            position = found.end()
        pieces.append(first[position:])
        self.pieces = pieces
        if self.render(other_words) != other:
            raise ValueError(f"the words do not reach {first!r} as they are")

    def render(self, words):
        return "".join(
            words[piece] if index % 2 else piece for index, piece in enumerate(self.pieces)
        )


class CompiledSearch:
    """One shape's SQL; `run(words)` gives the rows of `values_list(*fields)` with the
    total of the search's results last."""

    def __init__(self, build, count, using):
        """`build(words)` gives Wagtail's sliced queryset for `count` words."""
        first_words, other_words = _stand_ins(count, 0), _stand_ins(count, 1)
        # A first build fills the caches it reads (the content types), which may
        # change the order of a list of ids between the first build and the next.
        _compile(build(first_words), using)
        first, compiler = _compile(build(first_words), using)
        other, _ = _compile(build(other_words), using)
        (sql, params), (other_sql, other_params) = first, other
        if sql != other_sql or len(params) != len(other_params):
            raise ValueError("the SQL changes with the words")
        every = [*first_words, *other_words]
        self.params = []
        for param, other_param in zip(params, other_params, strict=True):
            if param == other_param:
                if isinstance(param, str) and any(word in param for word in every):
                    raise ValueError(f"a stand-in was changed in {param!r}")
                self.params.append(param)
            elif isinstance(param, str) and isinstance(other_param, str):
                self.params.append(_Text(param, first_words, other_param, other_words))
            else:
                raise ValueError(f"a parameter changes with the words: {param!r}")
        if not any(isinstance(param, _Text) for param in self.params):
            raise ValueError("the words reach no parameter")
        self.sql, self.using = sql, using
        fields = [column[0] for column in compiler.select[: compiler.col_count]]
        self.converters = list(compiler.get_converters(fields).items())

    def run(self, words):
        params = [
            param.render(words) if isinstance(param, _Text) else param for param in self.params
        ]
        connection = connections[self.using]
        with connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            rows = cursor.fetchall()
        if not self.converters:
            return rows
        converted = []
        for row in rows:
            row = list(row)
            for position, (converters, expression) in self.converters:
                for converter in converters:
                    row[position] = converter(row[position], expression, connection)
            converted.append(tuple(row))
        return converted


def _compile(queryset, using):
    compiler = queryset.query.get_compiler(using=using)
    sql, params = compiler.as_sql()
    return (sql, tuple(params)), compiler


def page_rows(results, fields):
    """Wagtail's queryset for the search results `results` (sliced), reduced to
    `fields` and the number of all results (`listing_total`), last."""
    queryset = results.get_queryset()
    return queryset.annotate(listing_total=Window(Count("*"))).values_list(*fields, "listing_total")


def compiled(key, build, count, using):
    """The CompiledSearch of `key` (naming all the SQL depends on besides the words),
    compiled at the first ask; raises ValueError for a shape that cannot be."""
    shape = _shapes.get(key)
    if shape is None:
        try:
            shape = CompiledSearch(build, count, using)
        except ValueError as refusal:
            shape = refusal
        with _lock:
            if len(_shapes) >= MAX_SHAPES:
                for old in list(_shapes)[: MAX_SHAPES // 2]:
                    _shapes.pop(old, None)
            _shapes[key] = shape
    if isinstance(shape, ValueError):
        raise shape
    return shape


def forget():
    """Empty the shapes (tests that rebuild the database or change the backend)."""
    with _lock:
        _shapes.clear()
