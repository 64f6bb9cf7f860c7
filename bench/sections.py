"""Sections of bench/LATEST.md written by other scripts than bench/run.py.

A section sits between `<!-- begin NAME -->` and `<!-- end NAME -->`. bench/run.py
rewrites the file and keeps these sections as they were; the script that measured a
section replaces only its own.
"""

import re
from pathlib import Path

_SECTION = re.compile(r"<!-- begin (?P<name>[\w-]+) -->\n.*?<!-- end (?P=name) -->\n", re.DOTALL)


def kept_sections(path: Path) -> str:
    """Every section of the file at `path`, as they stand ('' if none or no file)."""
    if not path.exists():
        return ""
    return "".join(match.group(0) for match in _SECTION.finditer(path.read_text()))


def write_section(path: Path, name: str, body: str) -> None:
    """Put `body` in the section `name` of the file at `path`, replacing what it held."""
    block = f"<!-- begin {name} -->\n{body.rstrip()}\n<!-- end {name} -->\n"
    text = path.read_text() if path.exists() else ""
    pattern = re.compile(rf"<!-- begin {re.escape(name)} -->\n.*?<!-- end {re.escape(name)} -->\n", re.DOTALL)
    found = pattern.search(text)
    path.write_text(pattern.sub(lambda _: block, text) if found else text.rstrip("\n") + "\n\n" + block)
