"""Members of the public prove a mobile number with a 6-digit SMS code
before answering a public survey (stored hashed, valid 10 minutes, few
attempts; hourly limits per number and per network address).

The number is kept only as the survey's respondent key (keys.py), also in
the code rows, so an anonymous survey holds no number at all.
"""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xieshang.core.crypto import constant_time_equal, sm3_hex
from xieshang.core.errors import Conflict
from xieshang.core.sms import count_code_attempt, new_sms_code, send_sms
from xieshang.councils.queries import get_setting
from xieshang.surveys.actions.responses import Respondent, already_answered_message
from xieshang.surveys.models import Response, Survey, SurveyCode

CODE_VALID_FOR = timedelta(minutes=10)
CODE_MAX_ATTEMPTS = 5
MOBILE_DIGITS = 11


def clean_mobile(raw: str) -> str:
    mobile = "".join(ch for ch in (raw or "") if ch.isdigit())
    if len(mobile) != MOBILE_DIGITS or not mobile.startswith("1"):
        raise ValidationError({"mobile": _("Enter an 11-digit mainland mobile number.")})
    return mobile


def _code_hash(survey: Survey, key: str, code: str) -> str:
    return sm3_hex(f"{survey.pk}:{key}:{code}".encode())


def _refuse_if_answered(survey: Survey, respondent: Respondent) -> None:
    if Response.objects.filter(survey=survey, respondent_key=respondent.key).exists():
        raise Conflict(already_answered_message(survey))


@transaction.atomic
def request_survey_code(survey: Survey, *, mobile: str, ip: str | None) -> SurveyCode:
    """Send a code to the number, within the hourly limits per number (in
    this survey) and per address (across the council's surveys)."""
    now = timezone.now()
    if not survey.takes_answers(now):
        raise ValidationError(_("This survey is closed and takes no answers now."))
    mobile = clean_mobile(mobile)
    respondent = Respondent.of_mobile(survey, mobile)
    _refuse_if_answered(survey, respondent)
    since = now - timedelta(hours=1)
    recent = SurveyCode.objects.filter(council=survey.council, created_at__gte=since)
    per_number = int(get_setting(survey.council, "survey_codes_per_hour"))
    per_address = int(get_setting(survey.council, "survey_codes_per_address_per_hour"))
    if recent.filter(survey=survey, respondent_key=respondent.key).count() >= per_number or (
        ip and recent.filter(ip=ip).count() >= per_address
    ):
        raise Conflict(_("Too many codes were requested. Try again in an hour."))
    code = new_sms_code()
    row = SurveyCode.objects.create(
        council=survey.council,
        survey=survey,
        respondent_key=respondent.key,
        code_hash=_code_hash(survey, respondent.key, code),
        ip=ip or None,
        expires_at=now + CODE_VALID_FOR,
    )
    text = _("%(council)s survey: your code is %(code)s, valid for 10 minutes.") % {
        "council": survey.council.name,
        "code": code,
    }
    transaction.on_commit(lambda: send_sms(mobile, text))
    return row


def verify_survey_code(survey: Survey, *, mobile: str, code: str) -> Respondent:
    """Check the newest code for the number; return the respondent it proves.

    Every check counts as an attempt before the code is compared
    (count_code_attempt), so parallel guesses cannot pass the limit; not one
    transaction, so a wrong code counts even though it is refused."""
    mobile = clean_mobile(mobile)
    respondent = Respondent.of_mobile(survey, mobile)
    row = (
        SurveyCode.objects.filter(survey=survey, respondent_key=respondent.key, used_at__isnull=True)
        .order_by("-created_at")
        .first()
    )
    now = timezone.now()
    if row is None or row.expires_at <= now:
        raise ValidationError({"code": _("The code has expired. Ask for a new one.")})
    if not count_code_attempt(SurveyCode.objects.filter(pk=row.pk), limit=CODE_MAX_ATTEMPTS):
        raise ValidationError({"code": _("Too many wrong codes. Ask for a new one.")})
    if not constant_time_equal(row.code_hash, _code_hash(survey, respondent.key, (code or "").strip())):
        raise ValidationError({"code": _("The code is not correct.")})
    if not SurveyCode.objects.filter(pk=row.pk, used_at__isnull=True).update(used_at=now):
        raise ValidationError({"code": _("The code has expired. Ask for a new one.")})
    _refuse_if_answered(survey, respondent)
    return respondent
