"""Fail when a view or API module reads a council's rows around its app's queries.

    python scripts/check_access.py           # every view and API module of xieshang/
    python scripts/check_access.py FILE...   # these files only

docs/architecture.md: every object is read through the app's `access_*` or
query functions, which filter by council and by what the actor may see and
answer the same 404 for "missing" and "not yours". A view that writes
`Reply.objects.filter(...)` itself can forget either filter, and nothing
would notice; so this check refuses it, as Zulip's linter refuses
`Message.objects` outside `access_message()`.

A finding is any `<model>.objects` (or `_default_manager`, `_base_manager`),
or `get_object_or_404(<model>, ...)` / `get_list_or_404`, in a module under
an app's `views` or `api` where the model is a tenant model (a `TenantModel`,
or a model with a `council` foreign key), or where the checker cannot tell
which model it is (a variable, `apps.get_model(...)`): such code should take
a queryset from a query function instead.
`<model>.objects.none()` reads nothing and is not a finding.

The module is imported, so that names resolve exactly as Python resolves
them (aliases and re-exports included); the reads are found in its syntax
tree, not by matching text.
"""

from __future__ import annotations

import ast
import importlib
import importlib.util
import os
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "xieshang"
MANAGERS = frozenset({"objects", "_default_manager", "_base_manager"})
SHORTCUTS = frozenset({"get_object_or_404", "get_list_or_404"})
INTERFACE_PREFIXES = ("views", "api")
UNKNOWN = object()

# (module path from the repository root, function) -> why it may read directly.
# Keep it short: every entry is a place where the rule does not fit, said why.
ALLOWED: dict[tuple[str, str], str] = {}


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    scope: str
    expression: str
    problem: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: in {self.scope}: `{self.expression}` {self.problem}"


def setup_django() -> None:
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def interface_modules(package: Path = PACKAGE) -> list[Path]:
    """The view and API modules of every app under package: an app's
    `views.py` / `api.py`, and every module of its `views/` or `api/`
    package. Tests and migrations are not interfaces."""
    found = []
    for path in sorted(package.glob("*/**/*.py"), key=Path.as_posix):
        inside_app = path.relative_to(package).parts[1:]
        if inside_app[0] in ("tests", "migrations"):
            continue
        if inside_app[0].startswith(INTERFACE_PREFIXES):
            found.append(path)
    return found


def is_tenant_model(value: Any) -> bool:
    """Whether value is a model class whose rows belong to one council."""
    from django.core.exceptions import FieldDoesNotExist
    from django.db import models

    from xieshang.core.models import TenantModel
    from xieshang.councils.models import Council

    if not (isinstance(value, type) and issubclass(value, models.Model)):
        return False
    if issubclass(value, TenantModel):
        return True
    try:
        field = value._meta.get_field("council")
    except FieldDoesNotExist:
        return False
    return bool(field.is_relation and field.related_model is Council)


def load_module(path: Path) -> ModuleType:
    """Import the module at path: by its dotted name when it is part of the
    project, else (a planted file) under a name of its own."""
    try:
        dotted = ".".join(path.resolve().relative_to(ROOT).with_suffix("").parts)
    except ValueError:
        dotted = ""
    if dotted and not dotted.endswith("__init__"):
        return importlib.import_module(dotted)
    if dotted:
        return importlib.import_module(dotted.removesuffix(".__init__"))
    spec = importlib.util.spec_from_file_location(f"_checked_{abs(hash(path))}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class ManagerReads(ast.NodeVisitor):
    """Collect the `.objects` reads of one module, with the function each is in."""

    def __init__(self, namespace: dict[str, Any]) -> None:
        self.namespace = namespace
        self.scopes: list[str] = []
        self.reads: list[tuple[ast.expr, str, str]] = []

    def _enter(self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) -> None:
        self.scopes.append(node.name)
        self.generic_visit(node)
        self.scopes.pop()

    visit_FunctionDef = visit_AsyncFunctionDef = visit_ClassDef = _enter

    def visit_Attribute(self, node: ast.Attribute) -> None:
        if node.attr in MANAGERS:
            self._note(node, node.value)
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
        # The first argument may also be a queryset from a query function,
        # which is how those are meant to be used: only a model is a finding.
        if name in SHORTCUTS and node.args and is_tenant_model(self._resolve(node.args[0])):
            self._note(node, node.args[0])
        self.generic_visit(node)

    def _note(self, node: ast.expr, model: ast.expr) -> None:
        problem = self._problem(model)
        if problem:
            self.reads.append((node, ".".join(self.scopes) or "<module>", problem))

    def _resolve(self, expression: ast.expr) -> Any:
        """The value a name or dotted name has in the module, else UNKNOWN."""
        if isinstance(expression, ast.Name):
            return self.namespace.get(expression.id, UNKNOWN)
        if isinstance(expression, ast.Attribute):
            return getattr(self._resolve(expression.value), expression.attr, UNKNOWN)
        return UNKNOWN

    def _problem(self, model: ast.expr) -> str:
        value = self._resolve(model)
        if value is UNKNOWN:
            return "reads rows of a model this check cannot name: take them from a function in queries.py"
        if is_tenant_model(value):
            return "reads a council's rows directly: take them from a function in the app's queries.py"
        return ""


def _reads_nothing(node: ast.expr, parents: dict[ast.AST, ast.AST]) -> bool:
    """Whether node is the `X.objects` of `X.objects.none()`."""
    attribute = parents.get(node)
    return (
        isinstance(attribute, ast.Attribute)
        and attribute.attr == "none"
        and isinstance(parents.get(attribute), ast.Call)
    )


def check_module(path: Path) -> Iterator[Finding]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    reads = ManagerReads(vars(load_module(path)))
    reads.visit(tree)
    shown = _shown_path(path)
    for node, scope, problem in reads.reads:
        if not _reads_nothing(node, parents):
            yield Finding(shown, node.lineno, scope, ast.unparse(node), problem)


def _shown_path(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


def check(paths: Iterable[Path], allowed: dict[tuple[str, str], str] = ALLOWED) -> list[str]:
    """The problems in paths: each read not allowed, and each allow-list
    entry (for a checked file) that no longer matches a read."""
    paths = list(paths)
    problems, used = [], set()
    for path in paths:
        for finding in check_module(path):
            key = (finding.path, finding.scope)
            if key in allowed:
                used.add(key)
            else:
                problems.append(str(finding))
    checked = {_shown_path(path) for path in paths}
    for key in sorted(set(allowed) - used):
        if key[0] in checked:
            problems.append(f"{key[0]}: allow-list entry for {key[1]} matches no read any more: remove it")
    return problems


def main(argv: list[str]) -> int:
    setup_django()
    paths = [Path(arg) for arg in argv] or interface_modules()
    problems = check(paths)
    for problem in problems:
        print(problem)
    if problems:
        print(f"\n{len(problems)} direct read(s) of council rows in views or API modules.")
        return 1
    print(f"Checked {len(paths)} view and API modules: every read goes through queries.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
