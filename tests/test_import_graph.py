"""Every app imports only itself and the apps below it, and no module imports itself back.

An upward import ties a lower app to what is built on it: the registry could not be
read, changed or tested without graduation, dedup and the rest. A lower app tells the
ones above through what it owns instead (registry.signals, registry.panels,
graduation.signals), and they connect in their AppConfig.ready. An import cycle between
modules works only while the import hidden inside a function stays hidden.

Imports inside functions count as much as those at the top. Tests and migrations are
left out: a migration names the other apps' migrations it depends on, as Django wants.
"""

import ast
from collections.abc import Iterator
from pathlib import Path

import naikkelas

ROOT = Path(naikkelas.__file__).parent
# The modules directly in the package (settings, urls, cli, wsgi): they wire the apps
# together, so they sit on top of all of them.
PROJECT = "naikkelas"

# Bottom first: an app may import itself and the apps before it here, never one after.
LAYERS = (
    "core",  # errors, audit, personal data, field rules, shared templates: no domain
    "regions",  # provinces down to kelurahan
    "accounts",  # users, roles and their working areas
    "jobs",  # background jobs, their progress and files
    "registry",  # businesses, owners, figures, documents: the record the rest reads
    "catalog",  # the public product catalogue of registered businesses
    "graduation",  # size class, readiness and graduations computed from the registry
    "programs",  # programmes, cohorts, outcomes and credit referrals
    "portal",  # the owners' own pages and the changes they ask for
    "engagement",  # field visits, complaints and needs
    "dedup",  # duplicate detection, merges and their undoing
    "intake",  # spreadsheet imports (SIDT and the template)
    "monitoring",  # the leadership dashboard, its reports and targets
    "operations",  # backup, restore and the scan for personal data in clear
    "api",  # the REST API over the apps above
    "fieldwork",  # the volunteers' offline app: its shells, manifest and service worker
    "demo",  # the synthetic city, built through every app
    PROJECT,
)


def _modules() -> Iterator[tuple[str, Path]]:
    """Every module in scope, by dotted name."""
    for path in sorted(ROOT.rglob("*.py")):
        relative = path.relative_to(ROOT)
        if {"tests", "migrations"} & set(relative.parts):
            continue
        parts = relative.with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        yield ".".join((PROJECT, *parts)), path


def _imports(name: str, path: Path) -> Iterator[tuple[int, str]]:
    """(line, dotted name) of everything `path` imports from the project, anywhere in it.

    `from a import b` yields `a.b` as well as `a`: `b` may be a module of `a`.
    """
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([node.module] if node.module else [])])
            targets = [base, *(f"{base}.{alias.name}" for alias in node.names)]
        else:
            continue
        for target in targets:
            if target == PROJECT or target.startswith(PROJECT + "."):
                yield node.lineno, target


def _app(dotted: str) -> str:
    """The app of a module: `naikkelas.registry.services` → `registry`."""
    parts = dotted.split(".")
    return parts[1] if len(parts) > 1 and (ROOT / parts[1]).is_dir() else PROJECT


def test_no_app_imports_an_app_above_it() -> None:
    modules = dict(_modules())
    imports = {name: list(_imports(name, path)) for name, path in modules.items()}
    apps = {_app(name) for name in modules} | {
        _app(t) for found in imports.values() for _, t in found
    }
    assert apps <= set(LAYERS), f"Apps to place in LAYERS: {sorted(apps - set(LAYERS))}"
    upward: set[str] = set()
    for name, path in modules.items():
        layer = LAYERS.index(_app(name))
        for line, target in imports[name]:
            if LAYERS.index(imported := _app(target)) > layer:
                upward.add(f"{path.relative_to(ROOT)}:{line} imports {imported}")
    assert not upward, "Imports of a higher app:\n" + "\n".join(sorted(upward))


def test_no_module_imports_itself_back() -> None:
    modules = dict(_modules())
    edges = {
        name: sorted({t for _line, t in _imports(name, path) if t in modules and t != name})
        for name, path in modules.items()
    }
    done: set[str] = set()

    def cycle_from(start: str, trail: list[str]) -> list[str]:
        for nxt in edges[start]:
            if nxt in trail:
                return [*trail[trail.index(nxt) :], nxt]
            if nxt not in done and (found := cycle_from(nxt, [*trail, nxt])):
                return found
        done.add(start)
        return []

    cycles = {frozenset(found): found for name in modules if (found := cycle_from(name, [name]))}
    assert not cycles, "Import cycles:\n" + "\n".join(" → ".join(c) for c in cycles.values())
