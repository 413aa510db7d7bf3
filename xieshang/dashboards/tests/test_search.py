"""The header search: members, proposals, opinion reports and consultations,
each as the searching person's own lists would show them."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from xieshang.consultations.models import Participant
from xieshang.consultations.states import ConsultationStatus, ParticipantCategory
from xieshang.consultations.tests.factories import ConsultationFactory
from xieshang.core.testing import parse_html
from xieshang.councils.tests.factories import AffiliationFactory, MemberFactory, SectorFactory, TermFactory
from xieshang.opinions.tests.factories import OpinionReportFactory
from xieshang.proposals.search import index_proposal
from xieshang.proposals.states import ProposalStatus
from xieshang.proposals.tests.factories import ProposalFactory

pytestmark = pytest.mark.django_db

SEARCH = "/c/city/search/"


def results(client, q):
    response = client.get(SEARCH, {"q": q})
    assert response.status_code == 200
    return response, response.context["results"]


def indexed_proposal(council, **kwargs):
    proposal = ProposalFactory(council=council, **kwargs)
    index_proposal(proposal)
    return proposal


def test_members_are_found_by_part_of_the_name_and_linked(clients, cast):
    zhang = MemberFactory(council=cast.city, term=cast.term, full_name="张建国")
    MemberFactory(council=cast.city, term=cast.term, full_name="李四")
    response, found = results(clients["staff"], "建国")
    assert found.members.rows == [zhang]
    assert f'href="/c/city/members/{zhang.pk}/"' in response.content.decode()


def test_seated_members_come_first(clients, cast):
    old = MemberFactory(council=cast.city, term=cast.term, full_name="王一", is_active=False)
    new = MemberFactory(council=cast.city, term=cast.term, full_name="王二")
    assert results(clients["leader"], "王")[1].members.rows == [new, old]


def test_nothing_of_other_councils_is_ever_found(clients, cast):
    outside = MemberFactory(
        council=cast.other_city, term=TermFactory(council=cast.other_city), full_name="外市张三"
    )
    indexed_proposal(cast.other_city, status=ProposalStatus.ACCEPTED, title="关于张三河道治理的建议")
    OpinionReportFactory(
        council=cast.other_city, member=outside, filed_by=cast.staff, title="关于张三河道的社情民意"
    )
    ConsultationFactory(council=cast.other_city, created_by=cast.staff, topic="张三河道治理专题协商")
    response, found = results(clients["staff"], "张三")
    assert not found.found_anything
    assert 'data-testid="search-empty"' in response.content.decode()


def test_a_proposal_is_found_by_words_of_its_text_and_by_its_case_number(clients, cast):
    lift = indexed_proposal(
        cast.city,
        status=ProposalStatus.ACCEPTED,
        title="关于推进老旧小区加装电梯的建议",
        case_number="14-3-0123",
    )
    indexed_proposal(cast.city, status=ProposalStatus.ACCEPTED, title="关于发展夜间经济的建议")
    response, found = results(clients["staff"], "电梯")
    assert [row["proposal"] for row in found.proposals.rows] == [lift]
    assert "<mark>" in response.content.decode()
    assert f'href="/c/city/proposals/{lift.pk}/"' in response.content.decode()
    _response, by_number = results(clients["staff"], "14-3-0123")
    assert [row["proposal"] for row in by_number.proposals.rows] == [lift]


def test_members_find_their_own_proposals_and_reports_but_not_others_drafts(clients, cast):
    mine = indexed_proposal(
        cast.city,
        lead_proposer=cast.member_record,
        status=ProposalStatus.SUBMITTED,
        title="关于河道保洁的建议",
    )
    my_draft = indexed_proposal(cast.city, lead_proposer=cast.member_record, title="关于河道巡查的建议")
    others_draft = indexed_proposal(cast.city, title="关于河道绿化的建议")
    my_report = OpinionReportFactory(
        council=cast.city, member=cast.member_record, filed_by=cast.member, title="河道垃圾清理不及时"
    )
    OpinionReportFactory(
        council=cast.city,
        member=MemberFactory(council=cast.city, term=cast.term),
        filed_by=cast.staff,
        title="河道沿线照明不足",
        status="draft",
    )
    _response, found = results(clients["member"], "河道")
    assert [row["proposal"] for row in found.proposals.rows] == [mine, my_draft]
    assert others_draft.pk not in {row["proposal"].pk for row in found.proposals.rows}
    assert found.reports.rows == [my_report]
    assert found.members.rows == [] and not found.members.searched


def test_staff_find_filed_reports_but_not_members_drafts(clients, cast):
    filed = OpinionReportFactory(
        council=cast.city, member=cast.member_record, filed_by=cast.member, title="河道垃圾清理"
    )
    OpinionReportFactory(
        council=cast.city, member=cast.member_record, filed_by=cast.member, title="河道照明", status="draft"
    )
    assert results(clients["staff"], "河道")[1].reports.rows == [filed]


def test_members_find_only_the_consultations_they_are_invited_to(clients, cast):
    invited = ConsultationFactory(
        council=cast.city, created_by=cast.staff, topic="河道治理专题协商", status=ConsultationStatus.NOTIFIED
    )
    Participant.objects.create(
        council=cast.city,
        consultation=invited,
        member=cast.member_record,
        category=ParticipantCategory.MEMBER,
    )
    ConsultationFactory(
        council=cast.city,
        created_by=cast.staff,
        topic="河道管理条例立法协商",
        status=ConsultationStatus.NOTIFIED,
    )
    assert results(clients["member"], "河道")[1].consultations.rows == [invited]
    assert len(results(clients["staff"], "河道")[1].consultations.rows) == 2


def test_roles_that_may_not_see_members_do_not_find_them(clients, cast):
    MemberFactory(council=cast.city, term=cast.term, full_name="张三")
    for name in ("member", "liaison", "oversight"):
        response, found = results(clients[name], "张三")
        assert found.members.rows == [], name
        assert 'data-testid="search-members"' not in response.content.decode(), name


def test_outsiders_and_upper_staff_do_not_reach_the_search(clients):
    assert clients["outsider"].get(SEARCH, {"q": "张"}).status_code == 404
    assert clients["upper"].get(SEARCH, {"q": "张"}).status_code == 403
    assert clients["anonymous"].get(SEARCH, {"q": "张"}).status_code == 302


def test_many_matching_members_are_cut_at_fifty_and_say_so(clients, cast):
    for i in range(52):
        MemberFactory(council=cast.city, term=cast.term, full_name=f"赵{i:02d}")
    _response, found = results(clients["staff"], "赵")
    assert len(found.members.rows) == 50
    assert found.members.more is True


def test_an_empty_query_searches_nothing(clients, cast):
    response, found = results(clients["staff"], "  ")
    assert not found.searched_anything
    assert 'data-testid="search-empty"' not in response.content.decode()


def test_script_in_the_query_is_shown_as_text(clients, cast):
    response, _found = results(clients["staff"], "<script>alert(1)</script>")
    body = response.content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


def test_the_number_of_queries_does_not_grow_with_the_results(clients, cast, django_assert_max_num_queries):
    for i in range(3):
        indexed_proposal(cast.city, status=ProposalStatus.ACCEPTED, title=f"关于河道治理的建议{i}")
        MemberFactory(council=cast.city, term=cast.term, full_name=f"河道{i}")
    clients["staff"].get(SEARCH, {"q": "河道"})
    with CaptureQueriesContext(connection) as few:
        clients["staff"].get(SEARCH, {"q": "河道"})
    for i in range(3, 9):
        indexed_proposal(cast.city, status=ProposalStatus.ACCEPTED, title=f"关于河道治理的建议{i}")
        MemberFactory(council=cast.city, term=cast.term, full_name=f"河道{i}")
        OpinionReportFactory(
            council=cast.city, member=cast.member_record, filed_by=cast.member, title=f"河道问题{i}"
        )
    with django_assert_max_num_queries(len(few)):
        clients["staff"].get(SEARCH, {"q": "河道"})


def test_a_found_members_sector_and_affiliation_say_which_is_which(clients, cast):
    """Both may be 中国共产党: each is named for what it is."""
    MemberFactory(
        council=cast.city,
        term=cast.term,
        full_name="张建国",
        sector=SectorFactory(council=cast.city, name="中国共产党"),
        affiliation=AffiliationFactory(council=cast.city, name="中国共产党"),
    )
    response, _found = results(clients["staff"], "建国")
    line = parse_html(response.content).one("ul", data_testid="search-results").one("span").text
    assert "sector: 中国共产党" in line and "affiliation: 中国共产党" in line
