"""The Korean interface is complete and the compiled catalog is current."""

import subprocess
import sys
from pathlib import Path

from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[1]
KO = ROOT / "app" / "translations" / "ko" / "LC_MESSAGES"


def extracted_ids(tmp_path) -> set[str]:
    pot = tmp_path / "messages.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "_l",
            "-k",
            "lazy_gettext",
            "-o",
            str(pot),
            ".",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    return {message.id for message in read_po(pot.open("rb")) if message.id}


def test_every_interface_string_has_a_korean_translation(tmp_path):
    catalog = read_po((KO / "messages.po").open("rb"))
    translated = {m.id for m in catalog if m.id and m.string}
    assert extracted_ids(tmp_path) - translated == set()


def test_the_compiled_korean_catalog_matches_its_source():
    source = {m.id: m.string for m in read_po((KO / "messages.po").open("rb")) if m.id}
    compiled = {m.id: m.string for m in read_mo((KO / "messages.mo").open("rb")) if m.id}
    assert compiled == source
