"""Listings whose SQL is built and compiled once per process.

The database answers a listing's query in a few hundredths of a millisecond; the
ORM takes milliseconds to build the queryset (filters, the `public()` subquery) and
compile it to SQL, on every render. A listing's SQL depends on a few values only
(the index page's id and path, a page number, a filter), so `prepared(key, build)`
builds and compiles `build()` the first time `key` is asked in this process, and
afterwards runs the same SQL again. Django's own iterables turn the rows into the
same objects as the queryset would (select_related, annotations, values(),
Wagtail's deferred specific pages, prefetches).

`key` must name everything the SQL depends on besides the code: a page's id and
path (`child_of` compiles both), content type ids, filters, a slice. Content does
not change the SQL, only the rows, so nothing here can show outdated content; a
page moved gets a new path, hence a new key. The entries are bounded (the oldest
half goes when full).

Values that change at every request (the time) are `moments`: `build` receives
stand-ins, compiled twice to find where each lands in the parameters, and each
run puts the real moments there. `build` may only compare datetime fields with
them: a value derived from a moment (its day) must be a moment of its own, else
preparing fails (it would be frozen at the stand-in).

Chaining a prepared queryset (filter, count, a slice) gives an ordinary queryset,
compiled as usual. `PreparedListing` gives a paginator the count and the slices,
each prepared.
"""

import datetime
import math
import threading

from django.core.exceptions import EmptyResultSet
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import connections
from django.db.models import Count, DateTimeField, Value, Window

MAX_ENTRIES = 512
# Far beyond any listing's rows, within a 64-bit OFFSET.
MAX_OFFSET = 2**31

_entries = {}
_lock = threading.Lock()
_DATETIME = DateTimeField()
# Stand-ins for moments: no real listing asks about the year 2999.
_STAND_INS = (
    datetime.datetime(2999, 1, 1, tzinfo=datetime.UTC),
    datetime.datetime(2999, 6, 1, tzinfo=datetime.UTC),
)


class _Entry:
    """A compiled queryset: its SQL, parameters and what the compiler knew."""

    def __init__(self, queryset, sql, params, compiler, slots):
        self.db = queryset.db
        self.queryset_class = type(queryset)
        self.queryset_state = {k: v for k, v in queryset.__dict__.items() if k != "_result_cache"}
        self.query_class = _prepared_query_class(type(queryset.query))
        self.query_state = dict(queryset.query.__dict__)
        self.sql = sql
        self.params = tuple(params)
        self.compiler_state = (
            compiler.select,
            compiler.klass_info,
            compiler.annotation_col_map,
            getattr(compiler, "col_count", 0),
            getattr(compiler, "has_extra_select", False),
        )
        self.slots = slots  # (position in params, name of the moment)

    def queryset(self, moments):
        query = object.__new__(self.query_class)
        query.__dict__.update(self.query_state)
        query._prepared = (self, _params(self.params, self.slots, moments, self.db))
        queryset = object.__new__(self.queryset_class)
        queryset.__dict__.update(self.queryset_state)
        queryset._query = query
        queryset._result_cache = None
        return queryset


def prepared(key, build, **moments):
    """The queryset `build(**moments)` returns, its SQL compiled the first time
    `key` is asked in this process (see the module's docstring)."""
    entry = _entries.get(key)
    if entry is None:
        entry = _remember(key, _prepare(build, moments))
    return entry.queryset(moments)


def summarised(queryset, **aggregates):
    """`queryset.aggregate(**aggregates)` as a queryset of one row (a dict), which can
    be prepared: a constant grouping leaves no GROUP BY, so the aggregates cover
    every row, and an empty queryset gives one row too (a count of 0)."""
    if queryset.query.distinct or queryset.query.is_sliced:
        raise ValueError("summarise a distinct or sliced queryset with .aggregate()")
    return (
        queryset.order_by()
        .annotate(_summary=Value(1))
        .values("_summary")
        .annotate(**aggregates)
        .values(*aggregates)
    )


def prepared_count(key, build, **moments):
    """`build(**moments).count()`, its SQL compiled once per process for `key`."""

    def count(**moments):
        return summarised(build(**moments), count=Count("*"))

    (row,) = prepared(key, count, **moments)
    return row["count"]


