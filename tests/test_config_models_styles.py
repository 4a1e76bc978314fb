"""Settings, model sources and prompt files: what an admin configures, and the errors they see."""

import hashlib
import re
from pathlib import Path

import pytest

from kindreply.model import sources as models
from kindreply.config import ConfigError, Settings, documented_settings
from kindreply.rewrite.styles import StyleError, load_styles

ROOT = Path(__file__).resolve().parents[1]


def test_settings_come_from_the_environment():
    settings = Settings.from_env({"KINDREPLY_PORT": "9000", "KINDREPLY_QUEUE_TIMEOUT": "2.5",
                                  "KINDREPLY_MODEL": "/m.gguf"})
    assert (settings.port, settings.queue_timeout, settings.model) == (9000, 2.5, "/m.gguf")
    assert Settings.from_env({}).host == "127.0.0.1"


def test_cli_overrides_win_over_the_environment():
    assert Settings.from_env({"KINDREPLY_PORT": "9000"}, port=9100).port == 9100


@pytest.mark.parametrize("env, message", [
    ({"KINDREPLY_PORT": "eighty"}, "KINDREPLY_PORT must be an integer, not 'eighty'"),
    ({"KINDREPLY_WORKERS": "0"}, "KINDREPLY_WORKERS must be greater than 0"),
    ({"KINDREPLY_LOG_LEVEL": "loud"}, "KINDREPLY_LOG_LEVEL must be"),
])
def test_bad_settings_name_the_variable(env, message):
    with pytest.raises(ConfigError, match=re.escape(message)):
        Settings.from_env(env)


def test_every_setting_is_in_the_readme_table():
    readme = (ROOT / "README.md").read_text()
    for variable, _ in documented_settings():
        assert f"| `{variable}` |" in readme, f"{variable} is missing from the README's configuration table"


@pytest.mark.parametrize("spec, kind", [("", "default"), ("default", "default"), ("/srv/m.gguf", "path"),
                                        ("~/m.gguf", "path")])
def test_model_specs(spec, kind):
    assert models.parse_model_spec(spec).kind == kind


def test_hf_specs_name_repo_and_file():
    source = models.parse_model_spec("hf:Qwen/Qwen2.5-1.5B-Instruct-GGUF/qwen2.5-1.5b-instruct-q4_k_m.gguf")
    assert (source.kind, source.repo, source.filename) == (
        "hf", "Qwen/Qwen2.5-1.5B-Instruct-GGUF", "qwen2.5-1.5b-instruct-q4_k_m.gguf")


def test_a_malformed_hf_spec_says_how_to_write_it():
    with pytest.raises(models.ModelError, match="hf:<owner>/<repo>/<file>.gguf"):
        models.parse_model_spec("hf:just-a-name")


