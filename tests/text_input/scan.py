"""Find the places where text could enter without the platform's one
normaliser (core.textinput): form classes whose text fields it does not
reach, APIs that parse requests without it, endpoint parameters that do not
pass through it unless a pattern bounds them, and API modules that read the
raw request themselves.
"""

from __future__ import annotations

import ast
import importlib
import pkgutil
import typing
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from django import forms
from ninja import NinjaAPI
from pydantic import BaseModel

import xieshang
from xieshang.core.api import NormalisingParser
from xieshang.core.forms import NormalisedTextMixin, takes_text

ROOT = Path(xieshang.__file__).resolve().parent
# Where django-ninja hands parameters over without the parser.
UNPARSED_SOURCES = {"path", "header", "cookie"}
RAW_REQUEST_READS = {"body", "POST", "GET", "FILES", "read", "readline", "readlines", "stream"}


def project_modules() -> Iterator[str]:
    """Every module of the platform but its tests and migrations."""
    for info in pkgutil.walk_packages([str(ROOT)], prefix="xieshang."):
        parts = info.name.split(".")
        if "tests" in parts or "migrations" in parts:
            continue
        yield info.name


def project_form_classes() -> list[type[forms.BaseForm]]:
    """Every form class the platform defines (importing all its modules)."""
    for name in project_modules():
        importlib.import_module(name)
    found: list[type[forms.BaseForm]] = []
    pending: list[type[Any]] = [forms.BaseForm]
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        module = cls.__module__.split(".")
        if module[0] == "xieshang" and "tests" not in module:
            found.append(cls)
    return found


def form_bypasses(form_classes: Iterable[type[forms.BaseForm]]) -> list[str]:
    """Text fields of forms that do not normalise what is typed into them."""
    problems = []
    for cls in form_classes:
        if issubclass(cls, NormalisedTextMixin):
            continue
        for name, field in cls.base_fields.items():
            if takes_text(field):
                where = f"{cls.__module__}.{cls.__qualname__}.{name}"
                problems.append(f"{where}: not normalised (NormalisedTextMixin)")
    return problems


def _takes_str(annotation: Any) -> bool:
    if annotation is str:
        return True
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return any(_takes_str(field.annotation) for field in annotation.model_fields.values())
    return any(_takes_str(argument) for argument in typing.get_args(annotation))


def _has_pattern(field: Any) -> bool:
    return any(getattr(item, "pattern", None) for item in field.metadata)


def api_bypasses(api: NinjaAPI) -> list[str]:
    """Ways text reaches api's endpoints without the normaliser."""
    problems = []
    if not isinstance(api.parser, NormalisingParser):
        problems.append(f"{api.urls_namespace}: parses requests with {type(api.parser).__name__}")
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                problems.extend(_unparsed_text(operation))
    return problems


def _unparsed_text(operation: Any) -> Iterator[str]:
    for model in operation.models:
        if model.__ninja_param_source__ not in UNPARSED_SOURCES:
            continue
        for name, field in model.model_fields.items():
            if _takes_str(field.annotation) and not _has_pattern(field):
                where = f"{operation.view_func.__module__}.{operation.view_func.__name__}"
                yield f"{where}: {model.__ninja_param_source__} parameter {name} is text without a pattern"


def raw_request_reads(source: str, filename: str) -> list[str]:
    """Reads of the raw request (request.body, request.POST …) in source,
    which would take text past the API's parser."""
    problems = []
    for node in ast.walk(ast.parse(source, filename)):
        if (
            isinstance(node, ast.Attribute)
            and node.attr in RAW_REQUEST_READS
            and isinstance(node.value, ast.Name)
            and node.value.id == "request"
        ):
            problems.append(f"{filename}:{node.lineno}: reads request.{node.attr}")
    return problems


def api_module_files() -> list[Path]:
    """The platform's API modules: every app's api.py or api/ package."""
    files = []
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT).parts
        if "tests" in parts or "migrations" in parts:
            continue
        if path.name == "api.py" or "api" in parts[:-1]:
            files.append(path)
    return files
