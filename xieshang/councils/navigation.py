"""The side navigation and the phone's bottom bar, by role.

The side navigation is the one list of modules: beside the page on a
desktop, and on a phone or tablet the same list in a sheet opened by the
header's menu button (or the bar's 菜单).

Each entry names the permission it needs, so a role sees only the modules it
uses. Apps add their entries here.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from xieshang.councils.roles import Actor, Perm


@dataclass(frozen=True)
class NavItem:
    label: Promise
    url_name: str
    perm: Perm | None
    icon: str = ""


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
    NavItem(_("Supervision campaigns"), "supervision:list", Perm.VIEW_SUPERVISION),
    NavItem(_("Resident supervision"), "supervision:postings", Perm.VIEW_SUPERVISION),
    NavItem(_("Supervision recommendations"), "supervision:recommendations", Perm.ANSWER_SUPERVISION),
    NavItem(_("Recommendation letters"), "supervision:letters", Perm.ANSWER_SUPERVISION),
    NavItem(_("Supervision special reports"), "supervision:reports", Perm.INSTRUCT_SUPERVISION),
    NavItem(_("Supervision statistics"), "supervision:statistics", Perm.VIEW_AGGREGATES),
    NavItem(_("My constituents"), "liaison:constituents", Perm.KEEP_CONSTITUENTS),
    NavItem(_("Visits to me"), "liaison:visits", Perm.KEEP_CONSTITUENTS),
    NavItem(_("Surveys to answer"), "surveys:mine", Perm.ANSWER_SURVEYS),
    NavItem(_("Surveys"), "surveys:list", Perm.VIEW_SURVEYS),
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

# The phone's bottom bar is built from the role's own side-navigation
# entries: 首页, then the first modules of this list the role has (each with
# the short name the bar shows), then 消息 while room is left, then 我的 (a
# member's duty record, which links to their account; everyone else's
# account page) or, when the role has more modules than the bar shows, 菜单,
# which opens the side navigation as a sheet. No page names its own bar.
BAR_SLOTS = 3
BAR_PRIORITY: tuple[tuple[str, Promise], ...] = (
    ("proposals:queue", pgettext_lazy("bottom bar", "Proposals")),
    ("proposals:mine", pgettext_lazy("bottom bar", "Proposals")),
    ("proposals:inbox", pgettext_lazy("bottom bar", "Proposals")),
    ("opinions:queue", pgettext_lazy("bottom bar", "Opinions")),
    ("opinions:mine", pgettext_lazy("bottom bar", "Opinions")),
    ("opinions:office_inbox", pgettext_lazy("bottom bar", "Opinions")),
    ("meetings:mine", pgettext_lazy("bottom bar", "Meetings")),
    ("consultations:list", pgettext_lazy("bottom bar", "Consultations")),
    ("consultations:office_inbox", pgettext_lazy("bottom bar", "Outcomes")),
    ("liaison:concerns", pgettext_lazy("bottom bar", "Concerns to handle")),
    ("councils:member_list", pgettext_lazy("bottom bar", "Members")),
    ("dashboards:aggregates", pgettext_lazy("bottom bar", "Lower councils")),
    ("duty:overview", pgettext_lazy("bottom bar", "Duty")),
    ("meetings:list", pgettext_lazy("bottom bar", "Meetings")),
)
MENU = "menu"  # the bar entry that opens the side navigation (no address)


# URL namespaces whose pages live under /c/<council_slug>/.
COUNCIL_SCOPED_NAMESPACES = frozenset(
    {
        "councils",
        "dashboards",
        "proposals",
        "meetings",
        "opinions",
        "duty",
        "consultations",
        "liaison",
        "supervision",
        "surveys",
    }
)


def _resolve(items: tuple[NavItem, ...], actor: Actor) -> list[dict[str, str]]:
    out = []
    for item in items:
        if item.perm is not None and not actor.has(item.perm):
            continue
        try:
            url = _url(item.url_name, actor)
        except NoReverseMatch:
            # An app whose pages are not wired yet simply has no entry.
            continue
        out.append({"label": str(item.label), "url": url, "url_name": item.url_name, "icon": item.icon})
    return out


def _url(url_name: str, actor: Actor) -> str:
    if url_name.split(":")[0] in COUNCIL_SCOPED_NAMESPACES:
        return reverse(url_name, kwargs={"council_slug": actor.council.slug})
    return reverse(url_name)


def side_nav(actor: Actor) -> list[dict[str, str]]:
    return _resolve(SIDE_NAV, actor)


def bottom_bar(actor: Actor, nav: list[dict[str, str]] | None = None) -> list[dict[str, str]]:
    """The phone's bottom bar for this actor, from their side navigation (nav,
    when the caller has it already) and BAR_PRIORITY."""
    nav = side_nav(actor) if nav is None else nav
    if not nav:
        return []
    bar = [{**nav[0], "label": str(_("Home"))}] if nav[0]["url_name"] == "dashboards:home" else []
    for url_name, short in BAR_PRIORITY:
        entry = next((item for item in nav if item["url_name"] == url_name), None)
        taken = {(item["url"]) for item in bar} | {item["label"] for item in bar}
        if len(bar) <= BAR_SLOTS and entry is not None and not {entry["url"], str(short)} & taken:
            bar.append({**entry, "label": str(short)})
    if len(bar) <= BAR_SLOTS:
        bar.append(_entry(_("Messages"), "councils:inbox", actor))
    shown = {entry["url"] for entry in bar}
    if actor.has(Perm.VIEW_OWN_DUTY) or all(item["url"] in shown for item in nav):
        return [
            *bar,
            _entry(_("Me"), "duty:mine" if actor.has(Perm.VIEW_OWN_DUTY) else "accounts:profile", actor),
        ]
    return [
        *bar,
        {"label": str(pgettext_lazy("bottom bar", "Menu")), "url": "", "url_name": MENU, "icon": ""},
    ]


def _entry(label: Promise, url_name: str, actor: Actor) -> dict[str, str]:
    return {"label": str(label), "url": _url(url_name, actor), "url_name": url_name, "icon": ""}
