"""Each held-out set's current S / E / W, per reader chain, from the ratings in bench/results/reading.md.

    python bench/tally.py                      # a Markdown table: set, then each chain's S / E / W
    python bench/tally.py --ids hm-09 hc-13    # those cases' latest rating in each chain

A set is first read by two readers, and every reply that changes after a fix is read again by two fresh ones
(bench/READING.md); each new reader continues one of two chains, so a case's current rating in a chain is the
latest one a reader of that chain gave it. A section without a reader (the first rounds had one reader) counts for
both chains. Sections are ordered by their commit's place in the history (`git rev-list --count`), so the file's
own order does not matter. The tables in reading.md and the README are written from this.
"""

from __future__ import annotations

import argparse
import collections
import json
import re
import subprocess
from pathlib import Path
from typing import Callable, Iterable

ROOT = Path(__file__).resolve().parents[1]
# who continued which chain, in the order they read (reading.md names each reader in its section titles)
CHAINS = {
    1: "A C G I M P R U W Y AA AC AE AG AI AK AM AO AQ AS AU AW AY BA BC BE BG BI BK BM BO BQ BS BU BW BY CA CC CE CG CI CK CM CO CQ CS CU CW CY DA DC DE DG DI DK DM DO DQ DS DU DW DY EA EC EE EG EI EK EM EO EQ ES EU EW EY FA FC FE FG FI".split(),
    2: "B D H J N Q T V X Z AB AD AF AH AJ AL AN AP AR AT AV AX AZ BB BD BF BH BJ BL BN BP BR BT BV BX BZ CB CD CF CH CJ CL CN CP CR CT CV CX CZ DB DD DF DH DJ DL DN DP DR DT DV DX DZ EB ED EF EH EJ EL EN EP ER ET EV EX EZ FB FD FF FH FJ".split(),
}
RATINGS = ("S", "E", "W")
_TITLE_COMMIT = re.compile(r"`([0-9a-f]{7,40})`")
_TITLE_READER = re.compile(r"\breader ([A-Z]{1,3})\s*$")


def sections(text: str) -> list[dict]:
    """Every '## ' section of reading.md with a commit in its title and rating rows: its commit, reader (None if
    the title names none) and ratings by case id. A row is `| id | rating | reason |`, or, where a round compared
    two settings, `| id | setting | rating | reason |` (the rating of "both" or "off", the shipped setting)."""
    found, current = [], None
    for line in text.splitlines():
        if line.startswith("## "):
            commit, reader = _TITLE_COMMIT.search(line), _TITLE_READER.search(line)
            current = {"title": line[3:], "commit": commit.group(1) if commit else None,
                       "reader": reader.group(1) if reader else None, "ratings": {}}
            found.append(current)
        elif current is not None and line.startswith("|"):
            cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
            if len(cells) >= 2 and cells[1] in RATINGS:
                current["ratings"][cells[0]] = cells[1]
            elif len(cells) >= 3 and cells[1] in ("both", "off") and cells[2] in RATINGS:
                current["ratings"][cells[0]] = cells[2]
    return [section for section in found if section["commit"] and section["ratings"]]


def latest(found: Iterable[dict], order: Callable[[str], int]) -> dict[int, dict[str, str]]:
    """Each case's latest rating in each chain."""
    current: dict[int, dict[str, str]] = {chain: {} for chain in CHAINS}
    for section in sorted(found, key=lambda section: order(section["commit"])):
        for chain, readers in CHAINS.items():
            if section["reader"] is None or section["reader"] in readers:
                current[chain].update(section["ratings"])
    return current


def git_order(commit: str) -> int:
    """How many commits lead to ``commit``: later commits count more."""
    result = subprocess.run(["git", "rev-list", "--count", commit], cwd=ROOT, capture_output=True, text=True)
    if result.returncode:
        raise SystemExit(f"tally: {commit} is not a commit of this repository ({result.stderr.strip()})")
    return int(result.stdout)


def held_out_sets(folder: Path = ROOT / "bench") -> dict[str, list[str]]:
    """The ids of each held-out set, by file name."""
    sets = {}
    for path in sorted(folder.glob("heldout*.jsonl"), key=lambda p: int(re.sub(r"\D", "", p.stem) or 1)):
        sets[path.name] = [json.loads(line)["id"] for line in path.read_text(encoding="utf-8").splitlines()
                           if line.strip()]
    return sets


def counts(ratings: dict[str, str], ids: Iterable[str]) -> str:
    tally = collections.Counter(ratings.get(case_id, "?") for case_id in ids)
    unread = f" ({tally['?']} unread)" if tally["?"] else ""
    return " / ".join(str(tally[rating]) for rating in RATINGS) + unread


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--ids", nargs="*", help="only these cases")
    parser.add_argument("--ratings", type=Path, default=ROOT / "bench" / "results" / "reading.md")
    args = parser.parse_args()
    current = latest(sections(args.ratings.read_text(encoding="utf-8")), git_order)
    if args.ids:
        for case_id in args.ids:
            print(case_id, " ".join(current[chain].get(case_id, "?") for chain in CHAINS))
        return
    print("| set | " + " | ".join(f"chain {chain} S / E / W" for chain in CHAINS) + " |")
    print("|---|" + "---|" * len(CHAINS))
    for name, ids in held_out_sets().items():
        print(f"| `{name}` | " + " | ".join(counts(current[chain], ids) for chain in CHAINS) + " |")


if __name__ == "__main__":
    main()