class PreparedListing:
    """What `django.core.paginator.Paginator` asks of a queryset (its count and a
    slice), each prepared under `key`; `page()` gives a paginator's page."""

    ordered = True

    def __init__(self, key, build, **moments):
        self.key, self.build, self.moments = key, build, moments

    def page(self, number, per_page):
        """`Paginator(self, per_page).get_page(number)`, in one query when the page
        exists: its rows come with the number of rows of the whole listing (a window
        count), so the paginator needs no count of its own. A page out of range (or
        an empty listing) is left to the paginator: it counts, then slices."""
        paginator = Paginator(self, per_page)
        try:
            number = paginator._validate_number(number, math.inf)
        except PageNotAnInteger:
            number = 1  # as get_page() has it
        except EmptyPage:  # below 1: get_page() gives the last page
            return paginator.get_page(number)
        bottom = (number - 1) * per_page
        if bottom > MAX_OFFSET:  # a typed page number no listing has: SQLite's
            return paginator.get_page(number)  # OFFSET would overflow; the paginator counts

        def build(**moments):
            rows = self.build(**moments).annotate(listing_total=Window(Count("*")))
            return rows[bottom : bottom + per_page]

        key = (*self.key, "page", bottom, per_page)
        rows = list(prepared(key, build, **self.moments))
        if not rows:
            return paginator.get_page(number)
        paginator.count = rows[0].listing_total  # the cached property, known already
        return paginator._get_page(rows, number, paginator)

    def count(self):
        return prepared_count((*self.key, "count"), self.build, **self.moments)

    def __len__(self):
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice) or index.step is not None:
            raise TypeError("a prepared listing is read by slices")

        def build(**moments):
            return self.build(**moments)[index]

        return list(prepared((*self.key, index.start, index.stop), build, **self.moments))


def forget():
    """Empty the entries (tests that rebuild the database under the same keys)."""
    with _lock:
        _entries.clear()


def _remember(key, entry):
    with _lock:
        if len(_entries) >= MAX_ENTRIES:
            for old in list(_entries)[: MAX_ENTRIES // 2]:
                del _entries[old]
        _entries[key] = entry
    return entry


def _stand_ins(names, which):
    base = _STAND_INS[which]
    return {name: base + datetime.timedelta(minutes=n) for n, name in enumerate(names)}


def _compile(queryset):
    query = queryset.query  # applies a deferred filter first
    compiler = query.get_compiler(queryset.db)
    try:
        sql, params = compiler.as_sql()
    except EmptyResultSet:
        sql, params = None, ()
    return sql, tuple(params), compiler


def _prepare(build, moments):
    names = sorted(moments)
    first = build(**_stand_ins(names, 0))
    sql, params, compiler = _compile(first)
    slots = ()
    if names:
        other_sql, other_params, _ = _compile(build(**_stand_ins(names, 1)))
        slots = _slots(names, first.db, (sql, params), (other_sql, other_params))
    return _Entry(first, sql, params, compiler, slots)


def _slots(names, db, first, other):
    """Where each moment's stand-in lands in the parameters of two compilations."""
    (sql, params), (other_sql, other_params) = first, other
    if sql != other_sql or len(params) != len(other_params):
        raise ValueError("the SQL changes with the moments: it cannot be prepared")
    adapted = [
        {name: _adapt(value, db) for name, value in _stand_ins(names, which).items()}
        for which in (0, 1)
    ]
    slots = []
    for position, (a, b) in enumerate(zip(params, other_params, strict=True)):
        if a == b:
            continue
        name = next(
            (n for n in names if adapted[0][n] == a and adapted[1][n] == b),
            None,
        )
        if name is None:
            raise ValueError(
                "a parameter derives from a moment (make it a moment of its own): "
                "it cannot be prepared"
            )
        slots.append((position, name))
    return tuple(slots)


def _adapt(value, db):
    return _DATETIME.get_db_prep_value(value, connections[db])


def _params(params, slots, moments, db):
    if not slots:
        return params
    params = list(params)
    for position, name in slots:
        params[position] = _adapt(moments[name], db)
    return tuple(params)


_query_classes = {}
_compiler_classes = {}


def _prepared_query_class(base):
    if base not in _query_classes:
        _query_classes[base] = type(
            f"Prepared{base.__name__}", (_PreparedQuery, base), {"_plain_class": base}
        )
    return _query_classes[base]


class _PreparedQuery:
    """A query whose compiler answers with the SQL compiled when it was prepared."""

    def get_compiler(self, using=None, connection=None, elide_empty=True):
        if using:
            connection = connections[using]
        base = connection.ops.compiler(self.compiler)
        if base not in _compiler_classes:
            _compiler_classes[base] = type(
                f"Prepared{base.__name__}", (_PreparedCompiler, base), {}
            )
        return _compiler_classes[base](self, connection, using, elide_empty)

    def clone(self):
        """Anything chained on a prepared query is an ordinary query again."""
        plain = super().clone()
        plain.__class__ = self._plain_class
        del plain.__dict__["_prepared"]
        return plain


class _PreparedCompiler:
    def as_sql(self, with_limits=True, with_col_aliases=False):
        entry, params = self.query._prepared
        (
            self.select,
            self.klass_info,
            self.annotation_col_map,
            self.col_count,
            self.has_extra_select,
        ) = entry.compiler_state
        if entry.sql is None:
            raise EmptyResultSet
        return entry.sql, params
