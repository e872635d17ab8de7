"""One writer: no module outside the registry writes the registry's models.

The registry's models (every model of the `registry` app) are written by the registry:
`registry.services` one record at a time, `registry.bulk` set-based for importers and
loaders, `registry.merging` for a curator's merge. This test parses (ast) every module
under src/naikkelas/ outside `registry/`, tests and migrations aside, and fails with
file:line for every write of a registry model it finds there, the way Zulip lints
unscoped queries.

What it catches, by name within a module (names bound anywhere in a function count for
the whole function):
- a write (save, delete, create, update, bulk_create, bulk_update, get_or_create,
  update_or_create and their async twins) called on a registry model's manager
  (`objects`, `_default_manager`, `_base_manager`) or a queryset built from it, also
  through a name it was assigned to: `Business.objects.filter(...).update(...)`;
- `save()` or `delete()` on a registry model instance: one built in place
  (`Business(...)`), a name bound to one (from a constructor, `get`, `first`, a loop
  over a queryset, `in_bulk()[...]`, a function annotated to return one, in this
  module or imported from another naikkelas module), a parameter or variable annotated
  with a registry model, or a foreign key that points at one (`listing.business.save()`,
  `business.owner.save()`);
- writes through a related manager over a registry model: its reverse accessors
  (`business.products.create()`, `owner.businesses.update()`) and the many-to-many
  fields that point at one; an accessor name that some non-registry relation shares
  counts only on a registry instance;
- raw SQL that INSERTs into, UPDATEs, DELETEs FROM, COPYs into or TRUNCATEs a registry
  table, named in the literal or through an interpolated expression that mentions a
  registry model (`f"UPDATE {_table(Business)} ..."`, or a name assigned from one);
- `core.bulk`'s inserting helpers (insert, insert_select, copy_rows, copy_stream) given
  a registry model or table.

What it cannot see: an instance whose type no name, annotation or relation tells (an
untyped parameter, an item of a dict, a `model` variable iterated over a mapping of
models), a write inside a helper of another module (that module is checked itself),
`add`/`remove`/`set`/`clear` on related managers (mostly many-to-many, whose through
table belongs to the declaring app, as `visit.businesses.set()`), SQL built by `+` or
`.format` or in another module, and `apps.get_model` with non-literal names. Reserving
ids (`core.bulk.new_ids`, `allocate_ids`) writes no row and is not counted.
"""

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from django.apps import apps
from django.db import models

SRC = Path(__file__).resolve().parent.parent / "src" / "naikkelas"

MANAGERS = {"objects", "_default_manager", "_base_manager"}
_WRITES = {"create", "update", "delete", "bulk_create", "bulk_update", "get_or_create",
           "update_or_create"}  # fmt: skip
QUERYSET_WRITES = _WRITES | {f"a{name}" for name in _WRITES}
INSTANCE_WRITES = {"save", "delete", "asave", "adelete"}
# Queryset methods that give a queryset again, or one instance.
CHAINED = {
    "all", "filter", "exclude", "select_related", "prefetch_related", "select_for_update",
    "order_by", "only", "defer", "using", "annotate", "alias", "distinct", "none",
    "reverse", "extra", "complex_filter", "union", "intersection", "difference",
}  # fmt: skip
ONE = {"get", "first", "last", "earliest", "latest", "create", "aget", "afirst", "alast",
       "acreate"}  # fmt: skip
PAIRED = {"get_or_create", "update_or_create", "aget_or_create", "aupdate_or_create"}
MANY_OF = {"list", "sorted", "tuple", "reversed", "iter"}
BULK_WRITES = {"insert", "insert_select", "copy_rows", "copy_stream"}
COLLECTIONS = {"list", "set", "frozenset", "tuple", "Sequence", "Iterable", "Iterator",
               "Collection", "MutableSequence"}  # fmt: skip
SQL_WRITE = re.compile(
    r"\b(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM|COPY|TRUNCATE(?:\s+TABLE)?)\s+(\S+)"
)
PLACEHOLDER = "\x00{}\x00"

# What an expression is, as far as the check can tell.
MODEL, QUERYSET, INSTANCE, INSTANCES, PAIR, MAPPING, TABLE, MODULE, BULK = (
    "model", "queryset", "instance", "instances", "pair", "mapping", "table",
    "registry.models", "core.bulk",
)  # fmt: skip


