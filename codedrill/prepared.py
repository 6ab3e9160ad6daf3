"""ORM queries compiled to SQL once per process, for the statements every request makes.

Django builds and compiles a query's SQL anew on every call: about 0.35 ms of Python for a
pattern read by its slug, which SQLite answers in 0.03 ms (benchmarks/README.md, issue 20).
A `Prepared` query is written with the ORM as usual, with a `Param` where each value goes; its
SQL is compiled once, on first use, and every call runs that SQL with the values and builds
the model instances (and those of `select_related`) the way Django's own iterable does,
converters included.

    LIVE = Prepared(lambda: Pattern.objects.filter(is_active=True, slug=Param("slug")))
    LIVE.first(slug="async-django")  # the pattern, or None

A `Param` stands for a whole value compared to a field (`=`, `<`, `<=`, `>`, `>=`); each value
is converted by that field, as the ORM converts it. Values are plain values (an id, not a model
instance), never None: `field=None` is a different statement (`IS NULL`). An integer beyond its
column's range is equal to no row, as in the ORM (a URL's id can be any number of digits).
"""

from collections.abc import Callable

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Expression, IntegerField, Model, QuerySet
from django.db.models.query import ModelIterable, get_related_populators
from django.db.transaction import TransactionManagementError

COMPARISONS = ("exact", "lt", "lte", "gt", "gte")


class Param(Expression):
    """Where a value goes in a prepared query: `filter(slug=Param("slug"))`."""

    def __init__(self, name: str):
        super().__init__()
        self.name = name
        # Set when the query is compiled: the field, the comparison, an integer column's range.
        self.compared_to = None
        self.lookup = ""
        self.range = None

    def as_sql(self, compiler, connection):
        return "%s", [self]


class _Compiled:
    """One query's SQL for one database, and how to turn its rows into model instances."""

    def __init__(self, queryset: QuerySet, using: str):
        if queryset._iterable_class is not ModelIterable or queryset.query.annotations:
            raise TypeError("A prepared query returns model instances, without annotations.")
        ops = connections[using].ops
        for lookup in queryset.query.where.leaves():
            if isinstance(param := lookup.rhs, Param):
                if lookup.lookup_name not in COMPARISONS:
                    raise TypeError(f"A Param takes part in {', '.join(COMPARISONS)} only.")
                param.compared_to, param.lookup = lookup.lhs.output_field, lookup.lookup_name
                column = getattr(param.compared_to, "target_field", param.compared_to)  # a key's
                if isinstance(column, IntegerField):
                    param.range = ops.integer_field_range(column.get_internal_type())
        compiler = queryset.query.get_compiler(using=using)
        self.sql, self.params = compiler.as_sql()
        if any(isinstance(p, Param) and p.compared_to is None for p in self.params):
            raise TypeError("A Param stands only for a value a filter compares a field to.")
        self.for_update = queryset.query.select_for_update
        select, klass_info = compiler.select, compiler.klass_info
        self.converters = list(compiler.get_converters([column[0] for column in select]).items())
        self.model = klass_info["model"]
        start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
        self.fields = slice(start, end)
        self.attnames = [column[0].target.attname for column in select[start:end]]
        self.related = get_related_populators(klass_info, select, using)


class Prepared:
    """A query built by `build()` (a QuerySet of model instances, with `Param`s for its values),
    compiled once per process for the database `using`; see the module's docstring."""

    def __init__(self, build: Callable[[], QuerySet], using: str = DEFAULT_DB_ALIAS):
        self.build = build
        self.using = using
        self._compiled: _Compiled | None = None  # compiled on first use (the apps are loaded)

    def all(self, **values) -> list[Model]:
        compiled = self._compiled or self._compile()
        connection = connections[self.using]
        if compiled.for_update and connection.get_autocommit():
            raise TransactionManagementError("select_for_update needs a transaction.")
        params = []
        for param in compiled.params:
            if isinstance(param, Param):
                value = values[param.name]
                if value is None:
                    raise ValueError(f"{param.name} is None: a prepared query compares values.")
                value = param.compared_to.get_db_prep_value(value, connection, prepared=False)
                if param.range and not param.range[0] <= value <= param.range[1]:
                    if param.lookup == "exact":
                        return []  # no row holds a value its column cannot
                    raise ValueError(f"{param.name} is beyond its column's range.")
                param = value
            params.append(param)
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            rows = cursor.fetchall()
        found = []
        for row in rows:
            if compiled.converters:
                row = list(row)
                for position, (converters, expression) in compiled.converters:
                    for converter in converters:
                        row[position] = converter(row[position], expression, connection)
            instance = compiled.model.from_db(self.using, compiled.attnames, row[compiled.fields])
            for populator in compiled.related:
                populator.populate(row, instance)
            found.append(instance)
        return found

    def first(self, **values) -> Model | None:
        """The one row the values name (the query's order decides among several), or None."""
        found = self.all(**values)
        return found[0] if found else None

    def _compile(self) -> _Compiled:
        # Two threads may both compile on first use: they make the same SQL.
        self._compiled = _Compiled(self.build(), self.using)
        return self._compiled
