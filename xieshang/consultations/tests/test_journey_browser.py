"""The whole consultation journey in a real browser (Debian's Chromium via
Playwright), with the pages in Chinese as users see them: staff draft the
year's plan item, the chair approves the plan and staff issue it; staff set
up the consultation from the item and open an online deliberation; two
members of the public verify by SMS code and post; a moderator hides one
comment (its author still sees it with the reason, the public does not);
a booked and an impromptu speech are recorded on the speakers list; the
outcome report goes to the party-committee and government offices; the
party-committee office records a leader's instruction (批示); staff download
the year-end report as Word and PDF.

Screenshots go to test-artifacts/screenshots/consultation-journey-*.png.
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import docx
import pytest
from django.utils import timezone

from config import settings as production
from tests.browser.conftest import SCREENSHOTS, Browser
from xieshang.accounts.tests.factories import PASSWORD
from xieshang.consultations.models import (
    Consultation,
    DeliberationComment,
    Outcome,
    OutcomeInstruction,
    Speech,
)
from xieshang.consultations.states import ConsultationStatus, OutcomeStatus, PlanStatus, SpeechKind
from xieshang.consultations.tests.conftest import World
from xieshang.core.sms import MemorySmsBackend
from xieshang.councils.tests.browsing import log_in, open_chromium

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("browser"),
]

PHONE = {"width": 390, "height": 844}
TOPIC = "推进老旧小区加装电梯"
INSTRUCTION = "市住建局牵头研究吸收，年底前出台加装电梯财政补贴细则。"


@pytest.fixture
def browser(monkeypatch: pytest.MonkeyPatch, settings: Any) -> Iterator[Browser]:
    # Users get Chinese first; the suite's default is English (test_settings).
    settings.LANGUAGE_CODE = production.LANGUAGE_CODE
    with open_chromium(monkeypatch) as opened:
        # Every irreversible step asks for confirmation first: say yes.
        opened.page.on("dialog", lambda dialog: dialog.accept())
        yield opened


def shot(page: Any, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"consultation-journey-{name}.png"), full_page=True)


def as_user(browser: Browser, base: str, username: str) -> Any:
    browser.page.context.clear_cookies()
    log_in(browser, base, username, PASSWORD)
    return browser.page


def submit(page: Any, selector: str = "[data-testid=confirm]") -> None:
    """Press a form's button and wait for the page the server answers with."""
    with page.expect_navigation():
        page.click(selector)