@dataclass(frozen=True)
class Registry:
    models: frozenset[str]
    tables: frozenset[str]
    # Relation names whose every meaning is a registry model (a foreign key to one, a
    # related manager over one), and the ones some other relation shares.
    foreign_keys: frozenset[str]
    shared_foreign_keys: frozenset[str]
    managers: frozenset[str]
    shared_managers: frozenset[str]


@cache
def registry() -> Registry:
    own = set(apps.get_app_config("registry").get_models())
    keys: dict[str, set[bool]] = {}
    managers: dict[str, set[bool]] = {}
    for model in apps.get_models():
        for f in model._meta.get_fields():
            target = f.related_model
            if not f.is_relation or target is None or isinstance(target, str):
                continue
            if f.concrete and (f.many_to_one or f.one_to_one):
                keys.setdefault(f.name, set()).add(target in own)
            elif f.concrete and f.many_to_many:
                managers.setdefault(f.name, set()).add(target in own)
            if isinstance(f, models.ForeignKey) and not f.remote_field.hidden:
                accessor = f.remote_field.get_accessor_name()
                if accessor:
                    managers.setdefault(accessor, set()).add(model in own)
    return Registry(
        models=frozenset(m.__name__ for m in own),
        tables=frozenset(m._meta.db_table for m in own),
        foreign_keys=frozenset(n for n, kinds in keys.items() if kinds == {True}),
        shared_foreign_keys=frozenset(n for n, kinds in keys.items() if kinds == {True, False}),
        managers=frozenset(n for n, kinds in managers.items() if kinds == {True}),
        shared_managers=frozenset(n for n, kinds in managers.items() if kinds == {True, False}),
    )


def _imports(tree: ast.Module) -> dict[str, str]:
    """Module-level names bound by imports to a registry model, registry.models, core.bulk
    or one of core.bulk's functions (as "core.bulk.<name>")."""
    names: dict[str, str] = {}
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                bound = alias.asname or alias.name
                if node.module == "naikkelas.registry.models":
                    if alias.name in registry().models:
                        names[bound] = MODEL
                elif node.module == "naikkelas.registry" and alias.name == "models":
                    names[bound] = MODULE
                elif node.module == "naikkelas.core" and alias.name == "bulk":
                    names[bound] = BULK
                elif node.module == "naikkelas.core.bulk":
                    names[bound] = f"{BULK}.{alias.name}"
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname and alias.name == "naikkelas.registry.models":
                    names[alias.asname] = MODULE
                elif alias.asname and alias.name == "naikkelas.core.bulk":
                    names[alias.asname] = BULK
    return names


def _annotation_kind(node: ast.expr | None, names: dict[str, str]) -> str | None:
    """INSTANCE for `Business` or `Business | None`, INSTANCES for `list[Business]` and
    the like, QUERYSET for `QuerySet[Business]`, MODEL for `type[Business]`."""
    if node is None:
        return None
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        try:
            return _annotation_kind(ast.parse(node.value, mode="eval").body, names)
        except SyntaxError:
            return None
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        return _annotation_kind(node.left, names) or _annotation_kind(node.right, names)
    if isinstance(node, ast.Subscript):
        outer = (
            node.value.attr
            if isinstance(node.value, ast.Attribute)
            else getattr(node.value, "id", "")
        )
        inner = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
        kinds = {_annotation_kind(e, names) for e in inner}
        if INSTANCE not in kinds:
            return None
        if outer == "type":
            return MODEL
        if outer == "QuerySet":
            return QUERYSET
        if outer in ("Optional",):
            return INSTANCE
        return INSTANCES if outer in COLLECTIONS else None
    return INSTANCE if _model_name(node, names) else None


def _model_name(node: ast.expr, names: dict[str, str]) -> bool:
    if isinstance(node, ast.Name):
        return names.get(node.id) == MODEL
    return (
        isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and names.get(node.value.id) == MODULE
        and node.attr in registry().models
    )


@cache
def _returns(module: str) -> dict[str, str]:
    """What the module's top-level functions are annotated to return, when it is a
    registry model (one or several)."""
    parts = module.split(".")[1:]
    path = SRC.joinpath(*parts).with_suffix(".py")
    if not path.exists():
        path = SRC.joinpath(*parts, "__init__.py")
    if not path.exists():
        return {}
    tree = ast.parse(path.read_text(), str(path))
    names = _imports(tree)
    found = {}
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            kind = _annotation_kind(node.returns, names)
            if kind:
                found[node.name] = kind
    return found


