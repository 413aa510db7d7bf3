"""What an API token may reach: everything its user may do, only reading, or
only one app's routes.

The scope is checked in one place, where tokens are authenticated
(accounts.api.TokenAuth), from the request's method and path; the session
is never scoped. An app-scoped token reads and writes its app's routes and
reads the shared ones (who am I, the councils and their structure) that a
client needs to fill in its app's forms; everything else is refused.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
API_PREFIX = "/api/v1/"


class TokenScope(models.TextChoices):
    ALL = "all", gettext_lazy("Everything you may do")
    READ = "read", gettext_lazy("Reading only")
    PROPOSALS = "proposals", gettext_lazy("Proposals")
    OPINIONS = "opinions", gettext_lazy("Opinion reports")
    CONSULTATIONS = "consultations", gettext_lazy("Consultations")
    MEETINGS = "meetings", gettext_lazy("Meetings")
    LIAISON = "liaison", gettext_lazy("Liaison")
    DUTY = "duty", gettext_lazy("Duty")
    THEMES = "themes", gettext_lazy("Themes")


# The first path segment below /api/v1/c/<council>/ → the app it belongs to.
# Segments not listed (members, units, sectors, notifications …) are shared.
APP_OF_SEGMENT = {
    "proposals": "proposals",
    "opinions": "opinions",
    "consultations": "consultations",
    "consultation-outcomes": "consultations",
    "consultation-plans": "consultations",
    "deliberations": "consultations",
    "drafts": "consultations",
    "joint-invitations": "consultations",
    "meetings": "meetings",
    "liaison": "liaison",
    "duty": "duty",
    "themes": "themes",
}
# Below theme-tags/ the next segment names the app of the tagged item.
APP_OF_TAGGED = {"proposal": "proposals", "opinion": "opinions"}
# Reached below themes/ but part of consultations.
APP_OF_THEMES_CHILD = {"continuity": "consultations"}


def app_of_path(path: str) -> str | None:
    """The app whose route path is, or None for the shared routes."""
    parts = path.removeprefix(API_PREFIX).strip("/").split("/")
    if len(parts) < 3 or parts[0] != "c":
        return None
    segment, rest = parts[2], parts[3:]
    if segment == "theme-tags":
        return APP_OF_TAGGED.get(rest[0]) if rest else None
    if segment == "themes" and rest and rest[0] in APP_OF_THEMES_CHILD:
        return APP_OF_THEMES_CHILD[rest[0]]
    return APP_OF_SEGMENT.get(segment)


def check_scope(scope: str, *, method: str, path: str) -> None:
    """Raise PermissionDenied (with the sentence the client is shown) unless
    a token of scope may make this request."""
    if scope == TokenScope.ALL:
        return
    is_read = method.upper() in SAFE_METHODS
    if scope == TokenScope.READ:
        if not is_read:
            raise PermissionDenied(_("This API token may only read. Create a token that may write."))
        return
    app = app_of_path(path)
    if app == scope or (app is None and is_read):
        return
    raise PermissionDenied(
        _("This API token is limited to %(app)s: it may read the shared lists, but nothing else.")
        % {"app": TokenScope(scope).label}
    )
