"""What the survey actions share: locking and the page a message links to."""

from __future__ import annotations

from django.urls import reverse

from xieshang.surveys.models import Survey


def lock_survey(survey: Survey, council_id: int) -> Survey:
    """Re-read the survey under a row lock, within its council."""
    return (
        Survey.objects.select_for_update(of=("self",))
        .select_related("council")
        .get(pk=survey.pk, council_id=council_id)
    )


def answer_url(survey: Survey) -> str:
    return reverse("surveys:answer", kwargs={"council_slug": survey.council.slug, "pk": survey.pk})
