"""Every app is registered everywhere docs/new-app.md says it must be: an
app with permissions but no navigation entry, pages not mounted, or a layer
missing from the import contracts fails here."""

from __future__ import annotations

import importlib
import re
import tomllib
from collections.abc import Iterable
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import get_resolver

from config.api import api
from xieshang.councils.management.commands.load_demo import SEEDS as DEMO_SEEDS
from xieshang.councils.navigation import SIDE_NAV, NavItem
from xieshang.councils.roles import ROLE_PERMISSIONS, Perm

ROOT = Path(__file__).resolve().parent.parent.parent
APPS = sorted(path.parent.name for path in (ROOT / "xieshang").glob("*/apps.py"))
# Every place docs/new-app.md must name.
PLACES = (
    "config/settings.py",
    "config/urls.py",
    "config/api.py",
    "config/schedule.py",
    "config/council_setup.py",
    "xieshang/councils/roles.py",
    "xieshang/councils/navigation.py",
    "xieshang/councils/settings_catalog.py",
    "xieshang/dashboards/work.py",
    "xieshang/dashboards/search.py",
    "xieshang/duty/sources.py",
    "pyproject.toml",
    "locale/",
    "xieshang/councils/management/commands/load_demo.py",
)


def perms_of(app: str) -> list[Perm]:
    return [perm for perm in Perm if perm.value.split(".")[0] == app]


def missing_registrations(
    app: str,
    *,
    navigation: Iterable[NavItem] = SIDE_NAV,
    role_permissions: dict[str, frozenset[Perm]] = ROLE_PERMISSIONS,
) -> list[str]:
    """The places app should be registered in and is not."""
    missing = []
    if f"xieshang.{app}" not in settings.INSTALLED_APPS:
        missing.append("INSTALLED_APPS")
    contracts = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["contracts"]
    if not any(re.search(rf"\bxieshang\.{app}\b", layer) for layer in contracts[0]["layers"]):
        missing.append("the import-linter layers between apps")
    if f"xieshang.{app}" not in contracts[1]["containers"]:
        missing.append("the import-linter containers")
    perms = perms_of(app)
    if perms:
        mounted = get_resolver().namespace_dict.get(app)
        if mounted is None or not mounted[0].startswith("c/"):
            missing.append("config/urls.py under /c/<council_slug>/")
        if not any(item.url_name.startswith(f"{app}:") for item in navigation):
            missing.append("councils/navigation.py")
        granted = set().union(*role_permissions.values())
        missing += [f"ROLE_PERMISSIONS for {perm.name}" for perm in perms if perm not in granted]
    router = getattr(_module(f"xieshang.{app}.api"), "router", None)
    if router is not None and router not in [mounted for _prefix, mounted in api._routers]:
        missing.append("config/api.py")
    for command in (ROOT / "xieshang" / app / "management" / "commands").glob("seed_demo_*.py"):
        if command.stem not in DEMO_SEEDS:
            missing.append(f"load_demo ({command.stem})")
    return missing


def _module(name: str) -> object:
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError:
        return None


@pytest.mark.parametrize("app", APPS)
def test_the_app_is_registered_everywhere(app):
    assert missing_registrations(app) == []


def test_an_app_with_permissions_but_no_navigation_entry_is_caught():
    without = [item for item in SIDE_NAV if not item.url_name.startswith("meetings:")]
    assert missing_registrations("meetings", navigation=without) == ["councils/navigation.py"]


def test_a_permission_no_role_grants_is_caught():
    roles = {role: perms - {Perm.DECIDE_LEAVE} for role, perms in ROLE_PERMISSIONS.items()}
    assert missing_registrations("meetings", role_permissions=roles) == ["ROLE_PERMISSIONS for DECIDE_LEAVE"]


def test_the_guide_names_every_place():
    guide = (ROOT / "docs" / "new-app.md").read_text()
    assert [place for place in PLACES if f"`{place}`" not in guide] == []