def test_an_hf_download_that_cannot_happen_says_what_to_do(tmp_path, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")  # this machine has no internet; offline mode fails at once
    with pytest.raises(models.ModelError, match="could not download m.gguf from owner/repo.*set KINDREPLY_MODEL to its path"):
        models.resolve_model("hf:owner/repo/m.gguf", str(tmp_path))


def test_a_missing_model_file_is_refused(tmp_path):
    with pytest.raises(models.ModelError, match="does not exist"):
        models.resolve_model(str(tmp_path / "none.gguf"), str(tmp_path))


def test_a_file_that_is_not_gguf_is_refused(tmp_path):
    bogus = tmp_path / "model.gguf"
    bogus.write_bytes(b"<html>404</html>")
    with pytest.raises(models.ModelError, match="not a GGUF file"):
        models.resolve_model(str(bogus), str(tmp_path))


def test_a_truncated_default_model_is_refused(tmp_path):
    (tmp_path / models.DEFAULT_MODEL_FILE).write_bytes(b"GGUF" + b"\0" * 100)
    with pytest.raises(models.ModelError, match="expected 1117320768.*delete it"):
        models.resolve_model("default", str(tmp_path))


def test_a_default_model_of_the_right_size_but_wrong_hash_is_refused(tmp_path, monkeypatch):
    target = tmp_path / models.DEFAULT_MODEL_FILE
    target.write_bytes(b"GGUF" + b"\1" * 60)
    monkeypatch.setattr(models, "DEFAULT_MODEL_SIZE", 64)
    with pytest.raises(models.ModelError, match="SHA-256"):
        models.resolve_model("default", str(tmp_path))


def test_assembly_verifies_the_hash_and_leaves_no_partial_file(tmp_path, monkeypatch):
    parts = []
    for number in (1, 2):
        part = tmp_path / f"part{number}.bin"
        part.write_bytes(b"GGUF" if number == 1 else b"rest")
        parts.append(part)
    monkeypatch.setattr(models, "_default_model_parts", lambda: parts)
    cache = tmp_path / "cache"
    with pytest.raises(models.ModelError, match="reinstall"):
        models.assemble_default_model(cache)
    assert list(cache.iterdir()) == []
    monkeypatch.setattr(models, "DEFAULT_MODEL_SHA256", hashlib.sha256(b"GGUFrest").hexdigest())
    monkeypatch.setattr(models, "DEFAULT_MODEL_SIZE", 8)
    assembled = models.assemble_default_model(cache)
    assert assembled.read_bytes() == b"GGUFrest"
    assert models.assemble_default_model(cache) == assembled  # second time: verified, not rebuilt


def test_the_bundled_styles_load():
    styles = load_styles()
    assert "empathetic" in styles
    for style in styles.values():
        assert style.edit.examples and style.acknowledge.examples, f"{style.name} has no worked examples"
        for fields, edited in style.edit.examples:
            # examples teach the model to copy markers: each marker of the sentence is in the edit, once
            for marker in re.findall(r"\[\d+\]", fields["sentence"]):
                assert edited.count(marker) == 1, f"{style.name}: {marker} not exactly once in {edited!r}"


BRIEF = """title = "Brief"
description = "Short."
[edit]
system = "Be brief."
request = "Shorten ($language), without $hurts: $sentence"
[acknowledge]
system = "Acknowledge."
request = "$customer"
"""


def test_an_admin_can_add_a_style_file(tmp_path):
    (tmp_path / "brief.toml").write_text(BRIEF)
    style = load_styles(tmp_path)["brief"]
    assert style.edit_messages("We can't.", "can't", "English")[-1]["content"] == "Shorten (English), without can't: We can't."


def test_text_from_a_request_is_inserted_once_and_never_expanded(tmp_path):
    (tmp_path / "brief.toml").write_text(BRIEF)
    style = load_styles(tmp_path)["brief"]
    customer = "I typed {draft} and $sentence and ${language} and {{ticket.id}} and $$5"
    assert style.acknowledge_messages(customer, "English")[-1]["content"] == customer


@pytest.mark.parametrize("content, message", [
    ("title = ", "not valid TOML"),
    (BRIEF.replace("$sentence", "$draft"), "unknown placeholders ['draft']"),
    (BRIEF.replace("$sentence", "$ sentence"), "a $ that starts no placeholder"),
    (BRIEF.replace('system = "Be brief."\n', ""), "[edit] 'system' must be"),
    (BRIEF.split("[acknowledge]")[0], "a [acknowledge] table is missing"),
])
def test_a_broken_style_file_is_named_with_its_problem(tmp_path, content, message):
    (tmp_path / "broken.toml").write_text(content)
    with pytest.raises(StyleError, match=re.escape(message)) as error:
        load_styles(tmp_path)
    assert "broken.toml" in str(error.value)


def test_the_built_wheel_ships_the_prompts(tmp_path):
    import subprocess
    import sys
    import zipfile

    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(tmp_path), str(ROOT)],
                   check=True, capture_output=True)
    wheel = next(tmp_path.glob("kindreply-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    for style in (ROOT / "prompts").glob("*.toml"):
        assert f"kindreply/prompts/{style.name}" in names
