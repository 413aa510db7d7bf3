"""Roles → permissions, in one table, and the Actor every action receives.

Apps add their permissions to Perm and to ROLE_PERMISSIONS here, so the whole
policy can be read in one place. Object rules (may this actor act on this
proposal?) are can_* predicates in each app's permissions.py, built on has().
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from xieshang.accounts.models import User
from xieshang.councils.models import Council, Member, Role

# An upper council's staff, looking at a lower council: aggregates and what was
# forwarded to them, never raw records. Not stored; derived from the tree.
UPPER_STAFF = "upper_staff"
PLATFORM_ADMIN = "platform_admin"


class Perm(StrEnum):
    VIEW_COUNCIL = "council.view"
    VIEW_AGGREGATES = "council.view_aggregates"
    MANAGE_STRUCTURE = "council.manage_structure"  # terms, sessions, bodies, units
    MANAGE_SETTINGS = "council.manage_settings"
    MANAGE_CALENDAR = "council.manage_calendar"
    MANAGE_ROLES = "council.manage_roles"
    VIEW_MEMBERS = "members.view"
    MANAGE_MEMBERS = "members.manage"
    VIEW_PERSONAL_DATA = "members.view_personal_data"
    IMPORT_MEMBERS = "members.import"
    EXPORT_MEMBERS = "members.export"
    VIEW_AUDIT = "audit.view"
    MANAGE_COUNCILS = "platform.manage_councils"
    # Proposals (提案): members file; staff review, assign and release; unit
    # liaisons handle what is assigned to their unit; leaders read all.
    FILE_PROPOSALS = "proposals.file"
    VIEW_ALL_PROPOSALS = "proposals.view_all"
    REVIEW_PROPOSALS = "proposals.review"
    ASSIGN_PROPOSALS = "proposals.assign"
    RELEASE_REPLIES = "proposals.release"
    HANDLE_PROPOSALS = "proposals.handle"
    # Meetings (会议): staff organise meetings and check people in; members
    # attend, ask for leave and check in; staff and leaders decide on leave.
    VIEW_ALL_MEETINGS = "meetings.view_all"
    MANAGE_MEETINGS = "meetings.manage"
    ATTEND_MEETINGS = "meetings.attend"
    DECIDE_LEAVE = "meetings.decide_leave"
    # Opinion reports (社情民意信息): members file; staff edit, adopt, publish
    # and forward; leaders read all and the figures; oversight offices read
    # what was forwarded to them and record leaders' instructions.
    FILE_OPINIONS = "opinions.file"
    VIEW_ALL_OPINIONS = "opinions.view_all"
    MANAGE_OPINIONS = "opinions.manage"
    VIEW_OPINION_STATISTICS = "opinions.view_statistics"
    RECEIVE_OPINIONS = "opinions.receive"
    INSTRUCT_OPINIONS = "opinions.instruct"
    # Duty (履职): members see their own record and result; staff see the
    # council's, add offline records and run the assessment; administrators
    # set the scoring rules; leaders read.
    VIEW_OWN_DUTY = "duty.view_own"
    VIEW_ALL_DUTY = "duty.view_all"
    MANAGE_DUTY_RECORDS = "duty.manage_records"
    ASSESS_DUTY = "duty.assess"
    MANAGE_SCORING_RULES = "duty.manage_rules"
    # Consultations (协商): staff draft the plan and prepare, hold and follow up
    # consultations; the party-committee and government offices comment on the
    # plan, receive outcomes and record instructions; leaders approve the plan
    # (for the chair meeting) and read all; members book speeches.
    VIEW_CONSULTATIONS = "consultations.view_all"
    MANAGE_CONSULTATIONS = "consultations.manage"
    VIEW_CONSULTATION_PLANS = "consultations.view_plans"
    APPROVE_CONSULTATION_PLANS = "consultations.approve_plans"
    COMMENT_CONSULTATION_PLANS = "consultations.comment_plans"
    RECEIVE_OUTCOMES = "consultations.receive_outcomes"
    INSTRUCT_OUTCOMES = "consultations.instruct_outcomes"
    SPEAK_AT_CONSULTATIONS = "consultations.speak"
    # Liaison (三联系): staff and leaders plan and record leaders' visits to
    # members; members keep their own constituent list; staff follow the
    # concerns raised, which the responsible unit's liaison or office works on.
    VIEW_ALL_LIAISON = "liaison.view_all"
    PLAN_VISITS = "liaison.plan"
    RECORD_VISITS = "liaison.record"
    MANAGE_CONCERNS = "liaison.manage_concerns"
    HANDLE_CONCERNS = "liaison.handle_concerns"
    KEEP_CONSTITUENTS = "liaison.keep_constituents"
    VIEW_LIAISON_STATISTICS = "liaison.view_statistics"
    # Surveys (问卷): staff build, open and close surveys and read the
    # results; leaders read the results; members and handling units answer
    # the surveys put to them (the public answers without an account).
    VIEW_SURVEYS = "surveys.view"
    MANAGE_SURVEYS = "surveys.manage"
    ANSWER_SURVEYS = "surveys.answer"
    # Democratic supervision (民主监督): staff run campaigns, post supervisor
    # groups and issue recommendations and letters; members inspect and
    # record their group's activities; unit liaisons answer what was sent to
    # their unit; oversight offices receive special reports and record
    # instructions; whoever reads the council's figures (VIEW_AGGREGATES, the
    # upper council's staff too) reads the supervision statistics.
    VIEW_SUPERVISION = "supervision.view"
    MANAGE_SUPERVISION = "supervision.manage"
    INSPECT = "supervision.inspect"
    ANSWER_SUPERVISION = "supervision.answer"
    INSTRUCT_SUPERVISION = "supervision.instruct"


_ADMIN = frozenset(
    {
        Perm.VIEW_COUNCIL,
        Perm.VIEW_AGGREGATES,
        Perm.MANAGE_STRUCTURE,
        Perm.MANAGE_SETTINGS,
        Perm.MANAGE_CALENDAR,
        Perm.MANAGE_ROLES,
        Perm.VIEW_MEMBERS,
        Perm.MANAGE_MEMBERS,
        Perm.VIEW_PERSONAL_DATA,
        Perm.IMPORT_MEMBERS,
        Perm.EXPORT_MEMBERS,
        Perm.VIEW_AUDIT,
        Perm.VIEW_ALL_DUTY,
        Perm.MANAGE_SCORING_RULES,
    }
)

ROLE_PERMISSIONS: dict[str, frozenset[Perm]] = {
    PLATFORM_ADMIN: _ADMIN | {Perm.MANAGE_COUNCILS},
    Role.COUNCIL_ADMIN: _ADMIN,
    Role.STAFF: frozenset(
        {
            Perm.VIEW_COUNCIL,
            Perm.VIEW_AGGREGATES,
            Perm.VIEW_MEMBERS,
            Perm.MANAGE_MEMBERS,
            Perm.EXPORT_MEMBERS,
            Perm.VIEW_ALL_PROPOSALS,
            Perm.REVIEW_PROPOSALS,
            Perm.ASSIGN_PROPOSALS,
            Perm.RELEASE_REPLIES,
            Perm.VIEW_ALL_MEETINGS,
            Perm.MANAGE_MEETINGS,
            Perm.DECIDE_LEAVE,
            Perm.VIEW_ALL_OPINIONS,
            Perm.MANAGE_OPINIONS,
            Perm.VIEW_OPINION_STATISTICS,
            Perm.VIEW_ALL_DUTY,
            Perm.MANAGE_DUTY_RECORDS,
            Perm.ASSESS_DUTY,
            Perm.VIEW_CONSULTATIONS,
            Perm.MANAGE_CONSULTATIONS,
            Perm.VIEW_CONSULTATION_PLANS,
            Perm.VIEW_ALL_LIAISON,
            Perm.PLAN_VISITS,
            Perm.RECORD_VISITS,
            Perm.MANAGE_CONCERNS,
            Perm.VIEW_LIAISON_STATISTICS,
            Perm.VIEW_SURVEYS,
            Perm.MANAGE_SURVEYS,
            Perm.VIEW_SUPERVISION,
            Perm.MANAGE_SUPERVISION,
        }
    ),
    Role.LEADER: frozenset(
        {
            Perm.VIEW_COUNCIL,
            Perm.VIEW_AGGREGATES,
            Perm.VIEW_MEMBERS,
            Perm.VIEW_ALL_PROPOSALS,
            Perm.VIEW_ALL_MEETINGS,
            Perm.DECIDE_LEAVE,
            Perm.VIEW_ALL_OPINIONS,
            Perm.VIEW_OPINION_STATISTICS,
            Perm.VIEW_ALL_DUTY,
            # Leaders are seated members too: their own record (duty.queries.own_member).
            Perm.VIEW_OWN_DUTY,
            Perm.VIEW_CONSULTATIONS,
            Perm.VIEW_CONSULTATION_PLANS,
            Perm.APPROVE_CONSULTATION_PLANS,
            # A leader plans and records their own visits (permissions.py).
            Perm.VIEW_ALL_LIAISON,
            Perm.PLAN_VISITS,
            Perm.RECORD_VISITS,
            Perm.VIEW_LIAISON_STATISTICS,
            Perm.VIEW_SURVEYS,
            Perm.VIEW_SUPERVISION,
        }
    ),
    Role.MEMBER: frozenset(
        {
            Perm.VIEW_COUNCIL,
            Perm.FILE_PROPOSALS,
            Perm.ATTEND_MEETINGS,
            Perm.FILE_OPINIONS,
            Perm.VIEW_OWN_DUTY,
            Perm.SPEAK_AT_CONSULTATIONS,
            Perm.KEEP_CONSTITUENTS,
            Perm.ANSWER_SURVEYS,
            Perm.VIEW_SUPERVISION,
            Perm.INSPECT,
        }
    ),
    Role.UNIT_LIAISON: frozenset(
        {
            Perm.VIEW_COUNCIL,
            Perm.HANDLE_PROPOSALS,
            Perm.HANDLE_CONCERNS,
            Perm.ANSWER_SURVEYS,
            Perm.ANSWER_SUPERVISION,
        }
    ),
    Role.OVERSIGHT: frozenset(
        {
            Perm.VIEW_COUNCIL,
            Perm.VIEW_AGGREGATES,
            Perm.RECEIVE_OPINIONS,
            Perm.INSTRUCT_OPINIONS,
            Perm.VIEW_CONSULTATION_PLANS,
            Perm.COMMENT_CONSULTATION_PLANS,
            Perm.RECEIVE_OUTCOMES,
            Perm.INSTRUCT_OUTCOMES,
            Perm.HANDLE_CONCERNS,
            Perm.INSTRUCT_SUPERVISION,
        }
    ),
    UPPER_STAFF: frozenset({Perm.VIEW_AGGREGATES}),
}

# Roles whose holders, in an upper council, may look at lower councils.
ROLES_SEEING_LOWER_COUNCILS = frozenset({Role.COUNCIL_ADMIN, Role.STAFF, Role.LEADER})


@dataclass(frozen=True)
class Actor:
    """Who is acting, in which council, with which roles there."""

    user: User
    council: Council
    roles: frozenset[str]
    member: Member | None = None
    handling_unit_ids: frozenset[int] = field(default_factory=frozenset)
    oversight_office_ids: frozenset[int] = field(default_factory=frozenset)

    @property
    def permissions(self) -> frozenset[Perm]:
        perms: frozenset[Perm] = frozenset()
        for role in self.roles:
            perms |= ROLE_PERMISSIONS.get(role, frozenset())
        return perms

    def has(self, perm: Perm) -> bool:
        return perm in self.permissions

    def has_role(self, role: str) -> bool:
        return role in self.roles

    @property
    def sees_lower_councils(self) -> bool:
        """Whether this council's lower councils open their figures to the
        actor (tenancy.build_actor gives them upper_staff there)."""
        return bool(self.roles & (ROLES_SEEING_LOWER_COUNCILS | {PLATFORM_ADMIN, UPPER_STAFF}))

    @property
    def is_upper_only(self) -> bool:
        return self.roles == {UPPER_STAFF}
