"""The surveys app's HTTP API: surveys, their questions, answering, and the
statistics of a survey (from the running totals).

Scoped exactly like the pages: /c/{council_slug}/… resolves the council and
the Actor (404 for missing and forbidden alike), requires a permission (403),
reads through queries.py and writes through the same actions.
"""

from __future__ import annotations

from xieshang.surveys.api.endpoints import router

__all__ = ["router"]
