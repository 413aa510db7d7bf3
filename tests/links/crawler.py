"""Follow every link a person sees, breadth first, with the Django test client.

A link is an `a[href]`, a form's action (a GET form, or a POST form whose
page is opened with GET, which never writes: see docs/architecture.md), or an
htmx `hx-get` / `hx-post` target. Only same-site addresses under the given
prefixes are followed; downloads are left out (they are tested with their
apps, and building a Word file for every row would make this slow). A
redirect is followed like a link. Every 403 and 404 is a dead end, reported
with the page that showed the link and the link's text.
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from django.test import Client

DEAD = {403, 404}
# Downloads, sign-outs and the switches of the page frame are not pages.
SKIPPED = re.compile(
    r"(export|\.docx$|\.pdf$|\.xlsx$|\.csv$|\.png$|\.svg$|download|/attachments/|/logout|/i18n/|elder-mode|/static/|/media/|/api/)"
)


@dataclass(frozen=True)
class Link:
    url: str
    text: str
    source: str


@dataclass
class DeadEnd:
    status: int
    url: str
    text: str
    source: str

    def __str__(self) -> str:
        return f"{self.status} {self.url} — “{self.text}” on {self.source}"


class _Links(HTMLParser):
    """The addresses a page offers, each with the words that name it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str]] = []
        self._open: list[list[str]] = []  # text of the <a> or <form> being read
        self._targets: list[str | None] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        for attr in ("hx-get", "hx-post"):
            if values.get(attr):
                self.found.append((values[attr], values.get("aria-label", "") or attr))
        if tag == "a":  # an <a> without href still ends with </a>
            self._open.append([values.get("aria-label", "")])
            self._targets.append(values.get("href") or None)
        elif tag == "form":
            self._open.append([])
            self._targets.append(values.get("action", ""))
        elif tag == "button" and values.get("formaction"):
            self.found.append((values["formaction"], values.get("aria-label", "") or "button"))

    def handle_data(self, data: str) -> None:
        for words in self._open:
            words.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("a", "form") and self._targets:
            words = " ".join(" ".join(self._open.pop()).split())
            target = self._targets.pop()
            if target is not None:
                self.found.append((target, words[:60]))


def links_on(page_url: str, html: str) -> list[tuple[str, str]]:
    parser = _Links()
    parser.feed(html)
    parser.close()
    out = []
    for target, text in parser.found:
        if target.startswith(("#", "mailto:", "tel:", "javascript:")):
            continue
        out.append((urljoin(page_url, target or page_url).split("#")[0], text))
    return out


def pattern(url: str) -> str:
    """One key for the addresses that show the same kind of page: numbers
    replaced, query values dropped."""
    parts = urlsplit(url)
    keys = sorted({pair.split("=")[0] for pair in parts.query.split("&") if pair})
    return re.sub(r"\d+", "#", parts.path) + "?" + "&".join(keys)


@dataclass
class Crawl:
    client: Client
    prefixes: tuple[str, ...]
    # Links into these (another council's pages) are opened, not followed on.
    checked: tuple[str, ...] = ("/c/",)
    page_cap: int = 120
    per_pattern: int = 1
    # Addresses whose every instance is followed (each message in the inbox).
    every: tuple[str, ...] = ()
    dead: list[DeadEnd] = field(default_factory=list)
    visited: int = 0

    def _inside(self, url: str, prefixes: tuple[str, ...]) -> bool:
        parts = urlsplit(url)
        if parts.netloc not in ("", "testserver"):
            return False
        return parts.path.startswith(prefixes) and not SKIPPED.search(parts.path)

    def run(self, *starts: str) -> list[DeadEnd]:
        queue = deque(Link(url, "(start)", "(start)") for url in starts)
        seen: set[str] = set(starts)
        per_pattern: dict[str, int] = {}
        while queue and self.visited < self.page_cap:
            link = queue.popleft()
            key = pattern(link.url)
            exempt = any(re.search(p, link.url) for p in self.every)
            if not exempt and per_pattern.get(key, 0) >= self.per_pattern:
                continue
            per_pattern[key] = per_pattern.get(key, 0) + 1
            self.visited += 1
            response = self.client.get(link.url)
            if response.status_code in DEAD:
                self.dead.append(DeadEnd(response.status_code, link.url, link.text, link.source))
                continue
            found: list[tuple[str, str]] = []
            if not self._inside(link.url, self.prefixes):
                continue
            if response.status_code in (301, 302, 303):
                found = [(urljoin(link.url, response["Location"]), link.text)]
                source = link.source
            elif response.status_code == 200 and "text/html" in response.get("Content-Type", ""):
                found = links_on(link.url, response.content.decode())
                source = link.url
            for url, text in found:
                if url not in seen and self._inside(url, self.prefixes + self.checked):
                    seen.add(url)
                    queue.append(Link(url, text, source))
        return self.dead
