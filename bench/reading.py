"""Run the dev set (and some external cases) through the service and write every reply out for reading.

    python bench/reading.py                       # dev set -> bench/results/reading-run.json
    python bench/reading.py --external 40         # plus 40 cases of ../shared/eval/ (written outside the repo)
    python bench/reading.py --heldout heldout heldout2   # plus bench/heldout*.jsonl -> bench/results/reading-heldout*.json

The replies are then read and each rated S (send as is), E (light edit) or W (wrong) in
bench/results/reading.md: that reading is the quality figure (bench/READING.md: the rubric and the procedure;
bench/slices.py renders the replies for a reader). Beside it, the independent checks of
bench/checks.py (which import nothing from kindreply) are summarised into the same JSON.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

import checks  # noqa: E402
from kindreply.config import Settings  # noqa: E402
from kindreply.service import RewriteRequest, Service  # noqa: E402

EXTERNAL = ROOT.parent / "shared" / "eval" / "politeness-low.jsonl"


def cases(path: Path, limit: int | None = None) -> list[dict]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return rows[:limit] if limit else rows


def run(service: Service, rows: list[dict]) -> list[dict]:
    out = []
    for number, case in enumerate(rows, 1):
        started = time.monotonic()
        result = service.rewrite(RewriteRequest(text=case["text"], format=case.get("format", "text"),
                                                customer_message=case.get("customer_message", "")))
        row = {"id": case.get("id"), "text": case["text"], "customer_message": case.get("customer_message", ""),
               "rewrite": result.rewrite, "warnings": [(w.code, w.span) for w in result.warnings],
               "timings": result.timings, "seconds": round(time.monotonic() - started, 2)}
        row["checks"] = checks.check({"format": "text", **case}, result.rewrite)
        out.append(row)
        print(f"{number}/{len(rows)} {case.get('id')} {row['seconds']} s", file=sys.stderr)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--external", type=int, default=0, help="also run the first N external cases")
    parser.add_argument("--heldout", nargs="*", default=[], metavar="NAME",
                        help="also run bench/NAME.jsonl: support drafts written apart from the pipeline (heldout, "
                             "heldout2); a set stays held out only until its first reading")
    parser.add_argument("--external-out", default="/tmp/kindreply-reading-external.json",
                        help="where the external replies go (their licence keeps them out of the repository)")
    args = parser.parse_args()
    # the commit whose code runs: read before the (slow) model load, so a commit made meanwhile is not recorded
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    service = Service.from_settings(Settings.from_env(), load="now", queue_size=0, queue_timeout=600)
    dev = run(service, cases(ROOT / "bench" / "devset.jsonl"))
    report = {"commit": commit, "model": service.engine.name, "cases": dev,
              "checks": checks.summarise([{"case": {"format": "text", **c}, "rewrite": r["rewrite"]}
                                          for c, r in zip(cases(ROOT / "bench" / "devset.jsonl"), dev)])}
    (ROOT / "bench" / "results" / "reading-run.json").write_text(json.dumps(report, ensure_ascii=False, indent=1))
    for name in args.heldout:
        held = cases(ROOT / "bench" / f"{name}.jsonl")
        rows = run(service, held)
        summary = checks.summarise([{"case": {"format": "text", **c}, "rewrite": r["rewrite"]} for c, r in zip(held, rows)])
        (ROOT / "bench" / "results" / f"reading-{name}.json").write_text(
            json.dumps({"commit": commit, "model": service.engine.name, "cases": rows, "checks": summary},
                       ensure_ascii=False, indent=1))
    if args.external:
        external = cases(EXTERNAL, args.external)
        for case in external:
            case.setdefault("id", case.get("id"))
        rows = run(service, external)
        Path(args.external_out).write_text(json.dumps({"commit": commit, "cases": rows}, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