@dataclass
class Scope:
    names: dict[str, str] = field(default_factory=dict)


class Checker(ast.NodeVisitor):
    def __init__(self, where: str, tree: ast.Module) -> None:
        self.where = where
        self.module = ".".join(Path(where).with_suffix("").parts)
        base = _imports(tree)
        for node in tree.body:
            if (
                isinstance(node, ast.ImportFrom)
                and node.module
                and node.module.startswith("naikkelas.")
            ):
                returns = _returns(node.module)
                for alias in node.names:
                    if alias.name in returns:
                        base[alias.asname or alias.name] = f"returns:{returns[alias.name]}"
        for name, kind in _returns(self.module).items():
            base.setdefault(name, f"returns:{kind}")
        self.scopes = [Scope(base)]
        self.dicts = {
            target.id: {
                k.value: v
                for k, v in zip(node.value.keys, node.value.values, strict=True)
                if isinstance(k, ast.Constant)
            }
            for node in tree.body
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Dict)
            for target in node.targets
            if isinstance(target, ast.Name)
        }
        self.found: list[str] = []
        self._bind_all(tree.body)

    # Names ----------------------------------------------------------------------

    def lookup(self, name: str) -> str | None:
        for scope in reversed(self.scopes):
            if name in scope.names:
                return scope.names[name]
        return None

    def _bind(self, target: ast.expr, kind: str | None) -> None:
        if kind is None:
            return
        if isinstance(target, ast.Name):
            # A name bound once to a registry model's object counts as one everywhere in
            # its scope: flow-insensitive, so it errs towards reporting.
            self.scopes[-1].names.setdefault(target.id, kind)
        elif isinstance(target, ast.Tuple | ast.List):
            for i, element in enumerate(target.elts):
                if isinstance(element, ast.Starred):
                    element = element.value
                # A pair is what get_or_create gives: the instance, then a flag.
                if kind == INSTANCES or (kind == PAIR and i == 0):
                    self._bind(element, INSTANCE)

    def _element(self, kind: str | None) -> str | None:
        return INSTANCE if kind in (QUERYSET, INSTANCES) else None

    def _bind_all(self, body: list[ast.stmt]) -> None:
        """Bind every name of a scope before its uses are checked, twice so that a name
        assigned from another bound later in the scope is known too."""
        for _ in range(2):
            for node in body:
                for sub in _walk_scope(node):
                    self._bind_node(sub)

    def _bind_node(self, node: ast.AST) -> None:
        if isinstance(node, ast.Assign):
            kind = self.kind(node.value)
            for target in node.targets:
                if isinstance(target, ast.Tuple) and isinstance(node.value, ast.Tuple):
                    for t, v in zip(target.elts, node.value.elts, strict=False):
                        self._bind(t, self.kind(v))
                else:
                    self._bind(target, kind)
        elif isinstance(node, ast.AnnAssign):
            annotated = _annotation_kind(node.annotation, self.scopes[0].names)
            self._bind(node.target, annotated or (self.kind(node.value) if node.value else None))
        elif isinstance(node, ast.For | ast.AsyncFor | ast.comprehension):
            self._bind(node.target, self._element(self.kind(node.iter)))
        elif isinstance(node, ast.NamedExpr):
            self._bind(node.target, self.kind(node.value))

    def kind(self, node: ast.expr) -> str | None:
        names = self.scopes[0].names
        reg = registry()
        if isinstance(node, ast.Name):
            kind = self.lookup(node.id)
            return None if kind is None or kind.startswith("returns:") else kind
        if isinstance(node, ast.Attribute):
            if _model_name(node, names):
                return MODEL
            value = self.kind(node.value)
            if value == MODEL and node.attr in MANAGERS:
                return QUERYSET
            if value == MAPPING and node.attr == "values":
                return "values"
            if node.attr in reg.foreign_keys or (
                value == INSTANCE and node.attr in reg.shared_foreign_keys
            ):
                return INSTANCE
            if node.attr in reg.managers or (
                value == INSTANCE and node.attr in reg.shared_managers
            ):
                return QUERYSET
            return None
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Attribute):
                value = self.kind(func.value)
                if value == QUERYSET:
                    if func.attr in CHAINED:
                        return QUERYSET
                    if func.attr in ONE:
                        return INSTANCE
                    if func.attr in PAIRED:
                        return PAIR
                    if func.attr == "in_bulk":
                        return MAPPING
                    if func.attr == "iterator":
                        return INSTANCES
                if value == "values":
                    return INSTANCES
                if (
                    func.attr == "get_model"
                    and len(node.args) >= 1
                    and isinstance(node.args[0], ast.Constant)
                    and node.args[0].value == "registry"
                ):
                    return MODEL
            if isinstance(func, ast.Name):
                bound = self.lookup(func.id)
                if bound == MODEL:
                    return INSTANCE
                if bound and bound.startswith("returns:"):
                    return bound.removeprefix("returns:")
                if func.id in MANY_OF and node.args:
                    inner = self.kind(node.args[0])
                    return INSTANCES if inner in (QUERYSET, INSTANCES) else None
            return None
        if isinstance(node, ast.Subscript):
            value = self.kind(node.value)
            return INSTANCE if value in (QUERYSET, INSTANCES, MAPPING) else None
        if isinstance(node, ast.List | ast.Tuple) and node.elts:
            kinds = {self.kind(e) for e in node.elts}
            return INSTANCES if kinds == {INSTANCE} else None
        if isinstance(node, ast.ListComp | ast.GeneratorExp):
            self.scopes.append(Scope())
            for generator in node.generators:
                self._bind_node(generator)
            kind = self.kind(node.elt)
            self.scopes.pop()
            return INSTANCES if kind == INSTANCE else None
        return None

    def mentions_registry(self, node: ast.expr) -> bool:
        """Whether an expression names a registry model or table: what a table name
        interpolated into SQL is built from. An item of a module's dict literal taken
        by a literal key counts by that item alone (`TABLES["standing"]`)."""
        if (
            isinstance(node, ast.Subscript)
            and isinstance(node.value, ast.Name)
            and node.value.id in self.dicts
            and isinstance(node.slice, ast.Constant)
        ):
            item = self.dicts[node.value.id].get(node.slice.value)
            return item is not None and self.mentions_registry(item)
        if isinstance(node, ast.Name) and self.lookup(node.id) in (MODEL, TABLE):
            return True
        if isinstance(node, ast.Attribute) and _model_name(node, self.scopes[0].names):
            return True
        if isinstance(node, ast.Constant) and node.value in registry().tables:
            return True
        return any(
            self.mentions_registry(child)
            for child in ast.iter_child_nodes(node)
            if isinstance(child, ast.expr)
        )

    # Scopes ---------------------------------------------------------------------

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        scope = Scope()
        arguments = node.args
        for arg in [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]:
            kind = _annotation_kind(arg.annotation, self.scopes[0].names)
            if kind:
                scope.names[arg.arg] = kind
        self.scopes.append(scope)
        self._bind_all(node.body)
        self.generic_visit(node)
        self.scopes.pop()

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Assign(self, node: ast.Assign) -> None:
        # A name holding a registry table's name (`businesses = _table(Business)`).
        if self.mentions_registry(node.value) and self.kind(node.value) is None:
            for target in node.targets:
                if isinstance(target, ast.Name):
                    self.scopes[-1].names.setdefault(target.id, TABLE)
        self.generic_visit(node)

    # Writes ---------------------------------------------------------------------

    def report(self, node: ast.AST, what: str) -> None:
        self.found.append(f"{self.where}:{getattr(node, 'lineno', 0)}: {what}")

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        if isinstance(func, ast.Attribute):
            value = self.kind(func.value)
            if value == QUERYSET and func.attr in QUERYSET_WRITES:
                self.report(node, f"{func.attr}() on a registry model's manager or queryset")
            elif value == INSTANCE and func.attr in INSTANCE_WRITES:
                self.report(node, f"{func.attr}() of a registry model instance")
            elif (
                isinstance(func.value, ast.Name)
                and self.lookup(func.value.id) == BULK
                and func.attr in BULK_WRITES
            ):
                self._bulk(node, func.attr)
        elif isinstance(func, ast.Name):
            bound = self.lookup(func.id) or ""
            if bound.removeprefix(f"{BULK}.") in BULK_WRITES and bound.startswith(BULK):
                self._bulk(node, bound.removeprefix(f"{BULK}."))
        self.generic_visit(node)

    def _bulk(self, node: ast.Call, name: str) -> None:
        target = node.args[0] if node.args else None
        if target is not None and self.mentions_registry(target):
            self.report(node, f"core.bulk.{name}() into a registry table")

    def visit_Constant(self, node: ast.Constant) -> None:
        if isinstance(node.value, str):
            for match in SQL_WRITE.finditer(node.value):
                if match.group(1).strip('"`;(').lower() in registry().tables:
                    self.report(node, f"SQL writing {match.group(1)}")

    def visit_JoinedStr(self, node: ast.JoinedStr) -> None:
        parts, values = [], []
        for part in node.values:
            if isinstance(part, ast.Constant):
                parts.append(str(part.value))
            elif isinstance(part, ast.FormattedValue):
                parts.append(PLACEHOLDER.format(len(values)))
                values.append(part.value)
        text = "".join(parts)
        for match in SQL_WRITE.finditer(text):
            table = match.group(1)
            hole = re.fullmatch("\x00\\{?(\\d+)\\}?\x00.*", table)
            named = table.strip('"`;(').lower() in registry().tables
            if named or (hole and self.mentions_registry(values[int(hole.group(1))])):
                shown = ast.unparse(values[int(hole.group(1))]) if hole else table
                self.report(node, f"SQL writing {shown}")
        self.generic_visit(node)


