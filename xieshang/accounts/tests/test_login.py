"""Logging in with a username or a mobile number, the password policy,
Argon2 hashing, changing one's password and temporary passwords."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.test import Client, override_settings

from config import settings as production_settings
from xieshang.accounts.actions import change_password, issue_temporary_password
from xieshang.accounts.models import User
from xieshang.accounts.tests.factories import PASSWORD, UserFactory
from xieshang.core.models import AuditEntry
from xieshang.core.testing import parse_html

pytestmark = pytest.mark.django_db

BACKEND = "xieshang.accounts.backends.UsernameOrMobileBackend"
NEW_PASSWORD = "Qingshan-Lu-88"


def session_user_id(client: Client) -> str | None:
    return client.session.get("_auth_user_id")


def test_login_with_username_logs_in_and_is_audited():
    user = UserFactory(username="zhangsan")
    client = Client()
    response = client.post("/accounts/login/", {"username": "zhangsan", "password": PASSWORD})
    assert response.status_code == 302
    assert session_user_id(client) == str(user.pk)
    assert AuditEntry.objects.filter(action="login", outcome="ok", user_id_copy=user.pk).exists()


def test_login_with_mobile_number_logs_in_the_same_account():
    user = UserFactory(username="lisi", mobile="13812345678")
    client = Client()
    response = client.post("/accounts/login/", {"username": "13812345678", "password": PASSWORD})
    assert response.status_code == 302
    assert session_user_id(client) == str(user.pk)


def test_login_follows_a_safe_next_and_ignores_another_site():
    UserFactory(username="wangwu")
    response = Client().post(
        "/accounts/login/", {"username": "wangwu", "password": PASSWORD, "next": "/accounts/profile/"}
    )
    assert response["Location"] == "/accounts/profile/"
    response = Client().post(
        "/accounts/login/", {"username": "wangwu", "password": PASSWORD, "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_wrong_password_names_the_problem_and_keeps_the_username():
    UserFactory(username="zhaoliu")
    client = Client()
    response = client.post("/accounts/login/", {"username": "zhaoliu", "password": "wrong-Password-1"})
    assert response.status_code == 200
    assert session_user_id(client) is None
    errors = response.context["form"].non_field_errors().as_data()
    assert [e.code for e in errors] == ["invalid_login"]
    body = response.content.decode()
    assert str(errors[0].message) in body
    assert 'value="zhaoliu"' in body
    assert "wrong-Password-1" not in body
    failed = AuditEntry.objects.get(action="login", outcome="failed")
    assert failed.username == "zhaoliu"


def test_unknown_user_gets_the_same_error_as_a_wrong_password():
    response = Client().post("/accounts/login/", {"username": "nobody", "password": PASSWORD})
    errors = response.context["form"].non_field_errors().as_data()
    assert [e.code for e in errors] == ["invalid_login"]


def test_inactive_user_cannot_log_in():
    UserFactory(username="gone", is_active=False)
    client = Client()
    client.post("/accounts/login/", {"username": "gone", "password": PASSWORD})
    assert session_user_id(client) is None


def test_production_hashers_store_passwords_with_argon2():
    assert production_settings.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    with override_settings(PASSWORD_HASHERS=production_settings.PASSWORD_HASHERS):
        user = UserFactory(username="argon")
        user.refresh_from_db()
        assert user.password.startswith("argon2$")
        client = Client()
        client.post("/accounts/login/", {"username": "argon", "password": PASSWORD})
        assert session_user_id(client) == str(user.pk)


@pytest.mark.parametrize(
    ("password", "code"),
    [
        ("Ab3$efgh9", "password_too_short"),
        ("abcdefgh1234", "password_too_simple"),
        ("abcdefghijk!", "password_too_simple"),
        ("Chenxiaoming1", "password_too_similar"),
        ("Password1234", "password_too_common"),
    ],
)
def test_password_policy_refuses_weak_passwords(password, code):
    user = User(username="chenxiaoming", full_name="陈小明")
    with pytest.raises(ValidationError) as caught:
        password_validation.validate_password(password, user)
    assert [e.code for e in caught.value.error_list] == [code]


def test_password_policy_accepts_a_long_mixed_password():
    user = User(username="chenxiaoming", full_name="陈小明")
    password_validation.validate_password(NEW_PASSWORD, user)


def test_each_policy_rule_is_configured():
    names = [v["NAME"].rsplit(".", 1)[-1] for v in settings.AUTH_PASSWORD_VALIDATORS]
    assert names == [
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "CharacterClassValidator",
    ]


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user, backend=BACKEND)
    return client


def test_password_change_needs_the_current_password():
    user = UserFactory()
    response = logged_in(user).post(
        "/accounts/password/",
        {"old_password": "not-it-Aa1", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["old_password"]
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_password_change_refuses_a_weak_new_password_next_to_the_field():
    user = UserFactory()
    response = logged_in(user).post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": "short1A", "new_password2": "short1A"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["new_password2"]
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_password_change_keeps_this_session_and_is_audited():
    user = UserFactory()
    client = logged_in(user)
    response = client.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert client.get("/accounts/profile/").status_code == 200
    assert AuditEntry.objects.filter(action="password_changed", user_id_copy=user.pk).count() == 1


def test_change_password_action_refuses_a_policy_breaking_password():
    user = UserFactory()
    with pytest.raises(ValidationError):
        change_password(user, new_password="aaaaaaaaaaaa")
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_temporary_password_meets_the_policy_and_forces_a_change():
    admin, user = UserFactory(), UserFactory(username="newmember")
    temporary = issue_temporary_password(user, issued_by=admin)
    user.refresh_from_db()
    password_validation.validate_password(temporary, user)
    assert user.check_password(temporary)
    assert user.must_change_password
    entry = AuditEntry.objects.get(action="temporary_password_issued")
    assert entry.user_id_copy == admin.pk
    assert temporary not in str(entry.data)


def test_temporary_password_sends_every_page_to_the_password_page_until_changed():
    admin, user = UserFactory(), UserFactory(username="newmember")
    temporary = issue_temporary_password(user, issued_by=admin)
    client = Client()
    response = client.post("/accounts/login/", {"username": "newmember", "password": temporary})
    assert response.status_code == 302
    for path in ("/", "/accounts/profile/", "/accounts/tokens/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith("/accounts/password/?next="), path
    page = client.get("/accounts/password/")
    assert page.status_code == 200
    assert page.context["forced"] is True
    response = client.post(
        "/accounts/password/?next=/accounts/profile/",
        {"old_password": temporary, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response["Location"] == "/accounts/profile/"
    assert client.get("/accounts/profile/").status_code == 200
    user.refresh_from_db()
    assert not user.must_change_password
    assert AuditEntry.objects.get(action="password_changed").data == {"was_required": True}


def test_person_with_temporary_password_can_still_log_out():
    user = UserFactory(must_change_password=True)
    client = logged_in(user)
    assert client.post("/accounts/logout/").status_code == 302
    assert session_user_id(client) is None


@pytest.mark.parametrize("path", ["/django-admin/", "/django-admin/login/", "/admin/"])
def test_there_is_no_django_admin_site_even_for_a_superuser(path: str) -> None:
    superuser = UserFactory(username="rootish", is_staff=True, is_superuser=True)
    assert Client().get(path).status_code == 404
    assert logged_in(superuser).get(path).status_code == 404
    # Posting a password there does not log in either.
    client = Client()
    client.post(path, {"username": "rootish", "password": PASSWORD})
    assert session_user_id(client) is None


@pytest.mark.parametrize("url", ["/accounts/login/", "/accounts/unlock/"])
def test_the_username_box_has_no_character_counter(url):
    """A username is typed, not written toward a limit: no "0 / 150" under it."""
    page = parse_html(Client().get(url).content)
    assert page.find_all(class_="char-counter") == []
    assert "data-max-chars" not in page.one("input", name="username").attrs
