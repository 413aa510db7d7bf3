"""Every view that takes a `next` address goes only to a path on this site,
whatever the value: junk, other sites, script URLs, backslash tricks, very
long or non-ASCII text. A refused value falls back to the view's own page;
nothing answers 500. (Found with `grep -rn '"next"'` over the views and
templates; the apps' own tests cover the views' other behaviour.)

The views: the login page (and its code step, which carries `next` in the
session), the elder-mode and language buttons of every page header, the
second-factor page, the password page, deciding a leave request (which
knows one value, "queue"), and an administrator unlocking an account.
(The Django admin is not mounted; see ADR 0005.)"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils.encoding import iri_to_uri
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from xieshang.accounts.tests.factories import PASSWORD, UserFactory
from xieshang.councils.models import Role
from xieshang.councils.tests.factories import CouncilRoleFactory, MemberFactory
from xieshang.meetings.tests.factories import InvitationFactory, LeaveRequestFactory, MeetingFactory

pytestmark = pytest.mark.django_db

BACKEND = "xieshang.accounts.backends.UsernameOrMobileBackend"
NOW = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC)

HOSTILE = [
    "abc",
    "abc/def",
    "evil.example",
    "./profile/",
    "../../etc/passwd",
    "?next=/",
    "#top",
    "//evil.example",
    "///evil.example",
    "//evil.example/%2F..",
    "https://evil.example",
    "http://evil.example/accounts/",
    "https:evil.example",
    "https://testserver@evil.example/",
    "http://testserver/accounts/profile/",
    "javascript:alert(1)",
    " JaVaScRiPt:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "mailto:someone@evil.example",
    "\\\\evil.example",
    "/\\evil.example",
    "\\/evil.example",
    "/\\/evil.example",
    "/\t/evil.example",
    "/accounts/\r\nSet-Cookie: stolen=1",
    "/a\x00b",
    "/" + "a" * 5000,
    "中文",
    "ｈｔｔｐｓ：／／evil.example",
    "",
    " ",
]
SAFE = ["/accounts/profile/", "/c/city/?page=2&sort=-name", "/中文/路径"]


@dataclass(frozen=True)
class Outcome:
    status: int
    location: str = ""
    page_next: str | None = None  # the hidden `next` a page carries on


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user, backend=BACKEND)
    return client


def with_device(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="app", key="3132333435363738393031323334353637383930")


def code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key):06d}"


def outcome(response) -> Outcome:
    page_next = response.context.get("next") if response.context is not None else None
    return Outcome(response.status_code, response.headers.get("Location", ""), page_next)


# Each check calls one view with the value and returns what it answered.


def login_post(value: str) -> Outcome:
    user = UserFactory()
    return outcome(
        Client().post("/accounts/login/", {"username": user.username, "password": PASSWORD, "next": value})
    )


def login_page(value: str) -> Outcome:
    return outcome(Client().get("/accounts/login/", {"next": value}))


def login_code(value: str) -> Outcome:
    user = UserFactory()
    device = with_device(user)
    client = Client()
    client.post("/accounts/login/", {"username": user.username, "password": PASSWORD, "next": value})
    return outcome(client.post("/accounts/login/code/", {"code": code(device)}))


def elder_mode_anonymous(value: str) -> Outcome:
    # With CSRF checks on and a valid token, as a browser sends it.
    client = Client(enforce_csrf_checks=True)
    client.get("/accounts/login/")
    token = client.cookies["csrftoken"].value
    return outcome(
        client.post("/accounts/elder-mode/", {"on": "1", "next": value, "csrfmiddlewaretoken": token})
    )


def elder_mode_logged_in(value: str) -> Outcome:
    return outcome(logged_in(UserFactory()).post("/accounts/elder-mode/", {"on": "1", "next": value}))


def language(value: str) -> Outcome:
    return outcome(logged_in(UserFactory()).post("/i18n/setlang/", {"language": "en", "next": value}))


def second_factor_page(value: str) -> Outcome:
    user = UserFactory()
    client = logged_in(user)
    device = with_device(user)
    client.post("/accounts/second-factor/", {"code": code(device)})
    return outcome(client.get("/accounts/second-factor/", {"next": value}))


def second_factor_confirm(value: str) -> Outcome:
    user = UserFactory()
    device = with_device(user)
    query = f"?{_query(value)}"
    return outcome(logged_in(user).post(f"/accounts/second-factor/{query}", {"code": code(device)}))


def password_change(value: str) -> Outcome:
    user = UserFactory()
    new = "Qingshan-Lu-88"
    data = {"old_password": PASSWORD, "new_password1": new, "new_password2": new, "next": value}
    return outcome(logged_in(user).post("/accounts/password/", data))


def password_page(value: str) -> Outcome:
    return outcome(logged_in(UserFactory()).get("/accounts/password/", {"next": value}))


def decide_leave(value: str) -> Outcome:
    """Answers "detail" for the meeting's own page, the one other target."""
    staff = UserFactory()
    meeting = MeetingFactory(created_by=staff)
    slug = meeting.council.slug
    CouncilRoleFactory(council=meeting.council, user=staff, role=Role.STAFF)
    member = MemberFactory(council=meeting.council, term=meeting.term)
    InvitationFactory(meeting=meeting, member=member)
    leave = LeaveRequestFactory(meeting=meeting, member=member)
    url = reverse("meetings:decide_leave", kwargs={"council_slug": slug, "leave_id": leave.pk})
    response = logged_in(staff).post(url, {"decision": "approve", "next": value})
    detail = reverse("meetings:detail", kwargs={"council_slug": slug, "pk": meeting.pk})
    location = response.headers.get("Location", "")
    return Outcome(response.status_code, "detail" if location == detail else location)


