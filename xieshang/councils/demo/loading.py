"""Whether the demo is still loading (manage.py load_demo, which ./run starts
in the background once the server is up): every page says so meanwhile."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings


def demo_loading_marker() -> Path:
    """The file that exists while load_demo runs."""
    return Path(settings.VAR_DIR) / "demo-loading"


def demo_is_loading() -> bool:
    return demo_loading_marker().exists()
