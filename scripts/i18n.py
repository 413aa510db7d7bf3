"""Keep the Chinese translation complete.

    python scripts/i18n.py update            # collect new strings into django.po, compile django.mo
    python scripts/i18n.py check             # fail if a string is missing, untranslated or fuzzy,
                                             # or django.mo is not compiled from django.po
    python scripts/i18n.py export FILE.json  # untranslated strings, for translators
    python scripts/i18n.py import FILE.json  # {msgid: msgstr} (plural: {msgid: [s0]}) back in

English is the source language, so it is complete by construction; zh-hans
must translate every string the code and templates use.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")


def makemessages() -> None:
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "-l",
            "zh_Hans",
            "--no-location",
            "--no-obsolete",
            "--ignore=.venv/*",
            "--ignore=var/*",
            "--ignore=bench/*",
            "--ignore=static/vendor/*",
            "--ignore=test-artifacts/*",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )


def key(entry: polib.POEntry) -> str:
    return f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid


def missing(po: polib.POFile) -> list[polib.POEntry]:
    return [e for e in po if not e.obsolete and (not e.translated() or "fuzzy" in e.flags)]


def compile_mo(po: polib.POFile, target: Path) -> None:
    po.save_as_mofile(str(target))


def update() -> int:
    makemessages()
    po = polib.pofile(str(PO))
    po.metadata["Plural-Forms"] = "nplurals=1; plural=0;"
    po.save()
    compile_mo(po, MO)
    print(f"{len(po)} strings; {len(missing(po))} still to translate")
    return 0


def check() -> int:
    failures: list[str] = []
    committed = polib.pofile(str(PO))
    with tempfile.TemporaryDirectory() as tmp:
        saved = Path(tmp) / "django.po"
        shutil.copy2(PO, saved)
        try:
            makemessages()
            current = polib.pofile(str(PO))
        finally:
            shutil.copy2(saved, PO)
        wanted = {key(e) for e in current if not e.obsolete}
        have = {key(e) for e in committed if not e.obsolete}
        failures += [f"not in django.po yet: {k!r}" for k in sorted(wanted - have)]
        failures += [f"no longer used: {k!r}" for k in sorted(have - wanted)]
        failures += [f"untranslated or fuzzy: {key(e)!r}" for e in missing(committed)]
        fresh = Path(tmp) / "django.mo"
        compile_mo(committed, fresh)
        if not MO.exists() or fresh.read_bytes() != MO.read_bytes():
            failures.append("django.mo is not compiled from the current django.po")
    if failures:
        print("Translation check failed (fix with: .venv/bin/python scripts/i18n.py update, then translate):")
        for line in failures[:40]:
            print("  " + line)
        if len(failures) > 40:
            print(f"  … and {len(failures) - 40} more")
        return 1
    print(f"translations complete ({len(committed)} strings)")
    return 0


def export(path: str) -> int:
    po = polib.pofile(str(PO))
    rows = {key(e): (e.msgid_plural and [e.msgid, e.msgid_plural]) or "" for e in missing(po)}
    Path(path).write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"{len(rows)} strings written to {path}")
    return 0


def import_(path: str) -> int:
    given = json.loads(Path(path).read_text(encoding="utf-8"))
    po = polib.pofile(str(PO))
    done = 0
    for entry in po:
        value = given.get(key(entry))
        if not value:
            continue
        if entry.msgid_plural:
            entry.msgstr_plural = {0: value[0] if isinstance(value, list) else value}
        else:
            entry.msgstr = value if isinstance(value, str) else value[0]
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
        done += 1
    po.save()
    compile_mo(po, MO)
    print(f"{done} translations taken; {len(missing(po))} still to translate")
    return 0


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    command = sys.argv[1] if len(sys.argv) > 1 else "check"
    if command == "update":
        sys.exit(update())
    if command == "export":
        sys.exit(export(sys.argv[2]))
    if command == "import":
        sys.exit(import_(sys.argv[2]))
    sys.exit(check())