def _walk_scope(node: ast.AST) -> Iterator[ast.AST]:
    """The nodes of one scope: nested functions and classes are scopes of their own."""
    yield node
    for child in ast.iter_child_nodes(node):
        if not isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            yield from _walk_scope(child)


def _checked() -> list[Path]:
    paths = []
    for path in sorted(SRC.rglob("*.py")):
        relative = path.relative_to(SRC).as_posix()
        parts = set(path.relative_to(SRC).parts)
        if "tests" in parts or "migrations" in parts:
            continue
        if relative.startswith("registry/"):
            continue
        paths.append(path)
    return paths


def writes_of(path: Path, where: str) -> list[str]:
    """The writes found in a module; `where` is its path from src/ (naikkelas/...)."""
    tree = ast.parse(path.read_text(), str(path))
    checker = Checker(where, tree)
    checker.visit(tree)
    return checker.found


def test_no_module_outside_the_registry_writes_its_models() -> None:
    found = [
        line
        for path in _checked()
        for line in writes_of(path, path.relative_to(SRC.parent).as_posix())
    ]
    assert not found, "Write registry models through the registry:\n" + "\n".join(found)


def test_it_sees_every_kind_of_write(tmp_path: Path) -> None:
    """The check itself: each kind of write it claims to catch, in a module of its own."""
    module = tmp_path / "probe.py"
    module.write_text(PROBE)
    found = writes_of(module, "naikkelas/catalog/probe.py")
    lines = sorted(int(line.split(":")[1]) for line in found)
    expected = [n for n, text in enumerate(PROBE.splitlines(), 1) if text.endswith("# write")]
    assert lines == expected, found


