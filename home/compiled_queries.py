"""Querysets compiled to SQL once per process, then run with other values.

The few queries every page makes (the site, the route, the language versions, the
chrome) cost the database a few microseconds; building their filters and compiling
their SQL costs Django ten times more, on every request. A `CompiledQuery` builds
its queryset once with stand-in values, keeps the SQL, the columns and the value
converters Django chose, and later runs the SQL with the real values:

    MENU = CompiledQuery(lambda locale: MainMenu.objects.filter(locale_id=locale))
    menus = MENU(locale=3)  # a list of MainMenu, as list(the queryset) gives

Each value must come out of the compilation as a query parameter unchanged: an id,
or a string compared as it is (not a LIKE pattern, not a UUID, which Django
rewrites). A stand-in that does not, or that appears a different number of times
than in the queryset, makes the compilation fail at once rather than give a wrong
answer. A list (for `__in`) is compiled once per length. Everything else in the
queryset is frozen at the first call: it must not hold a value that changes
(the time, the active language). The rows come back as the queryset gives them:
tuples for `values_list()`, model instances otherwise (with `select_related` and
annotations). tests/home/test_compiled_queries.py compares them with Django's.
"""

import itertools
from functools import partial

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models.query import ModelIterable, ValuesListIterable, get_related_populators

# Within a 32-bit integer column's range: PostgreSQL drops a comparison with a value
# out of range (Django compiles it to "always false").
_stand_in_numbers = itertools.count(start=2_017_300_001)


def _stand_in(value):
    """A value of `value`'s kind that nothing else in a query holds."""
    number = next(_stand_in_numbers)
    if isinstance(value, bool):
        raise TypeError("a boolean belongs in the queryset, not among the values")
    if isinstance(value, int):
        return number
    if isinstance(value, str):
        return f"compiled-query-value-{number}"
    raise TypeError(f"a compiled query takes ints and strings, not {type(value).__name__}")


class _Compiled:
    """One shape of a query: its SQL, where each value goes, how rows become results."""

    def __init__(self, queryset, stand_ins):
        if queryset._prefetch_related_lookups or queryset._known_related_objects:
            raise ValueError("a compiled query cannot prefetch")
        self.using = queryset.db
        compiler = queryset.query.get_compiler(using=self.using)
        sql, params = compiler.as_sql()
        self.sql = sql
        slots = {value: name for name, value in stand_ins}
        self.params = [
            slots[param] if _hashable(param) and param in slots else _Constant(param)
            for param in params
        ]
        used = {param for param in params if _hashable(param) and param in slots}
        texts = [str(value) for value in slots]
        rewritten = [
            param.value
            for param in self.params
            if isinstance(param, _Constant) and any(text in str(param.value) for text in texts)
        ]
        if rewritten or len(used) != len(slots):
            raise ValueError(
                f"each value must reach the SQL as it is: {sorted(map(str, slots))} gave {params}"
            )
        fields = [column[0] for column in compiler.select[: compiler.col_count]]
        self.col_count = compiler.col_count if compiler.has_extra_select else None
        self.converters = list(compiler.get_converters(fields).items())
        if compiler.has_composite_fields(fields):
            raise ValueError("a compiled query cannot select composite fields")
        iterable = queryset._iterable_class
        if iterable is ValuesListIterable:
            self.make = tuple
        elif iterable is ModelIterable:
            self.make = self._model_maker(queryset, compiler)
        else:
            raise ValueError("a compiled query gives model instances or values_list() tuples")

    def _model_maker(self, queryset, compiler):
        """As django.db.models.query.ModelIterable builds each instance."""
        select, klass_info = compiler.select, compiler.klass_info
        annotations = list(compiler.annotation_col_map.items())
        start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
        init_list = [column[0].target.attname for column in select[start:end]]
        fetch_mode = queryset._fetch_mode
        if fetch_mode.track_peers:
            raise ValueError("a compiled query keeps no peers")
        from_db = partial(klass_info["model"].from_db, fetch_mode=fetch_mode)
        populators = get_related_populators(klass_info, select, self.using, fetch_mode)

        def make(row):
            obj = from_db(self.using, init_list, row[start:end])
            for populator in populators:
                populator.populate(row, obj)
            for name, position in annotations:
                setattr(obj, name, row[position])
            return obj

        return make

    def run(self, values):
        params = [
            param.value if isinstance(param, _Constant) else values[param] for param in self.params
        ]
        connection = connections[self.using]
        with connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            rows = cursor.fetchall()
        results = []
        for row in rows:
            if self.col_count is not None:
                row = row[: self.col_count]
            if self.converters:
                row = list(row)
                for position, (converters, expression) in self.converters:
                    value = row[position]
                    for converter in converters:
                        value = converter(value, expression, connection)
                    row[position] = value
            results.append(self.make(row))
        return results


def _hashable(value):
    try:
        hash(value)
    except TypeError:
        return False
    return True


class _Constant:
    __slots__ = ("value",)

    def __init__(self, value):
        self.value = value


class _Empty:
    """A shape whose SQL Django found could match nothing (an empty `__in`)."""

    def run(self, values):
        return []


class CompiledQuery:
    """`build(**values)` returns a queryset; calling this runs its SQL, compiled at
    the first call for each shape of values (a list's length), with `values`."""

    def __init__(self, build):
        self.build = build
        self.shapes = {}

    def __call__(self, **values):
        shape = tuple(
            (name, len(value) if isinstance(value, list | tuple) else None)
            for name, value in sorted(values.items())
        )
        compiled = self.shapes.get(shape)
        if compiled is None:
            compiled = self.shapes[shape] = self._compile(values)
        flat = {}
        for name, value in values.items():
            if isinstance(value, list | tuple):
                flat.update({(name, index): item for index, item in enumerate(value)})
            else:
                flat[name] = value
        return compiled.run(flat)

    def _compile(self, values):
        stand_ins, arguments = [], {}
        for name, value in values.items():
            if isinstance(value, list | tuple):
                items = [_stand_in(item) for item in value]
                stand_ins += [((name, index), item) for index, item in enumerate(items)]
                arguments[name] = items
            else:
                arguments[name] = _stand_in(value)
                stand_ins.append((name, arguments[name]))
        queryset = self.build(**arguments)
        try:
            return _Compiled(queryset, stand_ins)
        except EmptyResultSet:
            return _Empty()