def account_unlock(value: str) -> Outcome:
    """Answers "roles" for the roles page, where it falls back to."""
    admin = CouncilRoleFactory(role=Role.COUNCIL_ADMIN)
    held = CouncilRoleFactory(council=admin.council, role=Role.STAFF)
    slug = admin.council.slug
    url = reverse("councils:account_unlock", kwargs={"council_slug": slug, "user_id": held.user_id})
    response = logged_in(admin.user).post(url, {"next": value})
    location = response.headers.get("Location", "")
    return Outcome(response.status_code, "roles" if location == f"/c/{slug}/admin/roles/" else location)


def _query(value: str) -> str:
    return urlencode({"next": value})


@dataclass(frozen=True)
class View:
    call: Callable[[str], Outcome]
    refused: Outcome  # the answer to any value it does not follow
    follows: Callable[[str], Outcome] | None = None  # the answer to a safe value


def goes_to(value: str) -> Outcome:
    return Outcome(302, iri_to_uri(value))


VIEWS = {
    "login": View(login_post, Outcome(302, "/"), goes_to),
    "login page": View(login_page, Outcome(200, "", ""), lambda v: Outcome(200, "", v)),
    "login code": View(login_code, Outcome(302, "/"), goes_to),
    "elder mode": View(elder_mode_anonymous, Outcome(302, "/"), goes_to),
    "elder mode, logged in": View(elder_mode_logged_in, Outcome(302, "/"), goes_to),
    "language": View(language, Outcome(302, "/"), goes_to),
    "second factor page": View(second_factor_page, Outcome(200, "", None), goes_to),
    "second factor code": View(second_factor_confirm, Outcome(302, "/accounts/second-factor/"), goes_to),
    "password": View(password_change, Outcome(302, "/"), goes_to),
    "password page": View(password_page, Outcome(200, "", ""), lambda v: Outcome(200, "", v)),
    "decide leave": View(decide_leave, Outcome(302, "detail")),
    "unlock an account": View(account_unlock, Outcome(302, "roles"), goes_to),
}


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.mark.parametrize("value", HOSTILE, ids=lambda v: repr(v[:40]))
@pytest.mark.parametrize("name", VIEWS)
def test_a_value_that_is_not_a_path_here_falls_back(name, value):
    view = VIEWS[name]
    assert view.call(value) == view.refused


@pytest.mark.parametrize("value", SAFE)
@pytest.mark.parametrize("name", [name for name, view in VIEWS.items() if view.follows is not None])
def test_a_path_on_this_site_is_followed(name, value):
    view = VIEWS[name]
    assert view.follows is not None
    assert view.call(value) == view.follows(value)
