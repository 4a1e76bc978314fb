"""A test of the tests: the real-model tests must fail when the model is useless.

The pipeline keeps the agent's draft when the model's text is unusable and adds its own opener and
closing, so a real-model test that checks only what the pipeline guarantees (facts kept, an
acknowledgement, no meta text) passes whatever the model does. This runs ``tests/test_real_model.py``,
whatever it contains, with engines that echo the prompt or answer nothing (``--broken-engine``,
``tests/broken_engines.py``) and expects the run to fail, with at least half of its tests failing on
their assertions.
"""

import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest

pytestmark = pytest.mark.model

ROOT = Path(__file__).resolve().parent.parent
REAL_MODEL_TESTS = "tests/test_real_model.py"
USELESS = {"echo": "echoes its prompt", "empty": "answers nothing"}


def run_with_broken_engine(kind: str, report: Path) -> tuple[subprocess.CompletedProcess, list[dict]]:
    run = subprocess.run(
        [sys.executable, "-m", "pytest", REAL_MODEL_TESTS, f"--broken-engine={kind}", "-p", "no:cacheprovider",
         "-q", "-o", "addopts=", f"--junitxml={report}"],
        cwd=ROOT, capture_output=True, text=True, timeout=1800)
    cases = []
    if report.exists():
        for case in ElementTree.parse(report).getroot().iter("testcase"):
            failure, error, skipped = case.find("failure"), case.find("error"), case.find("skipped")
            cases.append({"name": case.get("name"), "skipped": skipped is not None,
                          "error": error.get("message", "") if error is not None else None,
                          "failure": failure.get("message", "") if failure is not None else None})
    return run, cases


@pytest.mark.parametrize("kind", ["echo", "empty"])
def test_the_real_model_tests_fail_with_a_useless_engine(kind, tmp_path):
    run, cases = run_with_broken_engine(kind, tmp_path / "report.xml")
    output = run.stdout[-3000:] + run.stderr[-2000:]
    ran = [c for c in cases if not c["skipped"]]
    assert ran, f"{REAL_MODEL_TESTS} ran no test with --broken-engine={kind}:\n{output}"
    # a failure in set-up means the broken engine broke a fixture, not that a test noticed a useless model
    assert not [c for c in ran if c["error"] is not None], \
        f"set-up errors with --broken-engine={kind} (tests/broken_engines.py lacks something?):\n{output}"
    # an assertion that failed (or pytest.fail), not a crash in the test's own code
    failed = [c["name"] for c in ran if c["failure"] is not None
              and c["failure"].startswith(("AssertionError", "assert", "Failed"))]
    passed = [c["name"] for c in ran if c["failure"] is None]
    assert run.returncode != 0, (f"every real-model test passed with an engine that {USELESS[kind]}: they do "
                                 f"not test the model.\n{output}")
    assert len(failed) * 2 >= len(ran), (
        f"only {len(failed)} of {len(ran)} real-model tests failed with an engine that {USELESS[kind]}; these "
        f"passed: {', '.join(passed)}\n{output}")
