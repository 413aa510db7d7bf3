"""Typed readers for environment settings that fail loudly.

Values come from the process environment; a `.env` file at the project root
(written by ./run and ./test on first use, never committed) fills in what the
environment does not set.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit


class MissingSetting(RuntimeError):
    """A required environment setting is absent or malformed."""


def load_dotenv(path: Path) -> None:
    """Put KEY=VALUE lines of path into os.environ unless already set."""
    if not path.exists():
        return
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, _, value = line.partition("=")
        os.environ.setdefault(key.strip(), value.strip().strip("'\""))


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name, default)
    if value is None or value == "":
        raise MissingSetting(f"environment setting {name} is required")
    return value


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise MissingSetting(f"{name} must be a boolean, not {value!r}")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except ValueError as exc:
        raise MissingSetting(f"{name} must be an integer, not {value!r}") from exc
    if minimum is not None and number < minimum:
        raise MissingSetting(f"{name} must be at least {minimum}, not {number}")
    return number


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_url(name: str, default: str) -> str:
    """An http(s) address without path, query or fragment (a site's public
    address), without its trailing slash."""
    value = (os.environ.get(name) or default).strip().rstrip("/")
    parts = urlsplit(value)
    if (
        parts.scheme not in {"http", "https"}
        or not parts.hostname
        or parts.path
        or parts.query
        or parts.fragment
    ):
        raise MissingSetting(
            f"{name} must be an address such as https://xieshang.example.gov.cn, not {value!r}"
        )
    return value
