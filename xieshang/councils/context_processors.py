"""What every page's frame needs: council switcher, inbox count, navigation,
elder mode (computed only for logged-in users), and whether the demo is
still loading."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from xieshang.accounts.preferences import ELDER_COOKIE
from xieshang.core.models import Notification
from xieshang.councils.demo.loading import demo_is_loading
from xieshang.councils.navigation import bottom_bar, side_nav
from xieshang.councils.tenancy import councils_of


def frame(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    elder = request.COOKIES.get(ELDER_COOKIE) == "1"
    if user is None or not user.is_authenticated:
        return {"elder_mode": elder, "demo_loading": demo_is_loading()}
    actor = getattr(request, "actor", None)
    council = getattr(request, "council", None)
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if council is not None:
        unread = unread.filter(council=council)
    nav = side_nav(actor) if actor is not None else []
    return {
        "demo_loading": demo_is_loading(),
        "elder_mode": user.prefers_elder_mode,
        "current_council": council,
        "my_councils": councils_of(user),
        "unread_count": unread.count(),
        "side_nav": nav,
        "bottom_bar": bottom_bar(actor, nav) if actor is not None else [],
    }
