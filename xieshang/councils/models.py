"""The tenant tree and the people and bodies of each council."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from xieshang.core import crypto
from xieshang.core.fields import EncryptedTextField
from xieshang.core.models import TenantModel
from xieshang.core.pinyin import search_key


class Level(models.TextChoices):
    PROVINCE = "province", _("province")
    CITY = "city", _("city")
    COUNTY = "county", _("county / district")


class Council(models.Model):
    """One CPPCC committee: the tenant. parent forms province → city → county."""

    slug = models.SlugField(_("short name in URLs"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=100, unique=True)
    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("parent council"),
    )
    region_code = models.CharField(_("region code"), max_length=12, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["level", "name"]
        verbose_name = _("council")
        constraints = [
            models.CheckConstraint(condition=models.Q(slug=Lower("slug")), name="council_slug_lower_case"),
        ]

    def __str__(self) -> str:
        return self.name

    def ancestors(self) -> list[Council]:
        """Parent first, up to the province. The tree is three levels deep."""
        chain: list[Council] = []
        node = self.parent
        while node is not None and len(chain) < 5:
            chain.append(node)
            node = node.parent
        return chain


class Term(TenantModel):
    """A five-year term (届) of a council, numbered (第十四届 = 14)."""

    number = models.PositiveSmallIntegerField(_("term number"))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    is_current = models.BooleanField(_("current term"), default=False)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["council", "number"], name="term_number_unique"),
            models.UniqueConstraint(
                fields=["council"], condition=models.Q(is_current=True), name="one_current_term"
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__gt=models.F("starts_on")), name="term_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return str(_("Term %(number)s") % {"number": self.number})


class Session(TenantModel):
    """The yearly plenary session (次会议) within a term."""

    term = models.ForeignKey(Term, on_delete=models.PROTECT, related_name="sessions")
    number = models.PositiveSmallIntegerField(_("session number"))
    year = models.PositiveSmallIntegerField(_("year"))
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))

    class Meta:
        ordering = ["-year", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["term", "number"], name="session_number_unique"),
            models.CheckConstraint(
                condition=models.Q(closes_on__gte=models.F("opens_on")),
                name="session_closes_after_open",
            ),
        ]

    def __str__(self) -> str:
        return str(_("Session %(number)s (%(year)s)") % {"number": self.number, "year": self.year})


class NamedBody(TenantModel):
    """A named body of the council; names are unique within the council."""

    name = models.CharField(_("name"), max_length=100)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        abstract = True
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


class Sector(NamedBody):
    """A sector (界别) members are seated by, and its sector group."""

    class Meta(NamedBody.Meta):
        verbose_name = _("sector")
        constraints = [models.UniqueConstraint(fields=["council", "name"], name="sector_name_unique")]


class Affiliation(NamedBody):
    """A party or organisation (党派团体)."""

    class Meta(NamedBody.Meta):
        verbose_name = _("affiliation")
        constraints = [models.UniqueConstraint(fields=["council", "name"], name="affiliation_name_unique")]


class SpecialCommittee(NamedBody):
    """A special committee (专门委员会), e.g. the proposals committee."""

    class Meta(NamedBody.Meta):
        verbose_name = _("special committee")
        constraints = [models.UniqueConstraint(fields=["council", "name"], name="committee_name_unique")]


class MemberGroupKind(models.TextChoices):
    CONTACT = "contact", _("contact group")
    SUPERVISORS = "supervisors", _("supervisor group")
    SECTOR = "sector", _("sector group")
    ACTIVITY = "activity", _("activity group")


class MemberGroup(NamedBody):
    """A standing group of members (委员联系小组, 民主监督员小组 …)."""

    kind = models.CharField(_("kind"), max_length=16, choices=MemberGroupKind.choices)

    class Meta(NamedBody.Meta):
        verbose_name = _("member group")
        constraints = [models.UniqueConstraint(fields=["council", "name"], name="group_name_unique")]


class HandlingUnit(NamedBody):
    """A government department or other organisation that answers proposals,
    letters and reports (承办单位)."""

    short_name = models.CharField(_("short name"), max_length=30, blank=True)
    contact_phone = models.CharField(_("office phone"), max_length=30, blank=True)

    class Meta(NamedBody.Meta):
        verbose_name = _("handling unit")
        constraints = [models.UniqueConstraint(fields=["council", "name"], name="unit_name_unique")]


class OversightKind(models.TextChoices):
    PARTY_COMMITTEE = "party_committee", _("party committee office")
    GOVERNMENT = "government", _("government office")


class OversightOffice(NamedBody):
    """The party-committee or government office that co-assigns, receives
    outcomes and records instructions (党委办 / 政府办)."""

    kind = models.CharField(_("kind"), max_length=24, choices=OversightKind.choices)

    class Meta(NamedBody.Meta):
        verbose_name = _("oversight office")
        constraints = [models.UniqueConstraint(fields=["council", "name"], name="oversight_name_unique")]


class Gender(models.TextChoices):
    MALE = "male", _("male")
    FEMALE = "female", _("female")


class Member(TenantModel):
    """A person seated on this council for a term (委员).

    ID and mobile numbers are encrypted; their blind indexes keep them unique
    per council and term without decrypting.
    """

    term = models.ForeignKey(Term, on_delete=models.PROTECT, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="memberships",
    )
    full_name = models.CharField(_("full name"), max_length=50)
    # Full pinyin and initials of the name (core.pinyin.search_key), kept by
    # save(): the person picker finds 张三 by "zs" or "zhangsan".
    search_key = models.CharField(max_length=200, blank=True, editable=False)
    gender = models.CharField(_("gender"), max_length=8, choices=Gender.choices)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    ethnicity = models.CharField(_("ethnicity"), max_length=20, blank=True)
    id_number = EncryptedTextField(_("ID number"), blank=True)
    id_number_index = models.CharField(max_length=64, blank=True, editable=False)
    mobile = EncryptedTextField(_("mobile number"), blank=True)
    mobile_index = models.CharField(max_length=64, blank=True, editable=False)
    affiliation = models.ForeignKey(
        Affiliation, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("affiliation")
    )
    sector = models.ForeignKey(
        Sector, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("sector")
    )
    employer_title = models.CharField(_("employer and title"), max_length=200, blank=True)
    is_standing_committee_member = models.BooleanField(_("standing committee member"), default=False)
    special_committees = models.ManyToManyField(
        SpecialCommittee, blank=True, related_name="members", verbose_name=_("special committees")
    )
    groups = models.ManyToManyField(
        MemberGroup, blank=True, related_name="members", verbose_name=_("member groups")
    )
    recommending_body = models.CharField(_("recommending body"), max_length=100, blank=True)
    is_active = models.BooleanField(_("seated"), default=True)
    # Optimistic locking: forms send the version they loaded; a mismatch is a
    # stale edit and nothing is overwritten.
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["full_name", "id"]
        verbose_name = _("member")
        indexes = [models.Index(fields=["council", "term", "full_name"])]
        constraints = [
            models.UniqueConstraint(
                fields=["council", "term", "id_number_index"],
                condition=~models.Q(id_number_index=""),
                name="member_unique_id_number",
            ),
            models.UniqueConstraint(
                fields=["council", "term", "mobile_index"],
                condition=~models.Q(mobile_index=""),
                name="member_unique_mobile",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Indexes are pure functions of the encrypted columns (see User.save).
        self.id_number_index = crypto.blind_index(self.id_number.upper()) if self.id_number else ""
        self.mobile_index = crypto.blind_index(self.mobile) if self.mobile else ""
        self.search_key = search_key(self.full_name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "full_name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "search_key"}
        super().save(*args, **kwargs)

    @property
    def masked_mobile(self) -> str:
        return crypto.mask_mobile(self.mobile) if self.mobile else ""

    @property
    def masked_id_number(self) -> str:
        return crypto.mask_id_number(self.id_number) if self.id_number else ""


class Role(models.TextChoices):
    """What a user is in one council. Permissions per role: councils/roles.py."""

    COUNCIL_ADMIN = "council_admin", _("council administrator")
    STAFF = "staff", _("staff")
    LEADER = "leader", _("leader")
    MEMBER = "member", _("member")
    UNIT_LIAISON = "unit_liaison", _("handling-unit liaison")
    OVERSIGHT = "oversight", _("oversight office")


class CouncilRole(TenantModel):
    """A user's role in a council. A user may hold several roles in several
    councils; unit liaisons and oversight users name their organisation."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="council_roles")
    role = models.CharField(_("role"), max_length=24, choices=Role.choices)
    title = models.CharField(pgettext_lazy("job", "title"), max_length=50, blank=True)
    handling_unit = models.ForeignKey(
        HandlingUnit, null=True, blank=True, on_delete=models.CASCADE, related_name="liaisons"
    )
    oversight_office = models.ForeignKey(
        OversightOffice, null=True, blank=True, on_delete=models.CASCADE, related_name="users"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["council", "user", "role"],
                condition=models.Q(handling_unit__isnull=True, oversight_office__isnull=True),
                name="council_role_unique",
            ),
            models.UniqueConstraint(
                fields=["council", "user", "handling_unit"],
                condition=models.Q(handling_unit__isnull=False),
                name="council_role_unique_unit",
            ),
            models.UniqueConstraint(
                fields=["council", "user", "oversight_office"],
                condition=models.Q(oversight_office__isnull=False),
                name="council_role_unique_office",
            ),
            models.CheckConstraint(
                condition=~models.Q(role="unit_liaison") | models.Q(handling_unit__isnull=False),
                name="liaison_has_unit",
            ),
            models.CheckConstraint(
                condition=~models.Q(role="oversight") | models.Q(oversight_office__isnull=False),
                name="oversight_has_office",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()}"