def local(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def phone_page(browser: Browser) -> Any:
    """A page on a phone of its own: its own cookies, so its own identity."""
    context = browser.page.context.browser.new_context(viewport=PHONE, is_mobile=True, locale="zh-CN")
    page = context.new_page()
    page.on(
        "console", lambda m: browser.csp_violations.append(m.text) if "Content Security" in m.text else None
    )
    return page


def take_part(page: Any, url: str, mobile: str, nickname: str, text: str) -> None:
    """A member of the public asks for a code, types it from the SMS, and posts."""
    page.goto(url)
    page.fill("[data-testid=code-form] [name=mobile]", mobile)
    submit(page, "[data-testid=code-form] button[type=submit]")
    sent = [message.text for message in MemorySmsBackend.outbox if message.to == mobile]
    code = re.search(r"\b\d{6}\b", sent[-1])
    assert code, sent
    page.fill("[data-testid=verify-form] [name=mobile]", mobile)
    page.fill("[data-testid=verify-form] [name=code]", code.group(0))
    page.fill("[data-testid=verify-form] [name=nickname]", nickname)
    submit(page, "[data-testid=verify-form] button[type=submit]")
    page.fill("[data-testid=comment-form] [name=text]", text)
    submit(page, "[data-testid=comment-form] button[type=submit]")


def download(page: Any, selector: str, folder: Path) -> Path:
    with page.expect_download() as info:
        page.click(selector)
    target = folder / info.value.suggested_filename
    info.value.save_as(target)
    return target


def test_from_plan_item_to_the_year_end_report(
    live_server: Any, browser: Browser, world: World, tmp_path: Path
) -> None:
    MemorySmsBackend.outbox.clear()
    base = live_server.url
    council = f"{base}/c/city/consultations"
    today = timezone.localdate()

    page = plan_the_year(browser, base, council, today)
    consultation = set_up_the_consultation(page, world, today)
    detail = page.url
    public_url = open_a_deliberation(page, base)
    hear_the_public(browser, page, public_url)
    book_a_speech(as_user(browser, base, "member"))
    page = as_user(browser, base, "staff")
    page.goto(detail)
    time_the_speeches(page, world)
    hold_and_send_the_outcome(page, world)
    record_what_became_of_it(as_user(browser, base, "oversight"), base)
    download_the_year_report(as_user(browser, base, "staff"), council, today, tmp_path)

    assert consultation.plan_item is not None
    assert consultation.plan_item.plan.status == PlanStatus.ISSUED
    assert consultation.plan_item.plan.approval_note == "第十四届第12次主席会议"
    assert browser.csp_violations == []
    assert browser.errors == []


def plan_the_year(browser: Browser, base: str, council: str, today: dt.date) -> Any:
    """Staff draft this year's plan with the item and send it to the
    offices; the chair records the chair meeting's approval; staff issue it.
    Return staff's page, on the plan."""
    page = as_user(browser, base, "staff")
    page.goto(f"{council}/plans/")
    shot(page, "01-plans-empty")
    page.click("[data-testid=plan-create]")
    page.fill("#id_year", str(today.year))
    page.fill("#id_title", f"{today.year}年度政治协商工作计划")
    submit(page)
    page.click("[data-testid=item-create]")
    page.fill("#id_topic", TOPIC)
    page.select_option("#id_kind", "topic")
    page.select_option("#id_quarter", str((today.month - 1) // 3 + 1))
    page.fill("#id_decision_expected_on", (today + dt.timedelta(days=60)).isoformat())
    page.fill("#id_themes", "城市更新，民生")
    shot(page, "02-item-form")
    submit(page)
    assert TOPIC in page.locator("[data-testid=plan-items]").inner_text()
    submit(page, "[data-testid=plan-revision]")
    shot(page, "03-plan-in-revision")

    page = as_user(browser, base, "leader")
    page.goto(f"{council}/plans/")
    page.locator("[data-testid=plans] a").first.click()
    page.click("[data-testid=plan-approve]")
    page.fill("#id_note", "第十四届第12次主席会议")
    submit(page)
    page = as_user(browser, base, "staff")
    page.goto(f"{council}/plans/")
    page.locator("[data-testid=plans] a").first.click()
    page.click("[data-testid=plan-issue]")
    page.fill("#id_document_number", f"市政协发〔{today.year}〕3号")
    submit(page)
    assert f"市政协发〔{today.year}〕3号" in page.locator("[data-testid=plan-facts]").inner_text()
    return page


def set_up_the_consultation(page: Any, world: World, today: dt.date) -> Consultation:
    """From the issued item (page: the plan), staff set up the consultation,
    add the member who will book a speech and a colleague, and send the notice."""
    page.locator("[data-testid=plan-item]", has_text=TOPIC).locator("a[href*='?item=']").click()
    assert page.input_value("#id_topic") == TOPIC
    page.fill("#id_starts_at", f"{today.isoformat()}T09:00")
    page.fill("#id_place", "市政协三楼会议室")
    page.fill("#id_description", "围绕加装电梯的资金分担、审批流程和后期维护开展专题协商。")
    shot(page, "04-consultation-form")
    submit(page)
    consultation = Consultation.objects.get()
    assert consultation.plan_item is not None and consultation.plan_item.topic == TOPIC
    for record in (world.cast.member_record, world.colleague_record):
        page.click("[data-testid=participant-add]")
        page.select_option("#id_category", "member")
        page.select_option("#id_member", str(record.pk))
        submit(page)
    submit(page, "[data-testid=action-notice]")
    consultation.refresh_from_db()
    assert consultation.status == ConsultationStatus.NOTIFIED
    return consultation


def open_a_deliberation(page: Any, base: str) -> str:
    """Staff open an online deliberation on it, open to the public; return its public address."""
    now = timezone.now()
    page.click("[data-testid=deliberation-create]")
    page.fill("#id_topic", "加装电梯费用如何分担")
    page.fill("#id_background", "全市老旧小区三百余个，多数没有电梯。")
    page.fill("#id_questions", "费用如何在各楼层住户之间分担？政府补贴多少合适？")
    page.fill("#id_opens_at", local(now - dt.timedelta(hours=1)))
    page.fill("#id_closes_at", local(now + dt.timedelta(days=7)))
    page.check("#id_public_enabled")
    submit(page)
    shot(page, "05-deliberation-staff")
    return base + str(page.locator("a[href$='/public/']").get_attribute("href"))


def hear_the_public(browser: Browser, page: Any, public_url: str) -> None:
    """Two members of the public, each on a phone, verify by SMS and post; a
    moderator (page) hides the advertisement with a reason, which its author
    still sees and nobody else; the summary counts the visible comment only
    and goes into the consultation's record."""
    first, second = phone_page(browser), phone_page(browser)
    take_part(
        first,
        public_url,
        "13800138000",
        "老街坊",
        "加装电梯费用按楼层分摊，一楼住户少出或不出，政府补贴一部分。",
    )
    shot(first, "06-public-posted-phone")
    take_part(second, public_url, "13900139000", "路人甲", "出售二手家电，价格面议，有意者电话联系。")
    assert DeliberationComment.objects.count() == 2

    page.goto(page.url)
    page.locator("[data-testid=comment]", has_text="二手家电").locator("[data-testid=hide]").click()
    page.fill("#id_reason", "与议题无关的广告")
    assert page.locator("[data-testid=confirm]").inner_text() == "隐藏"  # the button says what it does
    shot(page, "07-hide-form")
    submit(page)
    assert DeliberationComment.objects.get(author_name="路人甲").is_hidden

    second.goto(public_url)
    assert "与议题无关的广告" in second.locator("[data-testid=hidden-reason]").inner_text()
    shot(second, "08-author-sees-reason-phone")
    first.goto(public_url)
    assert "二手家电" not in first.locator("[data-testid=comments]").inner_text()
    assert "楼层分摊" in first.locator("[data-testid=comments]").inner_text()
    stranger = phone_page(browser)
    stranger.goto(public_url)
    assert "二手家电" not in stranger.locator("[data-testid=comments]").inner_text()
    assert stranger.locator("[data-testid=hidden-reason]").count() == 0
    # Before asking for a code, a visitor is asked for the mobile number once, not twice.
    assert stranger.locator("input[name=mobile]").count() == 1
    shot(stranger, "09-public-without-hidden-phone")

    page.click("[data-testid=summary-link]")
    page.locator("[data-chart=word-chart] canvas").wait_for()
    assert page.locator("[data-testid=count-comments]").inner_text() == "1"
    shot(page, "10-deliberation-summary")
    submit(page, "[data-testid=record-summary]")


def book_a_speech(page: Any) -> None:
    """The member finds the consultation among theirs and books a speech with its text."""
    page.click("nav.side-nav a[href='/c/city/consultations/mine/']")
    shot(page, "11-my-consultations")
    page.locator("[data-testid=my-consultation] a", has_text=TOPIC).click()
    # Members may not open the plan itself, so its title is not a link for them.
    assert page.locator("main a[href*='/plans/']").count() == 0
    page.click("[data-testid=action-book]")
    page.fill("#id_title", "关于建立加装电梯长效维护机制的建议")
    page.fill("#id_text", "建议由物业和住户共同设立电梯维护基金，街道负责监督。")
    submit(page)
    assert "关于建立加装电梯长效维护机制的建议" in page.locator("[data-testid=speeches]").inner_text()
    shot(page, "12-member-booked-speech")


def time_the_speeches(page: Any, world: World) -> None:
    """Staff add an impromptu speaker and record how long each speech took;
    every step stands in the consultation's history under its name."""
    page.click("[data-testid=speech-add]")
    page.select_option("#id_member", str(world.colleague_record.pk))
    page.select_option("#id_kind", SpeechKind.IMPROMPTU)
    page.fill("#id_title", "即席发言：审批流程再简化")
    submit(page)
    for index, (minutes, seconds) in enumerate(((7, 30), (5, 40))):
        page.locator("[data-testid=speech]").nth(index).locator("a[href$='/duration/']").click()
        page.fill("#id_minutes", str(minutes))
        page.fill("#id_seconds", str(seconds))
        submit(page)
    speeches = {s.kind: s for s in Speech.objects.all()}
    assert speeches[SpeechKind.BOOKED].duration_seconds == 450
    assert speeches[SpeechKind.IMPROMPTU].duration_seconds == 340
    assert speeches[SpeechKind.IMPROMPTU].is_over_time
    assert page.locator("[data-testid=speech-duration]").count() == 2
    shot(page, "13-speakers")
    history = page.locator(".timeline").inner_text()
    assert "consultation." not in history and "outcome." not in history


def hold_and_send_the_outcome(page: Any, world: World) -> None:
    """Held; staff write the outcome report and send it to both offices."""
    page.click("[data-testid=action-held]")
    submit(page)
    page.click("[data-testid=action-outcome]")
    page.select_option("#id_kind", "special_report")
    page.fill("#id_title", "关于加快推进老旧小区加装电梯的专报")
    page.fill("#id_text", "一、基本情况\n二、存在问题\n三、意见建议：建立财政补贴和长效维护机制。")
    submit(page)
    for office in (world.party_office, world.gov_office):
        page.check(f"[data-testid=send-form] input[value='{office.pk}']")
    shot(page, "14-outcome-before-sending")
    submit(page, "[data-testid=outcome-send]")
    outcome = Outcome.objects.get()
    assert outcome.status == OutcomeStatus.SENT
    assert set(outcome.offices.all()) == {world.party_office, world.gov_office}


def record_what_became_of_it(page: Any, base: str) -> None:
    """The party-committee office finds the outcome in its inbox, records the
    instruction and, later, what became of it."""
    page.goto(f"{base}/c/city/")
    page.click("nav.side-nav a[href='/c/city/consultations/office/']")
    shot(page, "15-office-inbox")
    page.locator("[data-testid=office-inbox] a").first.click()
    page.fill("#id_i-leader_name", "张市长")
    page.fill("#id_i-leader_title", "市委副书记、市长")
    page.select_option("#id_i-level", "city")
    page.fill("#id_i-text", INSTRUCTION)
    submit(page, "[data-testid=record-instruction]")
    assert INSTRUCTION in page.locator("[data-testid=instructions]").inner_text()
    assert OutcomeInstruction.objects.get().text == INSTRUCTION
    page.select_option("#id_a-adoption", "adopted")
    page.fill("#id_a-note", "市政府已将加装电梯补贴列入明年民生实事项目。")
    submit(page, "[data-testid=record-adoption]")
    shot(page, "16-instruction-and-adoption")
    assert Outcome.objects.get().adoption == "adopted"


def download_the_year_report(page: Any, council: str, today: dt.date, folder: Path) -> None:
    """Staff open the year-end report and download it as Word and PDF."""
    page.goto(f"{council}/")
    shot(page, "17-consultation-list")
    page.click(f"a[href='/c/city/consultations/report/{today.year}/']")
    assert TOPIC in page.locator("[data-testid=year-rows]").inner_text()
    shot(page, "18-year-report")
    word = download(page, "[data-testid=year-docx]", folder)
    pdf = download(page, "[data-testid=year-pdf]", folder)
    assert word.suffix == ".docx" and pdf.suffix == ".pdf"
    document = docx.Document(str(word))
    text = "\n".join(
        [p.text for p in document.paragraphs]
        + [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    )
    assert TOPIC in text and INSTRUCTION[:12] in text
    assert pdf.read_bytes().startswith(b"%PDF")
    pdf_text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True, timeout=30
    ).stdout
    assert TOPIC in pdf_text.replace("\n", "").replace(" ", "")
