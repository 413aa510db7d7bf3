"""Themes (主题) a council follows across years, and the tags that put a
theme on an item of any app (a proposal, an opinion report).

The app sits below the apps whose items it tags (see the layers in
pyproject.toml): a tag refers to its item by content type, and the app that
owns the item decides who may tag it and in which year it counts.
Consultations and plan items carry their themes in their own many-to-many
fields.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from xieshang.core.models import TenantModel


class Theme(TenantModel):
    """A theme a council follows across years (e.g. 乡村振兴)."""

    name = models.CharField(_("name"), max_length=50)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["council", "name"], name="theme_name_unique_per_council")
        ]

    def __str__(self) -> str:
        return self.name


class ThemeTag(TenantModel):
    """A theme on an item of another app in a year, by generic reference."""

    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="tags")
    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    year = models.PositiveSmallIntegerField(_("year"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["theme", "content_type", "object_id"], name="one_tag_per_theme_and_item"
            )
        ]
        indexes = [models.Index(fields=["council", "year"], name="theme_tag_council_year_idx")]
