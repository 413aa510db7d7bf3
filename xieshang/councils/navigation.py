"""The side navigation (desktop) and bottom bar (phone), by role.

Each entry names the permission it needs, so a role sees only the modules it
uses. Apps add their entries here.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from xieshang.councils.roles import Actor, Perm


@dataclass(frozen=True)
class NavItem:
    label: Promise
    url_name: str
    perm: Perm | None
    icon: str = ""
    # Hidden from whoever holds this permission (an entry that another replaces).
    unless: Perm | None = None


SIDE_NAV: tuple[NavItem, ...] = (
    NavItem(_("My work"), "dashboards:home", Perm.VIEW_COUNCIL),
    NavItem(_("My proposals"), "proposals:mine", Perm.FILE_PROPOSALS),
    NavItem(_("Proposals"), "proposals:queue", Perm.VIEW_ALL_PROPOSALS),
    NavItem(_("Key proposals"), "proposals:key", Perm.VIEW_ALL_PROPOSALS),
    NavItem(_("Follow-ups"), "proposals:follow_ups", Perm.VIEW_ALL_PROPOSALS),
    NavItem(_("Proposals to handle"), "proposals:inbox", Perm.HANDLE_PROPOSALS),
    NavItem(_("Search proposals"), "proposals:search", Perm.VIEW_ALL_PROPOSALS),
    NavItem(_("Proposal statistics"), "proposals:statistics", Perm.VIEW_ALL_PROPOSALS),
    NavItem(_("My opinion reports"), "opinions:mine", Perm.FILE_OPINIONS),
    NavItem(_("Opinion reports"), "opinions:queue", Perm.VIEW_ALL_OPINIONS),
    NavItem(_("Forwarded opinion reports"), "opinions:office_inbox", Perm.RECEIVE_OPINIONS),
    NavItem(_("My consultations"), "consultations:mine", Perm.SPEAK_AT_CONSULTATIONS),
    NavItem(_("Consultations"), "consultations:list", Perm.VIEW_CONSULTATIONS),
    NavItem(_("Consultation plans"), "consultations:plans", Perm.VIEW_CONSULTATION_PLANS),
    NavItem(_("Themes across years"), "consultations:themes", Perm.VIEW_CONSULTATIONS),
    NavItem(_("Joint consultations"), "consultations:joint_list", Perm.VIEW_CONSULTATIONS),
    NavItem(_("Consultation outcomes"), "consultations:office_inbox", Perm.RECEIVE_OUTCOMES),
    NavItem(_("My meetings"), "meetings:mine", Perm.ATTEND_MEETINGS),
    NavItem(_("Meetings"), "meetings:list", Perm.VIEW_ALL_MEETINGS),
    NavItem(_("Liaison visits"), "liaison:visits", Perm.VIEW_ALL_LIAISON),
    NavItem(_("Visit plans"), "liaison:plans", Perm.VIEW_ALL_LIAISON),
    NavItem(_("Liaison concerns"), "liaison:concerns", Perm.VIEW_ALL_LIAISON),
    NavItem(_("Concerns to handle"), "liaison:concerns", Perm.HANDLE_CONCERNS),
    NavItem(_("Liaison statistics"), "liaison:statistics", Perm.VIEW_LIAISON_STATISTICS),
    NavItem(_("My constituents"), "liaison:constituents", Perm.KEEP_CONSTITUENTS),
    NavItem(_("Visits to me"), "liaison:visits", Perm.KEEP_CONSTITUENTS),
    NavItem(_("My duty"), "duty:mine", Perm.VIEW_OWN_DUTY),
    NavItem(_("Duty of members"), "duty:overview", Perm.VIEW_ALL_DUTY),
    NavItem(_("Yearly assessment"), "duty:assessment", Perm.ASSESS_DUTY),
    NavItem(_("Scoring rules"), "duty:rules", Perm.MANAGE_SCORING_RULES),
    NavItem(_("Members"), "councils:member_list", Perm.VIEW_MEMBERS),
    NavItem(_("Lower councils"), "dashboards:aggregates", Perm.VIEW_AGGREGATES),
    NavItem(_("Council structure"), "councils:structure", Perm.MANAGE_STRUCTURE),
    NavItem(_("Settings"), "councils:settings", Perm.MANAGE_SETTINGS),
    NavItem(_("Audit log"), "councils:audit_log", Perm.VIEW_AUDIT),
    NavItem(_("Council tree"), "platform:councils", Perm.MANAGE_COUNCILS),
)

# Phone bottom bar for members and leaders: 首页 · 提案 · 会议 · 消息 · 我的.
BOTTOM_BAR: tuple[NavItem, ...] = (
    NavItem(_("Home"), "dashboards:home", Perm.VIEW_COUNCIL),
    NavItem(_("Proposals"), "proposals:mine", Perm.FILE_PROPOSALS),
    NavItem(_("Proposals"), "proposals:queue", Perm.VIEW_ALL_PROPOSALS),
    NavItem(_("Meetings"), "meetings:mine", Perm.ATTEND_MEETINGS),
    NavItem(_("Meetings"), "meetings:list", Perm.VIEW_ALL_MEETINGS),
    NavItem(_("Messages"), "councils:inbox", None),
    # 我的: a member's own duty record (which links to the account page);
    # everyone else's account page.
    NavItem(_("Me"), "duty:mine", Perm.VIEW_OWN_DUTY),
    NavItem(_("Me"), "accounts:profile", None, unless=Perm.VIEW_OWN_DUTY),
)


# URL namespaces whose pages live under /c/<council_slug>/.
COUNCIL_SCOPED_NAMESPACES = frozenset(
    {"councils", "dashboards", "proposals", "meetings", "opinions", "duty", "consultations", "liaison"}
)


def _resolve(items: tuple[NavItem, ...], actor: Actor) -> list[dict[str, str]]:
    out = []
    for item in items:
        if item.perm is not None and not actor.has(item.perm):
            continue
        if item.unless is not None and actor.has(item.unless):
            continue
        try:
            if item.url_name.split(":")[0] in COUNCIL_SCOPED_NAMESPACES:
                url = reverse(item.url_name, kwargs={"council_slug": actor.council.slug})
            else:
                url = reverse(item.url_name)
        except NoReverseMatch:
            # An app whose pages are not wired yet simply has no entry.
            continue
        out.append({"label": str(item.label), "url": url, "icon": item.icon})
    return out


def side_nav(actor: Actor) -> list[dict[str, str]]:
    return _resolve(SIDE_NAV, actor)


def bottom_bar(actor: Actor) -> list[dict[str, str]]:
    return _resolve(BOTTOM_BAR, actor)
