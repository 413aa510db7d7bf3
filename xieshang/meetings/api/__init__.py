"""The meetings app's HTTP API: meetings list and detail, my meetings,
leave requests and decisions, and check-in with the scanned code.

Scoped exactly like the pages: /c/{council_slug}/… resolves the council and
the Actor (404 for missing and forbidden alike), requires a permission (403),
reads through queries.py and writes through the same actions.
"""

from __future__ import annotations

from xieshang.meetings.api.endpoints import router

__all__ = ["router"]