class CouncilSetting(TenantModel):
    """One change of one per-council setting; the newest row for (council,
    key, year) wins, and the rows are the history. year=None applies to all
    years without a row of their own."""

    key = models.CharField(max_length=64)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    value = models.JSONField()
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    # A reset row ends the council's own value for (key, year): lookups skip
    # it and fall back to the all-years value or the catalogue default. value
    # then records what applied right after the reset, for the history.
    is_reset = models.BooleanField(default=False)

    class Meta:
        ordering = ["-changed_at", "-id"]
        indexes = [models.Index(fields=["council", "key", "year", "-changed_at"])]


class InstructionLevel(models.TextChoices):
    """The level of the leader who gave an instruction (批示), lowest first."""

    COUNTY = "county", _("county")
    CITY = "city", _("city")
    PROVINCE = "province", _("province")
    NATIONAL = "national", _("national")


class Instruction(TenantModel):
    """A leader's written instruction (批示) on something the council sent to
    a party-committee or government office, recorded by a user of that office.

    Every instruction is a row here, whatever it is on, so that "this
    council's instructions of a year" is one query. What it is on lives in
    the subject's own table, a child of this one with real foreign keys
    (opinions.ReportInstruction, consultations.OutcomeInstruction); see
    docs/adr/0004-one-instruction-table.md.
    """

    office = models.ForeignKey(OversightOffice, on_delete=models.PROTECT, related_name="+")
    leader_name = models.CharField(_("leader"), max_length=50)
    leader_title = models.CharField(_("leader's position"), max_length=100, blank=True)
    level = models.CharField(_("level"), max_length=16, choices=InstructionLevel.choices)
    text = models.TextField(_("instruction"))
    instructed_on = models.DateField(_("date of the instruction"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["instructed_on", "id"]
        indexes = [models.Index(fields=["council", "instructed_on"], name="instruction_council_date_idx")]

    def __str__(self) -> str:
        return f"{self.leader_name}: {self.text[:20]}"
