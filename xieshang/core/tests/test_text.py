"""Chinese full-text search in the kernel: the same tests run on SQLite (FTS5)
and PostgreSQL (tsvector + GIN). Users of the shared cast stand in for any
indexed object (taken from the cast, as the kernel imports no app above it);
the texts are what proposals look like."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType

from conftest import Cast
from xieshang.core.models import SearchDocument
from xieshang.core.text import (
    count_matches,
    highlight,
    index_document,
    keywords,
    query_terms,
    remove_document,
    search,
    segment,
    similar_documents,
    snippet,
)

ELDERLY = ("关于完善社区养老服务体系的建议", "我市老年人口持续增长，社区养老服务设施不足，护理人员短缺。")
LIFTS = ("关于老旧小区加装电梯的建议", "老旧小区居民上下楼困难，加装电梯审批流程复杂，资金分摊难以协调。")
SCHOOLS = ("关于缓解城区中小学学位紧张的建议", "城区新建住宅增加，学位供给不足，建议新建学校并扩大招生规模。")


def _index(user: Any, council: object, text: tuple[str, str]) -> None:
    index_document(user, council=council, title=text[0], body=text[1])


@pytest.fixture
def indexed(cast: Cast) -> Cast:
    _index(cast.member, cast.city, ELDERLY)
    _index(cast.staff, cast.city, LIFTS)
    _index(cast.leader, cast.city, SCHOOLS)
    # The same words in another council must never be found from the city.
    _index(cast.outsider, cast.other_city, ELDERLY)
    return cast


def _found(hits: list) -> list[int]:
    return [hit.object_id for hit in hits]


def test_segment_separates_chinese_words_and_keeps_the_short_words_inside_long_ones() -> None:
    words = segment("政协委员提案办理满意率！").split()
    assert {"政协", "委员", "政协委员", "提案", "办理"} <= set(words)
    assert "！" not in words


def test_query_terms_drop_punctuation_and_repeats() -> None:
    assert query_terms("养老，养老 服务") == ["养老", "服务"]


def test_two_character_word_finds_the_document_that_contains_it(indexed: Cast) -> None:
    hits = search(indexed.city, "养老")
    assert _found(hits) == [indexed.member.pk]


def test_every_word_of_the_query_must_match(indexed: Cast) -> None:
    assert _found(search(indexed.city, "电梯 审批")) == [indexed.staff.pk]
    assert search(indexed.city, "电梯 学位") == []


def test_search_never_crosses_councils(indexed: Cast) -> None:
    assert _found(search(indexed.other_city, "养老")) == [indexed.outsider.pk]
    assert count_matches(indexed.city, "养老") == 1


def test_title_matches_rank_above_body_matches(cast: Cast) -> None:
    _index(cast.member, cast.city, ("关于加强城市绿化的建议", "提到一次养老。"))
    _index(cast.staff, cast.city, ("关于发展养老产业的建议", "发展银发经济，鼓励社会资本进入。"))
    assert _found(search(cast.city, "养老")) == [cast.staff.pk, cast.member.pk]


def test_restrict_to_limits_hits_to_the_given_rows(indexed: Cast) -> None:
    users = type(indexed.member)
    visible = users.objects.filter(pk__in=[indexed.staff.pk, indexed.leader.pk])
    assert search(indexed.city, "建议", restrict_to=visible, limit=10) != []
    assert set(_found(search(indexed.city, "建议", restrict_to=visible, limit=10))) == {
        indexed.staff.pk,
        indexed.leader.pk,
    }
    assert count_matches(indexed.city, "建议", restrict_to=visible) == 2


def test_limit_and_offset_page_through_the_ranked_hits(indexed: Cast) -> None:
    everything = _found(search(indexed.city, "建议", limit=10))
    assert len(everything) == 3
    assert (
        _found(search(indexed.city, "建议", limit=2))
        + _found(search(indexed.city, "建议", limit=2, offset=2))
        == everything
    )


def test_content_types_filter_by_model(indexed: Cast) -> None:
    assert search(indexed.city, "养老", content_types=[ContentType]) == []
    assert _found(search(indexed.city, "养老", content_types=[type(indexed.member)])) == [indexed.member.pk]


def test_reindexing_replaces_the_old_text(indexed: Cast) -> None:
    _index(indexed.member, indexed.city, LIFTS)
    assert search(indexed.city, "护理") == []
    assert set(_found(search(indexed.city, "电梯"))) == {indexed.member.pk, indexed.staff.pk}
    assert SearchDocument.objects.filter(object_id=indexed.member.pk).count() == 1


def test_removed_documents_are_not_found(indexed: Cast) -> None:
    remove_document(indexed.member)
    assert search(indexed.city, "养老") == []
    remove_document(indexed.member)  # twice is harmless


def test_hits_carry_highlighted_title_and_snippet(indexed: Cast) -> None:
    (hit,) = search(indexed.city, "电梯")
    assert hit.title == LIFTS[0]
    assert "<mark>电梯</mark>" in hit.title_html
    assert "<mark>电梯</mark>" in hit.snippet_html


def test_a_query_without_words_finds_nothing(indexed: Cast) -> None:
    assert search(indexed.city, "  ，。！ ") == []
    assert count_matches(indexed.city, "") == 0


def test_query_syntax_characters_are_plain_text(indexed: Cast) -> None:
    # FTS5 and tsquery operators typed by a user must not break the query.
    assert search(indexed.city, 'NEAR(") 养老 OR * & | !') == []
    assert _found(search(indexed.city, '"养老"')) == [indexed.member.pk]


def test_similar_documents_rank_by_shared_words_and_skip_the_draft_itself(indexed: Cast) -> None:
    hits = similar_documents(
        indexed.city,
        "社区养老服务中心建设滞后，养老护理人员不足。",
        title="关于加快社区养老服务中心建设的建议",
    )
    assert _found(hits)[0] == indexed.member.pk
    assert indexed.outsider.pk not in _found(hits)
    again = similar_documents(indexed.city, ELDERLY[1], title=ELDERLY[0], exclude=indexed.member)
    assert indexed.member.pk not in _found(again)


def test_similar_documents_search_several_councils(indexed: Cast) -> None:
    hits = similar_documents([indexed.city, indexed.other_city], ELDERLY[1], title=ELDERLY[0])
    assert {indexed.member.pk, indexed.outsider.pk} <= set(_found(hits))


def test_keywords_leave_out_stop_words_and_single_characters() -> None:
    words = keywords("建议加快推进老旧小区加装电梯。", title="关于加装电梯的建议")
    assert words[0] == "加装"
    assert "建议" not in words and "关于" not in words
    assert all(len(w) > 1 for w in words)


def test_highlight_escapes_html_before_marking() -> None:
    marked = highlight("<script>养老</script>", ["养老"])
    assert marked == "&lt;script&gt;<mark>养老</mark>&lt;/script&gt;"


def test_snippet_is_cut_around_the_first_match() -> None:
    text = "甲" * 300 + "养老服务" + "乙" * 300
    piece = snippet(text, ["养老"], length=40)
    assert piece.startswith("…") and piece.endswith("…")
    assert "<mark>养老</mark>" in piece
    assert len(piece.replace("<mark>", "").replace("</mark>", "")) == 42
