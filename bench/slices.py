"""Render replies for a reading review: each case with its customer message, draft and rewrite.

    python bench/slices.py bench/results/reading-heldout11.json > slice.md
    python bench/slices.py bench/results/rereading-96587ab.json --ids hk-01 hk-05 > slice.md

The replies file is what bench/reading.py writes (a "cases" list, or a mapping of id to case); each case's set
(the dev set or a held-out set, found by its id in bench/*.jsonl) gives the decisions that must survive and the
draft's format. The reader reads bench/READING.md and this slice, nothing else. The tool's own may_hurt warnings
are left out: they would point the reader at sentences before they read them.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def replies(path: Path) -> list[dict]:
    data = json.loads(path.read_text(encoding="utf-8"))
    cases = data["cases"] if isinstance(data, dict) and "cases" in data else data
    return list(cases.values()) if isinstance(cases, dict) else cases


def sets(folder: Path = ROOT / "bench") -> dict[str, dict]:
    """Every case of the dev set and the held-out sets, by id."""
    found = {}
    for path in sorted(folder.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                case = json.loads(line)
                if "id" in case and "text" in case:
                    found[case["id"]] = case
    return found


def render(rows: list[dict], known: dict[str, dict]) -> str:
    blocks = []
    for row in rows:
        case = known.get(row["id"], {})
        warnings = [w for w in row.get("warnings") or [] if (w[0] if isinstance(w, (list, tuple)) else w.get("code"))
                    != "may_hurt"]
        block = [f"## {row['id']}  (classes: {', '.join(case.get('classes', []))}; decisions that must survive: "
                 f"{case.get('decisions', [])})", ""]
        message = row.get("customer_message") or case.get("customer_message")
        if message:
            block += [f"CUSTOMER: {message}", ""]
        block += [f"DRAFT ({case.get('format', 'text')}):", row.get("text") or case.get("text", ""), "",
                  "REWRITE:", row["rewrite"], "",
                  f"warnings: {warnings}; added: {(row.get('timings') or {}).get('added')}", "", "---", ""]
        blocks.append("\n".join(block))
    return "\n".join(blocks)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("replies", type=Path, help="a replies file of bench/reading.py")
    parser.add_argument("--ids", nargs="*", help="only these cases, in this order")
    args = parser.parse_args()
    rows = replies(args.replies)
    if args.ids:
        by_id = {row["id"]: row for row in rows}
        missing = [case_id for case_id in args.ids if case_id not in by_id]
        if missing:
            parser.error(f"not in {args.replies}: {', '.join(missing)}")
        rows = [by_id[case_id] for case_id in args.ids]
    print(render(rows, sets()))


if __name__ == "__main__":
    main()
