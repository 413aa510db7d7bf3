"""The items of other apps that staff tag with themes: proposals and opinion
reports. Each is named here by app label and model name rather than
imported, because the consultations app sits beside proposals in the layers
(import-linter) and must not import it; the tags themselves (ThemeTag)
refer to their items by content type.

Staff read every filed item of these kinds (VIEW_ALL_PROPOSALS,
VIEW_ALL_OPINIONS); a draft is its author's alone, in both apps, so drafts
are never taggable.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.db.models import Model
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from xieshang.councils.roles import Perm

DRAFT = "draft"


def _proposal_year(proposal: Model) -> int:
    """A proposal counts in the year of its session, else of its filing."""
    session = getattr(proposal, "session", None)
    if session is not None:
        return int(session.year)
    filed = getattr(proposal, "submitted_at", None) or getattr(proposal, "created_at", None)
    return timezone.localtime(filed).year if filed else timezone.localdate().year


def _report_year(report: Model) -> int:
    return int(getattr(report, "year"))  # noqa: B009 - the model is not imported


@dataclass(frozen=True)
class TaggableKind:
    key: str
    app_label: str
    model_name: str
    label: Promise
    label_plural: Promise
    view_perm: Perm
    detail_url: str
    year_of: Callable[[Model], int]
    joins: tuple[str, ...] = ()

    @property
    def model(self) -> type[Model]:
        return apps.get_model(self.app_label, self.model_name)


TAGGABLE: dict[str, TaggableKind] = {
    kind.key: kind
    for kind in (
        TaggableKind(
            "proposal",
            "proposals",
            "proposal",
            _("proposal"),
            _("Proposals"),
            Perm.VIEW_ALL_PROPOSALS,
            "proposals:detail",
            _proposal_year,
            joins=("session",),
        ),
        TaggableKind(
            "opinion",
            "opinions",
            "opinionreport",
            _("opinion report"),
            _("Opinion reports"),
            Perm.VIEW_ALL_OPINIONS,
            "opinions:detail",
            _report_year,
        ),
    )
}


def kind_of_model(app_label: str, model_name: str) -> TaggableKind | None:
    return next(
        (k for k in TAGGABLE.values() if (k.app_label, k.model_name) == (app_label, model_name)), None
    )
