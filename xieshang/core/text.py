"""Chinese text: segmentation, a full-text index every app shares, search
with highlighted snippets, and similar documents.

Chinese is written without spaces, and neither SQLite's FTS5 tokenizers nor
PostgreSQL's parsers know where its words end (FTS5's trigram tokenizer cannot
even match two-character words such as 养老). So text is segmented with jieba
(the rjieba build) first, and the database indexes the words separated by
spaces: FTS5 on SQLite, a tsvector('simple') with a GIN index on PostgreSQL.

Apps call index_document() from the actions that change an object's text and
remove_document() when the text must no longer be found; search() and
similar_documents() read. Which objects an actor may see is the app's
business: pass its visible rows as restrict_to.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import rjieba
from django.contrib.contenttypes.models import ContentType
from django.db import connection, models
from django.db.models.expressions import RawSQL
from django.utils.safestring import SafeString, mark_safe

from xieshang.core.models import SearchDocument

# Words that say nothing about what a proposal is about; left out of the
# "similar documents" query (they still match in search).
STOP_WORDS = frozenset(
    {
        "关于",
        "建议",
        "提案",
        "我们",
        "进一步",
        "加强",
        "加快",
        "推进",
        "提升",
        "完善",
        "问题",
        "工作",
        "相关",
        "有关",
        "一是",
        "二是",
        "三是",
        "四是",
        "五是",
        "以及",
        "进行",
        "通过",
        "一个",
        "没有",
        "目前",
        "近年来",
        "存在",
        "方面",
        "部门",
        "政府",
        "我市",
        "我省",
        "我县",
        "我区",
        "全市",
        "全省",
        "the",
        "and",
        "for",
        "with",
        "of",
        "to",
        "in",
        "on",
    }
)
MAX_QUERY_TERMS = 12
SNIPPET_CHARS = 120

_WORD = re.compile(r"\w+")


def _words(pieces: Iterable[str]) -> list[str]:
    """Lower-cased pieces that are words (letters, digits, Chinese), no punctuation."""
    out = []
    for piece in pieces:
        piece = piece.strip().lower()
        if piece and _WORD.fullmatch(piece):
            out.append(piece)
    return out


def segment(text: str) -> str:
    """The words of text separated by spaces, for the index.

    Search mode also emits the shorter words inside long ones (政协委员 →
    政协, 委员, 政协委员), so a query for 委员 finds 政协委员.
    """
    return " ".join(_words(rjieba.cut_for_search(text or "")))


def query_terms(query: str) -> list[str]:
    """The distinct words of a search query, in order (at most MAX_QUERY_TERMS)."""
    seen: list[str] = []
    for word in _words(rjieba.cut(query or "")):
        if word not in seen:
            seen.append(word)
    return seen[:MAX_QUERY_TERMS]


def keywords(text: str, *, title: str = "", limit: int = MAX_QUERY_TERMS) -> list[str]:
    """The words that characterise a text: most frequent first, title words
    counted three times, stop words and single characters left out."""
    counts: Counter[str] = Counter()
    for word in _words(rjieba.cut(title or "")):
        counts[word] += 3
    for word in _words(rjieba.cut(text or "")):
        counts[word] += 1
    ranked = [w for w, _n in counts.most_common() if len(w) > 1 and w not in STOP_WORDS]
    return ranked[:limit]


# --- writing the index -------------------------------------------------------


def index_document(obj: models.Model, *, council: Any, title: str, body: str) -> SearchDocument:
    """Make obj findable by title and body in council, replacing what was
    indexed for it before. Call it from the action that changed the text,
    inside its transaction."""
    content_type = ContentType.objects.get_for_model(obj)
    document, _created = SearchDocument.objects.update_or_create(
        content_type=content_type,
        object_id=obj.pk,
        defaults={
            "council": council,
            "title": title[:300],
            "body": body,
            "title_terms": segment(title),
            "body_terms": segment(body),
        },
    )
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM core_searchdocument_fts WHERE rowid = %s", [document.pk])
            cursor.execute(
                "INSERT INTO core_searchdocument_fts (rowid, title_terms, body_terms) VALUES (%s, %s, %s)",
                [document.pk, document.title_terms, document.body_terms],
            )
    return document


def remove_document(obj: models.Model) -> None:
    """Take obj out of the index (nothing happens when it was not indexed)."""
    content_type = ContentType.objects.get_for_model(obj)
    ids = list(
        SearchDocument.objects.filter(content_type=content_type, object_id=obj.pk).values_list(
            "pk", flat=True
        )
    )
    if not ids:
        return
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.executemany("DELETE FROM core_searchdocument_fts WHERE rowid = %s", [[pk] for pk in ids])
    SearchDocument.objects.filter(pk__in=ids).delete()


def rebuild_fts_rows(document_ids: Sequence[int] | None = None) -> None:
    """Write the SQLite FTS rows of documents created in bulk (bulk_create
    skips index_document). PostgreSQL computes its vector itself."""
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        if document_ids is None:
            cursor.execute("DELETE FROM core_searchdocument_fts")
            cursor.execute(
                "INSERT INTO core_searchdocument_fts (rowid, title_terms, body_terms) "
                "SELECT id, title_terms, body_terms FROM core_searchdocument"
            )
            return
        for start in range(0, len(document_ids), 500):
            chunk = list(document_ids[start : start + 500])
            marks = ", ".join(["%s"] * len(chunk))
            # Only placeholders are formatted into the statements; values are parameters.
            cursor.execute(f"DELETE FROM core_searchdocument_fts WHERE rowid IN ({marks})", chunk)  # noqa: S608
            copy = "INSERT INTO core_searchdocument_fts (rowid, title_terms, body_terms) "
            copy += f"SELECT id, title_terms, body_terms FROM core_searchdocument WHERE id IN ({marks})"  # noqa: S608
            cursor.execute(copy, chunk)


# --- reading -----------------------------------------------------------------


@dataclass(frozen=True)
class Hit:
    """One found object: which, how well it matched, and where (HTML-safe,
    matched words wrapped in <mark>)."""

    content_type_id: int
    object_id: int
    score: float
    title: str
    title_html: SafeString
    snippet_html: SafeString


def _fts_match(terms: Sequence[str], *, any_term: bool) -> str:
    quoted = ['"' + term.replace('"', '""') + '"' for term in terms]
    return (" OR " if any_term else " ").join(quoted)


def _tsquery(terms: Sequence[str], *, any_term: bool) -> str:
    # Terms are \w+ only (see _words), so they need no quoting in to_tsquery.
    return (" | " if any_term else " & ").join(terms)


def _ids(values: Iterable[Any]) -> list[int]:
    return [int(getattr(v, "pk", v)) for v in values]


def _matching(
    councils: Sequence[int],
    terms: Sequence[str],
    *,
    any_term: bool,
    content_type_ids: Sequence[int],
    restrict_to: models.QuerySet[Any] | None,
    exclude: Sequence[tuple[int, int]] = (),
) -> tuple[str, str, list[Any]]:
    """FROM … WHERE … of the matching documents, the score expression, params."""
    params: list[Any] = []
    if connection.vendor == "postgresql":
        sql = "FROM core_searchdocument d, to_tsquery('simple', %s) q WHERE d.search_vector @@ q"
        params.append(_tsquery(terms, any_term=any_term))
        # Higher is better; cover density rewards words that appear together.
        score = "-ts_rank_cd(d.search_vector, q, 1)"
    else:
        sql = (
            "FROM core_searchdocument_fts f JOIN core_searchdocument d ON d.id = f.rowid "
            "WHERE core_searchdocument_fts MATCH %s"
        )
        params.append(_fts_match(terms, any_term=any_term))
        # bm25: lower is better; a word in the title weighs five times one in the body.
        score = "bm25(core_searchdocument_fts, 5.0, 1.0)"
    sql += f" AND d.council_id IN ({', '.join(['%s'] * len(councils))})"
    params.extend(councils)
    if content_type_ids:
        sql += f" AND d.content_type_id IN ({', '.join(['%s'] * len(content_type_ids))})"
        params.extend(content_type_ids)
    if restrict_to is not None:
        # A correlated EXISTS looks up each match by primary key; an IN list
        # would first collect every allowed row, however few words matched.
        outer_id = RawSQL("d.object_id", [], output_field=models.BigIntegerField())
        allowed = restrict_to.order_by().filter(pk=outer_id).values("pk")
        inner, inner_params = allowed.query.sql_with_params()
        sql += f" AND EXISTS ({inner})"
        params.extend(inner_params)
    for content_type_id, object_id in exclude:
        sql += " AND NOT (d.content_type_id = %s AND d.object_id = %s)"
        params.extend([content_type_id, object_id])
    return sql, score, params


def _content_type_ids(content_types: Sequence[type[models.Model]] | None) -> list[int]:
    if not content_types:
        return []
    return [ct.pk for ct in ContentType.objects.get_for_models(*content_types).values()]


def _hits(rows: list[tuple[int, float]], terms: Sequence[str]) -> list[Hit]:
    documents = SearchDocument.objects.in_bulk([doc_id for doc_id, _score in rows])
    hits = []
    for doc_id, score in rows:
        document = documents.get(doc_id)
        if document is None:
            continue
        hits.append(
            Hit(
                content_type_id=document.content_type_id,
                object_id=document.object_id,
                score=-float(score),
                title=document.title,
                title_html=highlight(document.title, terms),
                snippet_html=snippet(document.body, terms),
            )
        )
    return hits


def search(
    council: Any,
    query: str,
    *,
    content_types: Sequence[type[models.Model]] | None = None,
    restrict_to: models.QuerySet[Any] | None = None,
    limit: int = 20,
    offset: int = 0,
) -> list[Hit]:
    """Documents of council containing every word of query, best first.

    restrict_to, a queryset of the indexed model, limits the hits to its rows
    (pass what the actor may see, already filtered). An empty query finds nothing.
    """
    terms = query_terms(query)
    if not terms:
        return []
    where, score, params = _matching(
        [council.pk],
        terms,
        any_term=False,
        content_type_ids=_content_type_ids(content_types),
        restrict_to=restrict_to,
    )
    order = "ORDER BY score, d.updated_at DESC, d.id DESC"
    sql = f"SELECT d.id, {score} AS score {where} {order} LIMIT %s OFFSET %s"
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, limit, offset])
        rows = cursor.fetchall()
    return _hits(rows, terms)


def count_matches(
    council: Any,
    query: str,
    *,
    content_types: Sequence[type[models.Model]] | None = None,
    restrict_to: models.QuerySet[Any] | None = None,
) -> int:
    """How many documents search() would find without limit."""
    terms = query_terms(query)
    if not terms:
        return 0
    where, _score, params = _matching(
        [council.pk],
        terms,
        any_term=False,
        content_type_ids=_content_type_ids(content_types),
        restrict_to=restrict_to,
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) {where}", params)
        return int(cursor.fetchone()[0])


def similar_documents(
    council_or_councils: Any,
    text: str,
    *,
    title: str = "",
    limit: int = 5,
    content_types: Sequence[type[models.Model]] | None = None,
    restrict_to: models.QuerySet[Any] | None = None,
    exclude: models.Model | None = None,
) -> list[Hit]:
    """Documents sharing the most characteristic words of title and text,
    best first: for "is this already proposed?" while writing.

    council_or_councils is one council or several; exclude is the object being
    written, which is not similar to itself.
    """
    councils = [council_or_councils.pk] if hasattr(council_or_councils, "pk") else _ids(council_or_councils)
    terms = keywords(text, title=title)
    if not terms or not councils:
        return []
    excluded: list[tuple[int, int]] = []
    if exclude is not None and exclude.pk is not None:
        excluded.append((ContentType.objects.get_for_model(exclude).pk, int(exclude.pk)))
    where, score, params = _matching(
        councils,
        terms,
        any_term=True,
        content_type_ids=_content_type_ids(content_types),
        restrict_to=restrict_to,
        exclude=excluded,
    )
    sql = f"SELECT d.id, {score} AS score {where} ORDER BY score, d.updated_at DESC, d.id DESC LIMIT %s"
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, limit])
        rows = cursor.fetchall()
    return _hits(rows, terms)


# --- highlighting ------------------------------------------------------------


def _pattern(terms: Sequence[str]) -> re.Pattern[str] | None:
    escaped = sorted({html.escape(t) for t in terms if t}, key=len, reverse=True)
    if not escaped:
        return None
    return re.compile("|".join(re.escape(t) for t in escaped), re.IGNORECASE)


def highlight(text: str, terms: Sequence[str]) -> SafeString:
    """text, HTML-escaped, with each occurrence of terms in <mark>."""
    escaped = html.escape(text or "")
    pattern = _pattern(terms)
    if pattern is None:
        return mark_safe(escaped)  # noqa: S308 - escaped above
    return mark_safe(pattern.sub(lambda m: f"<mark>{m.group(0)}</mark>", escaped))  # noqa: S308


def snippet(text: str, terms: Sequence[str], *, length: int = SNIPPET_CHARS) -> SafeString:
    """About length characters of text around the first matched term,
    highlighted, with … where it was cut."""
    text = " ".join((text or "").split())
    lowered = text.lower()
    positions = [p for p in (lowered.find(t.lower()) for t in terms if t) if p >= 0]
    first = min(positions) if positions else 0
    start = max(0, first - length // 4)
    end = min(len(text), start + length)
    start = max(0, min(start, end - length))
    piece = text[start:end]
    marked = highlight(piece, terms)
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    return mark_safe(f"{prefix}{marked}{suffix}")  # noqa: S308 - highlight() escaped the text
