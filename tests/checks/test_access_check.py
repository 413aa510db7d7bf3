"""scripts/check_access.py: a view or API module that reads a council's rows
itself, instead of through its app's queries, is reported."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent.parent


def _load_checker() -> ModuleType:
    spec = importlib.util.spec_from_file_location("check_access", ROOT / "scripts" / "check_access.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


checker = _load_checker()


def _plant(tmp_path: Path, body: str, name: str = "planted") -> Path:
    module = tmp_path / "someapp" / "views" / f"{name}.py"
    module.parent.mkdir(parents=True, exist_ok=True)
    module.write_text(body, encoding="utf-8")
    return module


def test_a_planted_read_of_a_tenant_model_is_reported(tmp_path):
    module = _plant(
        tmp_path,
        "from xieshang.proposals.models import Reply\n"
        "\n"
        "def replies(request):\n"
        "    return Reply.objects.filter(status='released')\n",
    )
    problems = checker.check([module], allowed={})
    assert len(problems) == 1
    assert "planted.py:4: in replies: `Reply.objects`" in problems[0]


def test_an_alias_and_the_default_manager_are_reported_too(tmp_path):
    module = _plant(
        tmp_path,
        "from xieshang.councils import models as m\n"
        "from xieshang.councils.models import HandlingUnit as Unit\n"
        "\n"
        "class Page:\n"
        "    def rows(self):\n"
        "        return Unit._default_manager.all(), m.Member.objects.all()\n",
    )
    problems = checker.check([module], allowed={})
    assert [p.split(": `")[1].split("`")[0] for p in problems] == [
        "Unit._default_manager",
        "m.Member.objects",
    ]
    assert all("in Page.rows" in p for p in problems)


def test_a_shortcut_given_a_tenant_model_is_reported_and_one_given_a_queryset_is_not(tmp_path):
    module = _plant(
        tmp_path,
        "from django.shortcuts import get_object_or_404\n"
        "from xieshang.consultations.models import DeliberationComment\n"
        "from xieshang.consultations.queries import visible_comments\n"
        "\n"
        "def comment(item, pk):\n"
        "    get_object_or_404(visible_comments(item), pk=pk)\n"
        "    return get_object_or_404(DeliberationComment, deliberation=item, pk=pk)\n",
    )
    (problem,) = checker.check([module], allowed={})
    assert (
        "planted.py:7: in comment: `get_object_or_404(DeliberationComment, deliberation=item, pk=pk)`"
        in problem
    )


def test_a_model_the_checker_cannot_name_is_reported(tmp_path):
    module = _plant(tmp_path, "def rows(model, council):\n    return model.objects.filter(council=council)\n")
    (problem,) = checker.check([module], allowed={})
    assert "cannot name" in problem


def test_models_without_a_council_and_empty_querysets_are_not_reported(tmp_path):
    module = _plant(
        tmp_path,
        "from xieshang.accounts.models import User\n"
        "from xieshang.councils.models import Council, Member\n"
        "\n"
        "def rows():\n"
        "    return User.objects.all(), Council.objects.all(), Member.objects.none()\n",
    )
    assert checker.check([module], allowed={}) == []


def test_an_allowed_read_passes_and_a_stale_allowance_is_reported(tmp_path):
    module = _plant(
        tmp_path,
        "from xieshang.proposals.models import Reply\n\ndef replies():\n    return Reply.objects.all()\n",
    )
    shown = str(module)
    assert checker.check([module], allowed={(shown, "replies"): "a reason"}) == []
    problems = checker.check([module], allowed={(shown, "replies"): "a reason", (shown, "gone"): "old"})
    assert problems == [f"{shown}: allow-list entry for gone matches no read any more: remove it"]


def test_only_view_and_api_modules_are_in_scope(tmp_path):
    for name in (
        "views.py",
        "api.py",
        "views/pages.py",
        "api/endpoints.py",
        "forms.py",
        "queries.py",
        "tests/test_views.py",
        "migrations/0001_initial.py",
    ):
        path = tmp_path / "someapp" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch()
    found = [p.relative_to(tmp_path / "someapp").as_posix() for p in checker.interface_modules(tmp_path)]
    assert found == ["api.py", "api/endpoints.py", "views.py", "views/pages.py"]


def test_every_allowance_says_why():
    assert all(len(reason.split()) >= 5 for reason in checker.ALLOWED.values())