PROBE = """\
from django.db import connection

from naikkelas.core import bulk
from naikkelas.registry import models as registry
from naikkelas.registry.access import get_business_for
from naikkelas.registry.models import Business, Owner


def _table(model):
    return connection.ops.quote_name(model._meta.db_table)


def edit(actor, pk: int, business: Business, listing, owners: list[Owner]) -> None:
    Business.objects.filter(pk=pk).update(name="x")  # write
    registry.Product.objects.create(business=business)  # write
    business.save()  # write
    listing.business.save()  # write
    business.owner.delete()  # write
    business.products.filter(name="").delete()  # write
    found = get_business_for(actor, pk)
    found.save()  # write
    queryset = Owner.objects.filter(pk=pk)
    queryset.delete()  # write
    for owner in Owner.objects.all():
        owner.save()  # write
    for owner in owners:
        owner.save()  # write
    Business(name="x").save()  # write
    table = _table(Business)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET name = %s", ["x"])  # write
        cursor.execute(f"DELETE FROM {_table(Owner)}")  # write
        cursor.execute("INSERT INTO registry_product (name) VALUES ('x')")  # write
        cursor.execute(f"SELECT name FROM {table}")
    bulk.insert_select(Owner, {"name": "s.name"}, "staged s")  # write
    bulk.insert(listing.__class__, [])
    Business.objects.filter(pk=pk).exists()
    listing.save()
"""
