"""Every per-council setting, with its default from DOMAIN.md and its bounds.

Values are stored as CouncilSetting rows (history included); a council that
never changed a setting gets the default shown here.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


@dataclass(frozen=True)
class SettingSpec:
    key: str
    section: Promise
    label: Promise
    default: Any
    kind: str = "int"  # int | bool | choice | int_list | words | date
    minimum: int | None = None
    maximum: int | None = None
    choices: tuple[tuple[str, Promise], ...] = ()
    unit: Promise | str = ""
    by_year: bool = False
    # What an empty value means (date settings: the value may be left empty).
    empty_label: Promise | str = ""

    def clean(self, raw: Any) -> Any:
        """Return raw converted to this setting's type; raise ValueError with a
        message a council administrator can act on."""
        if self.kind == "bool":
            if isinstance(raw, bool):
                return raw
            if str(raw).lower() in {"true", "1", "on", "yes"}:
                return True
            if str(raw).lower() in {"false", "0", "off", "no", ""}:
                return False
            raise ValueError(_("Choose yes or no."))
        if self.kind == "choice":
            allowed = [value for value, _label in self.choices]
            if raw not in allowed:
                raise ValueError(_("Choose one of the listed options."))
            return raw
        if self.kind == "words":
            return clean_words(raw)
        if self.kind == "date":
            return clean_date(raw)
        if self.kind == "int_list":
            parts = raw if isinstance(raw, list) else str(raw).replace("，", ",").split(",")
            try:
                values = sorted({int(str(p).strip()) for p in parts if str(p).strip()}, reverse=True)
            except ValueError as exc:
                raise ValueError(_("Enter whole numbers separated by commas.")) from exc
            for value in values:
                self._check_bounds(value)
            return values
        try:
            value = int(str(raw).strip())
        except ValueError as exc:
            raise ValueError(_("Enter a whole number.")) from exc
        self._check_bounds(value)
        return value

    def _check_bounds(self, value: int) -> None:
        if self.minimum is not None and value < self.minimum:
            raise ValueError(_("The smallest allowed value is %(n)s.") % {"n": self.minimum})
        if self.maximum is not None and value > self.maximum:
            raise ValueError(_("The largest allowed value is %(n)s.") % {"n": self.maximum})


# A "words" setting: a list of short words or phrases, typed separated by
# commas (either width), enumeration commas or new lines.
WORD_SEPARATORS = re.compile(r"[,，、;；\n\r]+")
WORD_MAX_CHARS = 20
WORDS_MAX = 300


def clean_words(raw: Any) -> list[str]:
    """The distinct words of raw (a list, or text with separators), in the
    order given; raise ValueError for an over-long word or list."""
    parts = raw if isinstance(raw, list | tuple) else WORD_SEPARATORS.split(str(raw))
    words: list[str] = []
    for part in parts:
        word = str(part).strip()
        if not word or word in words:
            continue
        if len(word) > WORD_MAX_CHARS:
            raise ValueError(
                _("“%(word)s” is too long: a word has at most %(n)s characters.")
                % {"word": word[:WORD_MAX_CHARS] + "…", "n": WORD_MAX_CHARS}
            )
        words.append(word)
    if len(words) > WORDS_MAX:
        raise ValueError(_("At most %(n)s words.") % {"n": WORDS_MAX})
    return words


def clean_date(raw: Any) -> str | None:
    """raw as an ISO date string (YYYY-MM-DD, how it is stored), or None when
    empty; raise ValueError for anything else or a year outside 2000–2100."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, dt.date):
        day = raw
    else:
        try:
            day = dt.date.fromisoformat(str(raw).strip())
        except ValueError as exc:
            raise ValueError(
                _("Enter a date as year-month-day, e.g. 2027-01-05, or leave it empty.")
            ) from exc
    if not 2000 <= day.year <= 2100:
        raise ValueError(_("Enter a date between the years 2000 and 2100."))
    return day.isoformat()


