"""Only core writes spreadsheets and opens uploads.

A spreadsheet written some other way can turn a member's text into a live
formula; an upload opened some other way skips the inspection that refuses
archive bombs, macros and disguised files. So outside the two core modules
no code may import openpyxl (write or read workbooks), guess file types
(filetype, Pillow, imghdr), open archives (zipfile, tarfile) or read a Word
file with python-docx (Document(something); a new Document() to write a
report is fine). Tests are exempt: they build hostile files on purpose.

The scanner is tried on planted snippets first, so that a scanner that
finds nothing cannot pass for a clean tree.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
SCANNED = ("xieshang", "config", "bench", "scripts")
SPREADSHEETS = "xieshang/core/spreadsheets.py"
UPLOADS = "xieshang/core/uploads.py"
# Module (top-level package) → where it may be imported.
ALLOWED_IMPORTS = {
    "openpyxl": {SPREADSHEETS},
    "filetype": {UPLOADS},
    "magic": {UPLOADS},
    "imghdr": {UPLOADS},
    "PIL": {UPLOADS},
    "zipfile": {UPLOADS, SPREADSHEETS},
    "tarfile": {UPLOADS},
}
DOCX_READERS = {UPLOADS}


def _is_exempt(path: str) -> bool:
    parts = path.split("/")
    return "tests" in parts or "migrations" in parts or parts[-1] == "conftest.py"


def _imported_modules(tree: ast.AST) -> list[tuple[str, int]]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.append((node.module, node.lineno))
    return found


def _docx_document_names(tree: ast.AST) -> tuple[set[str], set[str]]:
    """Names bound to python-docx's Document, and names bound to the docx module."""
    functions, modules = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module in ("docx", "docx.api"):
            functions |= {a.asname or a.name for a in node.names if a.name == "Document"}
        elif isinstance(node, ast.Import):
            modules |= {a.asname or a.name for a in node.names if a.name == "docx"}
    return functions, modules


def _reads_a_word_file(call: ast.Call, functions: set[str], modules: set[str]) -> bool:
    if not (call.args or call.keywords):
        return False  # Document() starts a new, empty document
    target = call.func
    if isinstance(target, ast.Name):
        return target.id in functions
    return (
        isinstance(target, ast.Attribute)
        and target.attr == "Document"
        and isinstance(target.value, ast.Name)
        and target.value.id in modules
    )


def find_bypasses(source: str, path: str) -> list[str]:
    """Where source (the file at path, relative to the repository) writes a
    spreadsheet or opens an upload other than through core."""
    if _is_exempt(path):
        return []
    tree = ast.parse(source, filename=path)
    found = []
    for module, line in _imported_modules(tree):
        top = module.split(".")[0]
        if top in ALLOWED_IMPORTS and path not in ALLOWED_IMPORTS[top]:
            found.append(f"{path}:{line} imports {module}")
    if path not in DOCX_READERS:
        functions, modules = _docx_document_names(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and _reads_a_word_file(node, functions, modules):
                found.append(f"{path}:{node.lineno} reads a Word file with python-docx")
    return found


def _source_files() -> list[Path]:
    return sorted(p for folder in SCANNED if (ROOT / folder).exists() for p in (ROOT / folder).rglob("*.py"))


PLANTED = {
    "from openpyxl import Workbook\nbook = Workbook()\n": "imports openpyxl",
    "import openpyxl\nrows = openpyxl.load_workbook(upload).active\n": "imports openpyxl",
    "from openpyxl.cell import WriteOnlyCell\n": "imports openpyxl.cell",
    "import filetype\nkind = filetype.guess(head)\n": "imports filetype",
    "from PIL import Image\nImage.open(upload)\n": "imports PIL",
    "import zipfile\nzipfile.ZipFile(upload).read('word/document.xml')\n": "imports zipfile",
    "from docx import Document\ntext = Document(upload).paragraphs\n": "reads a Word file",
    "import docx\ndocx.Document(io.BytesIO(data))\n": "reads a Word file",
    "from docx.api import Document as Open\nOpen(path)\n": "reads a Word file",
}


@pytest.mark.parametrize(("snippet", "finding"), PLANTED.items())
def test_the_scanner_finds_a_planted_bypass(snippet, finding):
    [found] = find_bypasses(snippet, "xieshang/proposals/views/planted.py")
    assert found.startswith("xieshang/proposals/views/planted.py:") and finding in found


@pytest.mark.parametrize(
    ("snippet", "path"),
    [
        ("from docx import Document\ndocument = Document()\n", "xieshang/proposals/exports.py"),
        ("from openpyxl import Workbook\n", SPREADSHEETS),
        ("import filetype\nfrom docx import Document\nDocument(upload)\n", UPLOADS),
        ("from openpyxl import load_workbook\n", "xieshang/councils/tests/test_roster_import.py"),
    ],
)
def test_the_scanner_lets_core_tests_and_new_word_documents_be(snippet, path):
    assert find_bypasses(snippet, path) == []


def test_no_module_writes_a_spreadsheet_or_opens_an_upload_but_through_core():
    files = _source_files()
    assert any(p.as_posix().endswith(SPREADSHEETS) for p in files)  # the scan sees the tree
    found = [
        bypass
        for path in files
        for bypass in find_bypasses(path.read_text(encoding="utf-8"), path.relative_to(ROOT).as_posix())
    ]
    assert found == []
