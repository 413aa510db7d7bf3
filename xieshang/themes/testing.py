"""What the tests of every app whose items are tagged with themes share
(proposals, opinion reports): the stored tags, and who may tag or untag an
item on its page and over the API."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from django.test import Client

from xieshang.core.testing import Expect, JsonClient, refused_except, run_permission_matrix
from xieshang.themes.models import Theme, ThemeTag


def tags() -> list[tuple[str, int, int]]:
    """Every stored tag as (theme, item id, year), sorted."""
    return sorted(ThemeTag.objects.values_list("theme__name", "object_id", "year"))


def run_tagging_matrix(
    clients: Mapping[str, Client],
    *,
    over: str,
    url: str | Callable[[], str],
    names: list[str] | None = None,
    reset: Callable[[], None],
) -> None:
    """Post to an item's tagging address (over "page" or "api") as every
    persona, with names to tag it with or none to untag: staff who prepare
    consultations change the tags; everyone else is refused (403, another
    council's staff 404, anonymous visitors sent to log in) with no theme
    and no tag changed."""
    on_page = over == "page"
    data = None
    if names is not None:
        data = {"names": "，".join(names)} if on_page else {"names": names}
    run_permission_matrix(
        clients=clients if on_page else {name: JsonClient(client) for name, client in clients.items()},  # type: ignore[misc]
        method="post",
        url=url,
        data=data,
        snapshot=lambda: (tags(), sorted(Theme.objects.values_list("council_id", "name"))),
        reset=reset,
        expectations=refused_except(
            {"staff": Expect(302 if on_page else 200, changes=True)}, anonymous=302 if on_page else 401
        ),
    )
