"""The council's configured lists for proposals, created with the national
defaults when a council has none yet."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from xieshang.councils.models import Council
from xieshang.proposals.models import DeclineReason, ProposalCategory, ReplyCategory

# The ten national grounds for not accepting a proposal (DOMAIN.md §1).
DEFAULT_DECLINE_REASONS = (
    _("Involves state secrets"),
    _("A matter the proposal rules exclude"),
    _("An internal personnel matter of the party"),
    _("An internal matter of the proposer's own affiliation"),
    _("A case in litigation, arbitration or petition"),
    _("A question of academic debate"),
    _("A personal or family matter"),
    _("Promotes products or firms"),
    _("Accuses named people"),
    _("Contains no concrete suggestion"),
)

DEFAULT_CATEGORIES = (
    _("Economic development"),
    _("Rural revitalisation"),
    _("Urban construction and management"),
    _("Education"),
    _("Health care"),
    _("Culture and tourism"),
    _("Social security and employment"),
    _("Ecology and environment"),
    _("Science and technology"),
    _("Law and public security"),
)

# (code, meaning, counts as implemented, followed up the next year)
DEFAULT_REPLY_CATEGORIES = (
    ("A", _("Solved or adopted"), True, False),
    ("B", _("Being solved or planned"), False, True),
    ("C", _("Kept for reference, with an explanation"), False, False),
)


@transaction.atomic
def ensure_default_lists(council: Council) -> None:
    """Give council the default categories, decline reasons and reply
    categories where it has none of a kind. Names are stored in the
    platform's language, since councils edit them as their own text."""
    with translation.override(settings.LANGUAGE_CODE):
        if not DeclineReason.objects.filter(council=council).exists():
            DeclineReason.objects.bulk_create(
                DeclineReason(council=council, name=str(text), sort_order=i)
                for i, text in enumerate(DEFAULT_DECLINE_REASONS, start=1)
            )
        if not ProposalCategory.objects.filter(council=council).exists():
            ProposalCategory.objects.bulk_create(
                ProposalCategory(council=council, name=str(text), sort_order=i)
                for i, text in enumerate(DEFAULT_CATEGORIES, start=1)
            )
        if not ReplyCategory.objects.filter(council=council).exists():
            ReplyCategory.objects.bulk_create(
                ReplyCategory(
                    council=council,
                    code=code,
                    meaning=str(text),
                    counts_as_implemented=done,
                    needs_follow_up=follow_up,
                    sort_order=i,
                )
                for i, (code, text, done, follow_up) in enumerate(DEFAULT_REPLY_CATEGORIES, start=1)
            )