def as_date(value: Any) -> dt.date | None:
    """The stored value of a date setting as a date (None when empty)."""
    return dt.date.fromisoformat(value) if value else None


SECURITY = _("Security")
MEMBERS = _("Members")
PROPOSALS = _("Proposals")
OPINIONS = _("Opinion reports")
MEETINGS = _("Meetings and duty")
CONSULTATIONS = _("Consultations")
SUPERVISION = _("Supervision and liaison")
SURVEYS = _("Surveys")

WORKING_DAYS = _("working days")
DAYS = _("days")
MONTHS = _("months")
MINUTES = pgettext_lazy("unit of time", "minutes")
CHARACTERS = _("characters")
TIMES = _("times")
PERCENT = "%"
MEGABYTES = "MB"

SPECS: tuple[SettingSpec, ...] = (
    SettingSpec(
        "lockout_failures", SECURITY, _("Failed logins before lockout"), 5, minimum=3, maximum=10, unit=TIMES
    ),
    SettingSpec(
        "lockout_minutes", SECURITY, _("Lockout duration"), 15, minimum=5, maximum=1440, unit=MINUTES
    ),
    SettingSpec(
        "staff_second_factor_required", SECURITY, _("Staff must use a second factor"), False, kind="bool"
    ),
    SettingSpec(
        "roster_id_number_required",
        MEMBERS,
        _("Roster imports require the ID number (身份证号) of every member"),
        False,
        kind="bool",
    ),
    SettingSpec(
        "proposal_title_max_chars",
        PROPOSALS,
        _("Proposal title length limit"),
        50,
        minimum=20,
        maximum=100,
        unit=CHARACTERS,
    ),
    SettingSpec(
        "proposal_section_max_chars",
        PROPOSALS,
        _("Proposal body section length limit"),
        3000,
        minimum=500,
        maximum=10000,
        unit=CHARACTERS,
    ),
    SettingSpec(
        "assignment_objection_working_days",
        PROPOSALS,
        _("Window for a unit to object to an assignment"),
        5,
        minimum=3,
        maximum=10,
        unit=WORKING_DAYS,
    ),
    SettingSpec(
        "reply_due_months", PROPOSALS, _("Reply due after assignment"), 3, minimum=1, maximum=6, unit=MONTHS
    ),
    SettingSpec(
        "max_total_handling_months",
        PROPOSALS,
        _("Longest handling time with an extension"),
        6,
        minimum=3,
        maximum=12,
        unit=MONTHS,
    ),
    SettingSpec(
        "pre_handling_contact_working_days",
        PROPOSALS,
        _("Contact the proposer before handling within"),
        15,
        minimum=5,
        maximum=30,
        unit=WORKING_DAYS,
    ),
    SettingSpec(
        "helper_opinion_months",
        PROPOSALS,
        _("Assisting units send their opinion to the lead within"),
        1,
        minimum=1,
        maximum=3,
        unit=MONTHS,
    ),
    SettingSpec(
        "reply_reminder_working_days",
        PROPOSALS,
        _("Reminders before the reply deadline"),
        [15, 5],
        kind="int_list",
        minimum=1,
        maximum=60,
        unit=WORKING_DAYS,
    ),
    SettingSpec(
        "feedback_working_days",
        PROPOSALS,
        _("Window for proposers to rate a reply"),
        15,
        minimum=5,
        maximum=30,
        unit=WORKING_DAYS,
    ),
    SettingSpec(
        "feedback_missing_counts_as",
        PROPOSALS,
        _("A reply not rated in time counts as"),
        "no_feedback",
        kind="choice",
        choices=(("no_feedback", _("no feedback")), ("satisfied", _("satisfied"))),
    ),
    SettingSpec("cosigners_rate_replies", PROPOSALS, _("Cosigners also rate replies"), False, kind="bool"),
    # The session-proposal window (DOMAIN.md §1: filed before and during the
    # plenary). Set per year, the year of the plenary; left empty, it follows
    # that year's plenary session: opens the given days before it, closes
    # when it closes.
    SettingSpec(
        "session_window_opens_on",
        PROPOSALS,
        _("Session proposals accepted from (year of the plenary)"),
        None,
        kind="date",
        by_year=True,
        empty_label=_("the set days before the plenary opens"),
    ),
    SettingSpec(
        "session_window_closes_on",
        PROPOSALS,
        _("Session proposals accepted until (year of the plenary)"),
        None,
        kind="date",
        by_year=True,
        empty_label=_("the day the plenary closes"),
    ),
    SettingSpec(
        "session_window_days_before",
        PROPOSALS,
        _("Session window opens before the plenary"),
        30,
        minimum=0,
        maximum=120,
        unit=DAYS,
        by_year=True,
    ),
    SettingSpec(
        "proposal_attachments_max",
        PROPOSALS,
        _("Attachments per proposal"),
        5,
        minimum=0,
        maximum=20,
        unit=_("files"),
    ),
    SettingSpec(
        "proposal_attachment_max_mb",
        PROPOSALS,
        _("Size limit of a proposal attachment"),
        10,
        minimum=1,
        maximum=20,
        unit="MB",
    ),
    SettingSpec(
        "opinion_report_max_chars",
        OPINIONS,
        _("Opinion report length limit"),
        1500,
        minimum=500,
        maximum=5000,
        unit=CHARACTERS,
    ),
    SettingSpec(
        "meeting_notice_working_days",
        MEETINGS,
        _("Meeting notice lead time"),
        3,
        minimum=1,
        maximum=20,
        unit=WORKING_DAYS,
    ),
    SettingSpec(
        # Members check in with the code from this long before a sitting
        # starts until it ends (meetings/actions/check_in.py).
        "check_in_opens_minutes_before",
        MEETINGS,
        _("Check-in opens before a sitting starts"),
        120,
        minimum=0,
        maximum=1440,
        unit=MINUTES,
    ),
    SettingSpec(
        "partial_attendance_min_percent",
        MEETINGS,
        _("Attendance below this share of a session counts as absent"),
        67,
        minimum=1,
        maximum=100,
        unit=PERCENT,
    ),
    SettingSpec(
        "plenary_absences_per_term_flag",
        MEETINGS,
        _("Flag members with plenary absences in a term of"),
        3,
        minimum=1,
        maximum=10,
        unit=TIMES,
    ),
    SettingSpec(
        "standing_absences_per_year_flag",
        MEETINGS,
        _("Flag standing-committee members with absences in a year of"),
        3,
        minimum=1,
        maximum=10,
        unit=TIMES,
    ),
    SettingSpec(
        "standing_absences_per_term_flag",
        MEETINGS,
        _("Flag standing-committee members with absences in a term of"),
        7,
        minimum=1,
        maximum=20,
        unit=TIMES,
    ),
    SettingSpec(
        "years_without_proposal_flag",
        MEETINGS,
        _("Flag members without a proposal for"),
        2,
        minimum=1,
        maximum=5,
        unit=_("years"),
    ),
    SettingSpec(
        "duty_grade_bands",
        MEETINGS,
        _("Lowest duty scores of the grades excellent, good and competent (three numbers)"),
        [90, 80, 60],
        kind="int_list",
        minimum=0,
        maximum=300,
        unit=_("points"),
        by_year=True,
    ),
    SettingSpec(
        "consultation_notice_working_days",
        CONSULTATIONS,
        _("Consultation notice lead time"),
        15,
        minimum=5,
        maximum=30,
        unit=WORKING_DAYS,
    ),
    SettingSpec(
        "consultation_materials_working_days",
        CONSULTATIONS,
        _("Consultation materials lead time"),
        10,
        minimum=3,
        maximum=30,
        unit=WORKING_DAYS,
    ),
    SettingSpec(
        "consultation_minutes_working_days",
        CONSULTATIONS,
        _("Minutes sent within"),
        7,
        minimum=1,
        maximum=30,
        unit=WORKING_DAYS,
    ),
    SettingSpec(
        "booked_speech_minutes",
        CONSULTATIONS,
        _("Booked speech length"),
        8,
        minimum=1,
        maximum=30,
        unit=MINUTES,
    ),
    SettingSpec(
        "impromptu_speech_minutes",
        CONSULTATIONS,
        _("Impromptu speech length"),
        5,
        minimum=1,
        maximum=30,
        unit=MINUTES,
    ),
    SettingSpec(
        "deliberation_codes_per_hour",
        CONSULTATIONS,
        _("SMS codes per mobile number per hour"),
        5,
        minimum=1,
        maximum=50,
        unit=TIMES,
    ),
    SettingSpec(
        "deliberation_codes_per_address_per_hour",
        CONSULTATIONS,
        # Many people may share one address (a community centre, a carrier's NAT).
        _("SMS codes per network address per hour"),
        30,
        minimum=1,
        maximum=100000,
        unit=TIMES,
    ),
    SettingSpec(
        "deliberation_comments_per_hour",
        CONSULTATIONS,
        _("Comments per participant per hour in an online deliberation"),
        10,
        minimum=1,
        maximum=100,
        unit=TIMES,
    ),
    SettingSpec(
        "deliberation_blocked_words",
        CONSULTATIONS,
        # Opinions containing one of these are refused in every online
        # deliberation of the council; a deliberation may add its own.
        _("Blocked words in online deliberations"),
        ("傻逼", "操你", "去死", "王八蛋", "狗日", "fuck"),
        kind="words",
    ),
    SettingSpec(
        "letter_reply_days",
        SUPERVISION,
        _("Recommendation letters answered within"),
        30,
        minimum=5,
        maximum=90,
        unit=DAYS,
    ),
    SettingSpec(
        "supervision_reply_working_days",
        SUPERVISION,
        _("Supervision recommendations answered within"),
        15,
        minimum=5,
        maximum=60,
        unit=WORKING_DAYS,
    ),
    SettingSpec(
        "supervision_photo_keep_gps",
        SUPERVISION,
        _("Keep where inspection photos were taken (GPS)"),
        False,
        kind="bool",
    ),
    SettingSpec(
        "supervision_photo_max_mb",
        SUPERVISION,
        _("Largest inspection photo"),
        10,
        minimum=1,
        maximum=20,
        unit=MEGABYTES,
    ),
    SettingSpec(
        "liaison_visits_per_month",
        SUPERVISION,
        _("Liaison visits per leader per month"),
        1,
        minimum=0,
        maximum=10,
        unit=TIMES,
    ),
    SettingSpec(
        "survey_codes_per_hour",
        SURVEYS,
        _("Survey SMS codes per mobile number per hour"),
        5,
        minimum=1,
        maximum=50,
        unit=TIMES,
    ),
    SettingSpec(
        "survey_codes_per_address_per_hour",
        SURVEYS,
        # A thousand-person survey is often answered from one hall's network.
        _("Survey SMS codes per network address per hour"),
        200,
        minimum=1,
        maximum=100000,
        unit=TIMES,
    ),
    SettingSpec(
        "survey_reminder_days",
        SURVEYS,
        _("Remind those who have not answered, days before a survey closes"),
        2,
        minimum=0,
        maximum=30,
        unit=DAYS,
    ),
)

SPECS_BY_KEY: dict[str, SettingSpec] = {spec.key: spec for spec in SPECS}

# Date settings that bound a period together: (first day, last day) of the
# same year; the first may not come after the last.
DATE_RANGES: tuple[tuple[str, str], ...] = (("session_window_opens_on", "session_window_closes_on"),)
