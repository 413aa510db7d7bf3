from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.forms import PasswordChangeForm
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xieshang.accounts.models import User
from xieshang.accounts.scopes import TokenScope
from xieshang.core.forms import StyledFormMixin


class LoginForm(StyledFormMixin, forms.Form):
    uncounted_fields = frozenset({"username"})
    username = forms.CharField(label=_("Username or mobile number"), max_length=150)
    password = forms.CharField(label=_("Password"), strip=False, widget=forms.PasswordInput)

    def __init__(self, request: HttpRequest, *args: object, **kwargs: object) -> None:
        self.request = request
        self.user: User | None = None
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["username"].widget.attrs.update({"autocomplete": "username", "autofocus": True})
        self.fields["password"].widget.attrs.update({"autocomplete": "current-password"})

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        username, password = data.get("username"), data.get("password")
        if username and password:
            user = authenticate(self.request, username=username, password=password)
            if user is None:
                raise forms.ValidationError(
                    _("The username/mobile number or the password is wrong."), code="invalid_login"
                )
            self.user = user  # type: ignore[assignment]
        return data


class TokenForm(StyledFormMixin, forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What the token is for, for example “monthly statistics export”."),
    )
    expires_on = forms.DateField(
        label=_("Valid until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leave empty for a token that stays valid until you revoke it."),
    )
    scope = forms.ChoiceField(
        label=_("May reach"),
        choices=TokenScope.choices,
        initial=TokenScope.ALL,
        required=False,
        help_text=_(
            "A token for one app may also read the shared lists (councils, members, units); "
            "a reading-only token can change nothing."
        ),
    )

    def clean_expires_on(self) -> dt.date | None:
        value: dt.date | None = self.cleaned_data.get("expires_on")
        if value is not None and value < timezone.localdate():
            raise forms.ValidationError(_("Choose today or a later date."), code="past")
        return value

    def expires_at(self) -> dt.datetime | None:
        """The end of the chosen day, local time: the token works all that day."""
        value = self.cleaned_data.get("expires_on")
        if value is None:
            return None
        next_day = dt.datetime.combine(value + dt.timedelta(days=1), dt.time.min)
        return timezone.make_aware(next_day)


class ChangePasswordForm(StyledFormMixin, PasswordChangeForm):
    """Current password, new password twice; the new one is checked against
    the password policy (AUTH_PASSWORD_VALIDATORS)."""

    def __init__(self, user: User, *args: Any, **kwargs: Any) -> None:
        super().__init__(user, *args, **kwargs)
        self.fields["new_password1"].help_text = _(
            "At least 10 characters, using at least three of: lower-case letters, upper-case "
            "letters, digits, symbols; not like your name or username."
        )


class OtpCodeForm(StyledFormMixin, forms.Form):
    code = forms.CharField(
        label=_("Code from your authenticator app"),
        max_length=8,
        min_length=6,
        help_text=_("Open the authenticator app on your phone and enter the 6-digit code it shows."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].widget.attrs.update(
            {"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        )

    def clean_code(self) -> str:
        code = str(self.cleaned_data["code"]).replace(" ", "")
        if not code.isdigit():
            raise forms.ValidationError(_("Enter the digits only."), code="not_digits")
        return code


class RemoveSecondFactorForm(StyledFormMixin, forms.Form):
    password = forms.CharField(label=_("Your password"), strip=False, widget=forms.PasswordInput)


class UnlockRequestForm(StyledFormMixin, forms.Form):
    uncounted_fields = frozenset({"username"})
    username = forms.CharField(label=_("Username or mobile number"), max_length=150)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.update({"autocomplete": "username", "autofocus": True})


class SmsCodeForm(OtpCodeForm):
    """The 6-digit code sent by SMS."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].label = _("Code from the SMS")
        self.fields["code"].help_text = _("Enter the 6-digit code sent to the account's mobile number.")
