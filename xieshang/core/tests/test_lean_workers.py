"""Every web worker loads the URLconf; libraries only a few requests need
(spreadsheets, Word documents, QR codes, PDF) are imported when first used."""

from __future__ import annotations

import os
import subprocess
import sys

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE as OPENPYXL_ILLEGAL

from xieshang.core.spreadsheets import ILLEGAL_CHARACTERS_RE

LAZY = ("openpyxl", "docx", "segno", "weasyprint")


def test_loading_the_application_imports_none_of_the_heavy_libraries():
    code = (
        "import sys, django; django.setup(); import config.urls, config.wsgi; "
        f"print(','.join(m for m in {LAZY!r} if m in sys.modules))"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert done.stdout.strip() == ""


def test_the_control_characters_refused_are_openpyxls():
    assert ILLEGAL_CHARACTERS_RE.pattern == OPENPYXL_ILLEGAL.pattern
