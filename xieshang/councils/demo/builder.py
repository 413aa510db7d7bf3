"""Build the demo: 江南省政协 with two cities and three counties, the city
of 明湖 fully populated (term, sessions, sectors, committees, groups, ~300
members, 21 handling units, oversight offices, a login for every role).

Idempotent: every row is looked up by its natural key before it is created,
so a second run creates nothing. Deterministic: all people are drawn from one
seeded generator before anything is written, so the same run makes the same
people whatever the database already holds.

Members are seated through the create_member action (event + audit, as a
staff member's entry would be); structure rows, roles and demo messages are
written directly, which only demo code may do.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from xieshang.accounts.models import User
from xieshang.core import crypto
from xieshang.core.audit import audit
from xieshang.core.models import Notification
from xieshang.core.notifications import mark_read, notify
from xieshang.councils.actions.members import create_member
from xieshang.councils.actions.platform import create_council
from xieshang.councils.actions.roles import grant_role
from xieshang.councils.actions.structure import create_body, create_session, create_term
from xieshang.councils.demo import tables
from xieshang.councils.demo.people import PeopleMaker, Person
from xieshang.councils.models import (
    Affiliation,
    Council,
    CouncilRole,
    Gender,
    HandlingUnit,
    Member,
    MemberGroup,
    MemberGroupKind,
    OversightKind,
    OversightOffice,
    Role,
    Sector,
    Session,
    SpecialCommittee,
    Term,
)
from xieshang.councils.roles import PLATFORM_ADMIN, Actor


@dataclass(frozen=True)
class DemoLogin:
    """One demo account, as `demo_logins` prints it."""

    username: str
    role: Promise
    council: str | Promise
    try_first: Promise


# The accounts worth trying, in the order `demo_logins` prints them. Every
# account uses tables.DEMO_PASSWORD. (Liaisons of the other units are
# liaison_<code>, e.g. liaison_fgw; see tables.HANDLING_UNITS.)
DEMO_LOGINS: tuple[DemoLogin, ...] = (
    DemoLogin(
        "admin",
        _("council administrator"),
        "明湖市政协",
        _("Members, council structure, settings, audit log"),
    ),
    DemoLogin("staff", _("staff (proposals office)"), "明湖市政协", _("My work, then the member list")),
    DemoLogin("chair", _("leader (chair)"), "明湖市政协", _("My work and the figures of lower councils")),
    DemoLogin("vicechair1", _("leader (vice chair)"), "明湖市政协", _("My work")),
    DemoLogin("member", _("member"), "明湖市政协 + 江南省政协", _("Messages; switch council; elder mode")),
    DemoLogin("member2", _("member"), "明湖市政协", _("My work on a phone-sized window")),
    DemoLogin("liaison", _("handling-unit liaison (市教育局)"), "明湖市政协", _("My work")),
    DemoLogin("party_office", _("oversight (市委办公室)"), "明湖市政协", _("My work")),
    DemoLogin("gov_office", _("oversight (市政府办公室)"), "明湖市政协", _("My work")),
    DemoLogin("province_staff", _("province staff"), "江南省政协", _("Lower councils: the cities' figures")),
    DemoLogin("province_admin", _("council administrator"), "江南省政协", _("Members of the province")),
    DemoLogin("hudong_admin", _("council administrator"), "明湖市湖东区政协", _("A county council")),
    DemoLogin("platform", _("platform administrator"), _("all councils"), _("Council tree (user menu)")),
)


@dataclass
class Counts:
    """What one run created, per kind of row."""

    created: dict[str, int] = field(default_factory=dict)

    def add(self, kind: str, was_created: bool) -> None:
        if was_created:
            self.created[kind] = self.created.get(kind, 0) + 1

    @property
    def total(self) -> int:
        return sum(self.created.values())


@dataclass(frozen=True)
class SeatPlan:
    """One member to seat: the person and where they sit."""

    person: Person
    sector: str
    affiliation: str
    employer_title: str
    is_standing: bool
    committee: str | None
    groups: tuple[str, ...]


class DemoBuilder:
    def __init__(self, seed: int = tables.DEMO_SEED) -> None:
        self.rng = random.Random(seed)
        self.people = PeopleMaker(self.rng)
        self.counts = Counts()
        self._password_hash: str | None = None
        self.platform: User | None = None

    # --- small get-or-create helpers ------------------------------------------------
    def password_hash(self) -> str:
        # Every demo account has the same password, so one Argon2 hash (with its
        # salt) serves them all; hashing ~50 times would take most of the run.
        if self._password_hash is None:
            validate_password(tables.DEMO_PASSWORD)
            self._password_hash = make_password(tables.DEMO_PASSWORD)
        return self._password_hash

    def user(self, username: str, person: Person, *, is_superuser: bool = False) -> User:
        user = User.objects.filter(username=username).first()
        created = user is None
        if user is None:
            user = User(
                username=username,
                full_name=person.full_name,
                mobile=person.mobile,
                is_superuser=is_superuser,
                is_staff=is_superuser,
                password=self.password_hash(),
            )
            user.save()
        self.counts.add("users", created)
        return user

    def platform_actor(self, council: Council) -> Actor:
        """The platform administrator acting in council: structure and roles
        are set up the way the administration pages would."""
        assert self.platform is not None, "create the platform administrator first"
        return Actor(user=self.platform, council=council, roles=frozenset({PLATFORM_ADMIN}))

    def role(
        self,
        user: User,
        council: Council,
        role: str,
        *,
        title: str = "",
        handling_unit: HandlingUnit | None = None,
        oversight_office: OversightOffice | None = None,
    ) -> None:
        exists = CouncilRole.objects.filter(
            council=council,
            user=user,
            role=role,
            handling_unit=handling_unit,
            oversight_office=oversight_office,
        ).exists()
        if not exists:
            grant_role(
                actor=self.platform_actor(council),
                user=user,
                role=role,
                title=title,
                handling_unit=handling_unit,
                oversight_office=oversight_office,
            )
        self.counts.add("roles", not exists)

    def body(self, model: Any, council: Council, name: str, **fields: object) -> Any:
        """The named body of kind model in council, created through create_body when missing."""
        existing = model.objects.filter(council=council, name=name).first()
        if existing is not None:
            return existing
        self.counts.add(f"{model._meta.model_name}s", True)
        return create_body(model, actor=self.platform_actor(council), data={"name": name, **fields})

    def named(self, model: Any, council: Council, names: Iterable[str], **extra: object) -> dict[str, Any]:
        return {
            name: self.body(model, council, name, sort_order=order, **extra)
            for order, name in enumerate(names, start=1)
        }

    # --- councils --------------------------------------------------------------------
    def council(self, spec: tables.CouncilSpec) -> Council:
        council = Council.objects.filter(slug=spec.slug).first()
        if council is None:
            assert self.platform is not None, "create the platform administrator first"
            council = create_council(
                user=self.platform,
                slug=spec.slug,
                name=spec.name,
                level=spec.level,
                parent=Council.objects.get(slug=spec.parent) if spec.parent else None,
            )
            self.counts.add("councils", True)
        return council

    def term_and_sessions(self, council: Council, number: int, *, with_previous: bool = False) -> Term:
        actor = self.platform_actor(council)
        terms = [(number, dt.date(2023, 1, 1), dt.date(2027, 12, 31))]
        if with_previous:
            terms.insert(0, (number - 1, dt.date(2018, 1, 1), dt.date(2022, 12, 31)))
        for term_number, starts_on, ends_on in terms:
            if not Term.objects.filter(council=council, number=term_number).exists():
                create_term(
                    actor=actor,
                    number=term_number,
                    starts_on=starts_on,
                    ends_on=ends_on,
                    is_current=term_number == number,
                )
                self.counts.add("terms", True)
        term = Term.objects.get(council=council, number=number)
        # Plenaries in January, four days each.
        for session_number, year in enumerate((2023, 2024, 2025, 2026), start=1):
            if not Session.objects.filter(term=term, number=session_number).exists():
                opens = dt.date(year, 1, 6 + session_number)
                create_session(
                    term,
                    actor=actor,
                    number=session_number,
                    year=year,
                    opens_on=opens,
                    closes_on=opens + dt.timedelta(days=3),
                )
                self.counts.add("sessions", True)
        return term

    # --- members ---------------------------------------------------------------------
    def plan_seats(
        self,
        spec: tables.CouncilSpec,
        sectors: Iterable[tuple[str, int]],
        *,
        contact_groups: tuple[str, ...] = (),
        supervisor_groups: tuple[str, ...] = (),
        sector_groups: tuple[str, ...] = (),
        committees: tuple[str, ...] = (),
    ) -> list[SeatPlan]:
        """Draw everyone to be seated in one council (no database access)."""
        rng = self.rng
        plans: list[SeatPlan] = []
        for sector, seats in sectors:
            for _seat in range(seats):
                person = self.people.person(address_codes=spec.address_codes)
                if sector in tables.PARTY_SECTOR_AFFILIATION:
                    affiliation = tables.PARTY_SECTOR_AFFILIATION[sector]
                else:
                    affiliation = rng.choices(
                        ["中国共产党", "无党派人士", rng.choice(tables.AFFILIATIONS[1:9])], [5, 3, 2]
                    )[0]
                groups: list[str] = []
                if contact_groups:
                    groups.append(contact_groups[len(plans) % len(contact_groups)])
                if supervisor_groups and rng.random() < 0.15:
                    groups.append(rng.choice(supervisor_groups))
                if sector in sector_groups:
                    groups.append(f"{sector}界别小组" if not sector.endswith("界") else f"{sector}别小组")
                plans.append(
                    SeatPlan(
                        person=person,
                        sector=sector,
                        affiliation=affiliation,
                        employer_title=self.people.employer_title(sector, spec.place),
                        is_standing=rng.random() < 0.1,
                        committee=rng.choice(committees) if committees and rng.random() < 0.4 else None,
                        groups=tuple(groups),
                    )
                )
        return plans

    def seat(self, council: Council, term: Term, actor: Actor, plans: list[SeatPlan]) -> dict[str, Member]:
        """Seat every planned member not seated yet; return members by ID number."""
        sectors = {s.name: s for s in Sector.objects.filter(council=council)}
        affiliations = {a.name: a for a in Affiliation.objects.filter(council=council)}
        committees = {c.name: c for c in SpecialCommittee.objects.filter(council=council)}
        groups = {g.name: g for g in MemberGroup.objects.filter(council=council)}
        existing = {m.id_number_index: m for m in Member.objects.filter(council=council, term=term)}
        seated: dict[str, Member] = {}
        for plan in plans:
            person = plan.person
            index = crypto.blind_index(person.id_number.upper())
            member = existing.get(index)
            if member is None:
                member = create_member(
                    actor=actor,
                    data={
                        "term": term,
                        "full_name": person.full_name,
                        "gender": Gender.MALE if person.is_male else Gender.FEMALE,
                        "birth_date": person.birth_date,
                        "ethnicity": person.ethnicity,
                        "id_number": person.id_number,
                        "mobile": person.mobile,
                        "affiliation": affiliations.get(plan.affiliation),
                        "sector": sectors.get(plan.sector),
                        "employer_title": plan.employer_title,
                        "is_standing_committee_member": plan.is_standing,
                        "recommending_body": f"{plan.sector}推荐",
                        "special_committees": [committees[plan.committee]] if plan.committee else [],
                        "groups": [groups[name] for name in plan.groups if name in groups],
                    },
                )
                self.counts.add("members", True)
            seated[person.id_number] = member
        return seated

    def link(self, member: Member, user: User) -> None:
        if member.user_id != user.pk:
            Member.objects.filter(pk=member.pk).update(user=user)
            self.counts.add("member logins", True)

    # --- messages ----------------------------------------------------------------------
    def messages(
        self, council: Council, user: User, items: tuple[tuple[str, str, bool], ...], prefix: str
    ) -> None:
        url = reverse("councils:inbox", kwargs={"council_slug": council.slug})
        for number, (title, body, is_read) in enumerate(items, start=1):
            key = f"demo:{prefix}:{number}"
            is_new = not Notification.objects.filter(recipient=user, dedupe_key=key).exists()
            [row] = notify(
                recipients=[user], council=council, title=title, body=body, url=url, dedupe_key=key
            )
            if is_new and is_read:
                mark_read(row, user=user)
            self.counts.add("messages", is_new)

    # --- the whole demo ------------------------------------------------------------------
    def build(self) -> Counts:
        # Draw every person first: the draw must not depend on what exists.
        city = tables.DEMO_CITY
        city_plans = self.plan_seats(
            city,
            tables.SECTORS,
            contact_groups=tables.CONTACT_GROUPS,
            supervisor_groups=tuple(f"派驻{unit}民主监督小组" for unit in tables.SUPERVISED_UNITS),
            sector_groups=tables.SECTOR_GROUPS,
            committees=tables.SPECIAL_COMMITTEES,
        )
        province_plans = self.plan_seats(tables.PROVINCE, [(name, 1) for name, _ in tables.SECTORS[:12]])
        small_plans = {
            spec.slug: self.plan_seats(spec, [(name, 2) for name, _ in tables.SECTORS[:8]])
            for spec in (tables.OTHER_CITY, *tables.COUNTIES)
        }
        office_people = [self.people.person(address_codes=city.address_codes) for _ in range(60)]

        with transaction.atomic():
            self.platform = self.user("platform", office_people[59], is_superuser=True)
            self._build_city(city_plans, office_people)
            self._build_province(province_plans, city_plans[5], office_people)
            for spec in (tables.OTHER_CITY, *tables.COUNTIES):
                self._build_small(spec, small_plans[spec.slug], office_people)
            if self.counts.total:
                audit("demo.seed", user=self.platform, data={"created": self.counts.created})
        return self.counts

    def basic_bodies(self, council: Council, sectors: Iterable[str]) -> None:
        """Sectors and affiliations, which every council has."""
        self.named(Sector, council, sectors)
        self.named(Affiliation, council, tables.AFFILIATIONS)

    def _build_city(self, plans: list[SeatPlan], office: list[Person]) -> None:
        spec = tables.DEMO_CITY
        for parent_spec in (tables.PROVINCE, spec):
            self.council(parent_spec)
        council = Council.objects.get(slug=spec.slug)
        term = self.term_and_sessions(council, spec.term_number, with_previous=True)
        self.basic_bodies(council, [name for name, _ in tables.SECTORS])
        self.named(SpecialCommittee, council, tables.SPECIAL_COMMITTEES)
        self.named(MemberGroup, council, tables.CONTACT_GROUPS, kind=MemberGroupKind.CONTACT)
        self.named(
            MemberGroup,
            council,
            [f"派驻{unit}民主监督小组" for unit in tables.SUPERVISED_UNITS],
            kind=MemberGroupKind.SUPERVISORS,
        )
        self.named(
            MemberGroup,
            council,
            [f"{s}界别小组" if not s.endswith("界") else f"{s}别小组" for s in tables.SECTOR_GROUPS],
            kind=MemberGroupKind.SECTOR,
        )
        units: dict[str, HandlingUnit] = {
            name: self.body(
                HandlingUnit,
                council,
                name,
                short_name=short,
                sort_order=order,
                contact_phone=f"8{order:03d}1234",
            )
            for order, (name, short, _code) in enumerate(tables.HANDLING_UNITS, start=1)
        }
        party = self.body(OversightOffice, council, "中共明湖市委办公室", kind=OversightKind.PARTY_COMMITTEE)
        government = self.body(
            OversightOffice, council, "明湖市人民政府办公室", kind=OversightKind.GOVERNMENT
        )

        admin = self.user("admin", office[0])
        self.role(admin, council, Role.COUNCIL_ADMIN, title="办公室信息科科长")
        actor = Actor(user=admin, council=council, roles=frozenset({Role.COUNCIL_ADMIN}))
        seated = self._seat_city(council, term, actor, plans)

        staff = self.user("staff", office[1])
        self.role(staff, council, Role.STAFF, title="提案委员会办公室")
        staff2 = self.user("staff2", office[2])
        self.role(staff2, council, Role.STAFF, title="研究室")
        # Leaders and members with logins are seated members themselves.
        leaders = (
            ("chair", "主席"),
            ("vicechair1", "副主席"),
            ("vicechair2", "副主席"),
            ("vicechair3", "副主席"),
            ("secgen", "秘书长"),
        )
        for number, (username, title) in enumerate(leaders):
            plan = plans[number * 7]
            user = self.user(username, plan.person)
            self.role(user, council, Role.LEADER, title=title)
            self.link(seated[plan.person.id_number], user)
        member_users = {}
        for number, username in enumerate(("member", "member2", "member3", "member4", "member5", "member6")):
            plan = plans[5 + number * 11]
            user = self.user(username, plan.person)
            self.role(user, council, Role.MEMBER)
            self.link(seated[plan.person.id_number], user)
            member_users[username] = user
        for number, (name, _short, code) in enumerate(tables.HANDLING_UNITS):
            username = "liaison" if code == "jyj" else f"liaison_{code}"
            user = self.user(username, office[10 + number])
            self.role(user, council, Role.UNIT_LIAISON, title="办公室", handling_unit=units[name])
        party_user = self.user("party_office", office[40])
        self.role(party_user, council, Role.OVERSIGHT, title="秘书科", oversight_office=party)
        gov_user = self.user("gov_office", office[41])
        self.role(gov_user, council, Role.OVERSIGHT, title="秘书科", oversight_office=government)

        self.messages(council, member_users["member"], tables.MEMBER_MESSAGES, "member")
        self.messages(council, staff, tables.STAFF_MESSAGES, "staff")

    def _seat_city(
        self, council: Council, term: Term, actor: Actor, plans: list[SeatPlan]
    ) -> dict[str, Member]:
        # The leadership sits on the standing committee.
        fixed = []
        for number, plan in enumerate(plans):
            if number in {0, 7, 14, 21, 28}:
                plan = replace(plan, is_standing=True)
            fixed.append(plan)
        plans[:] = fixed
        return self.seat(council, term, actor, plans)

    def _build_province(self, plans: list[SeatPlan], demo_member: SeatPlan, office: list[Person]) -> None:
        spec = tables.PROVINCE
        council = self.council(spec)
        term = self.term_and_sessions(council, spec.term_number)
        self.basic_bodies(council, [name for name, _ in tables.SECTORS[:12]])
        self.named(SpecialCommittee, council, tables.SPECIAL_COMMITTEES)
        admin = self.user("province_admin", office[45])
        self.role(admin, council, Role.COUNCIL_ADMIN, title="办公厅信息处")
        staff = self.user("province_staff", office[46])
        self.role(staff, council, Role.STAFF, title="提案委员会办公室")
        actor = Actor(user=admin, council=council, roles=frozenset({Role.COUNCIL_ADMIN}))
        # The demo member sits on the province council too (one person, two councils).
        both = replace(demo_member, committee=None, groups=())
        seated = self.seat(council, term, actor, [*plans, both])
        member_user = User.objects.get(username="member")
        self.role(member_user, council, Role.MEMBER)
        self.link(seated[demo_member.person.id_number], member_user)

    def _build_small(self, spec: tables.CouncilSpec, plans: list[SeatPlan], office: list[Person]) -> None:
        council = self.council(spec)
        term = self.term_and_sessions(council, spec.term_number)
        self.basic_bodies(council, [name for name, _ in tables.SECTORS[:8]])
        self.named(HandlingUnit, council, [f"{spec.place[-1]}教育局", f"{spec.place[-1]}卫生健康局"])
        position = 50 + [s.slug for s in (tables.OTHER_CITY, *tables.COUNTIES)].index(spec.slug)
        admin = self.user(f"{spec.slug}_admin", office[position])
        self.role(admin, council, Role.COUNCIL_ADMIN, title="办公室")
        actor = Actor(user=admin, council=council, roles=frozenset({Role.COUNCIL_ADMIN}))
        self.seat(council, term, actor, plans)


def build_demo(seed: int = tables.DEMO_SEED) -> Counts:
    """Create whatever of the demo does not exist yet; return what was created."""
    return DemoBuilder(seed).build()
