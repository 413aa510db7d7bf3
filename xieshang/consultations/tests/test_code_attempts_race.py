"""Wrong SMS codes guessed in parallel: the limit of five attempts per code
holds, because each attempt is counted in the database before the code is
compared (real threads against the real database)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from xieshang.consultations.actions import deliberation as actions
from xieshang.consultations.models import PublicIdentity, VerificationCode
from xieshang.core.sms import MemorySmsBackend
from xieshang.core.testing import run_in_threads

pytestmark = pytest.mark.django_db(transaction=True)

GUESSERS = 12


def send_code(cast: Any, mobile: str, capture: Any) -> str:
    MemorySmsBackend.outbox.clear()
    with capture(execute=True):
        actions.request_code(council=cast.city, mobile=mobile, ip=None)
    match = re.search(r"\d{6}", MemorySmsBackend.outbox[-1].text)
    assert match
    return match.group(0)


def guess(cast: Any, mobile: str, code: str) -> str:
    with translation.override("en"):
        try:
            actions.verify_code(council=cast.city, mobile=mobile, code=code, nickname="甲")
        except ValidationError as error:
            return " ".join(error.messages)
    return "verified"


@pytest.mark.parametrize("round_", range(4))
def test_parallel_wrong_guesses_get_five_checks_and_no_more(cast, django_capture_on_commit_callbacks, round_):
    mobile = f"1380013800{round_}"
    code = send_code(cast, mobile, django_capture_on_commit_callbacks)
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    answers = run_in_threads([lambda: guess(cast, mobile, wrong)] * GUESSERS)
    assert sorted(answers) == sorted(
        ["The code is not correct."] * actions.CODE_MAX_ATTEMPTS
        + ["Too many wrong codes. Ask for a new one."] * (GUESSERS - actions.CODE_MAX_ATTEMPTS)
    )
    assert VerificationCode.objects.get().attempts == actions.CODE_MAX_ATTEMPTS
    # The right code is refused now too.
    assert guess(cast, mobile, code) == "Too many wrong codes. Ask for a new one."
    assert not PublicIdentity.objects.exists()
