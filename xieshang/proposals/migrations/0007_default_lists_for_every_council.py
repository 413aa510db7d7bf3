"""Every council gets the default proposal lists where it has none of a kind.

New councils get them when created (config/council_setup.py); before, pages
created them on a council's first visit, so a council nobody has opened yet
may have none. Going back leaves the lists: councils edit them as their own.
"""

from django.conf import settings
from django.db import migrations
from django.utils import translation

from xieshang.proposals.actions.config import (
    DEFAULT_CATEGORIES,
    DEFAULT_DECLINE_REASONS,
    DEFAULT_REPLY_CATEGORIES,
)


def create_missing_lists(apps, schema_editor):
    Council = apps.get_model("councils", "Council")
    DeclineReason = apps.get_model("proposals", "DeclineReason")
    ProposalCategory = apps.get_model("proposals", "ProposalCategory")
    ReplyCategory = apps.get_model("proposals", "ReplyCategory")
    with translation.override(settings.LANGUAGE_CODE):
        for council in Council.objects.all():
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


class Migration(migrations.Migration):
    dependencies = [
        ("councils", "0002_setting_reset_and_lower_case_slug"),
        ("proposals", "0006_index_proposals_by_session_and_topic"),
    ]

    operations = [migrations.RunPython(create_missing_lists, migrations.RunPython.noop)]
