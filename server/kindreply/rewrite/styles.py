"""Styles: the prompt files in ``prompts/`` (one ``*.toml`` per style), loaded, checked and turned into chat turns.

A style's system text and worked examples form the fixed prefix of every prompt for that style; they come
first and never change between requests, so llama.cpp reuses their cached evaluation and only the draft
itself is evaluated per request.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

MARKER = re.compile(r"\[\d+\]")
STYLE_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
REQUEST_FIELDS = ("{language}", "{customer_message}", "{draft}")


class StyleError(ValueError):
    """A prompt file is malformed; the message names the file and the problem."""


@dataclass(frozen=True)
class Example:
    draft: str
    rewrite: str
    language: str = "English"
    customer_message: str = ""


@dataclass(frozen=True)
class Style:
    name: str
    title: str
    description: str
    system: str
    request: str
    customer_block: str
    markers_block: str
    examples: tuple[Example, ...]

    def request_text(self, draft: str, language: str, customer_message: str = "") -> str:
        block = self.customer_block.replace("{text}", customer_message.strip()) if customer_message.strip() else ""
        markers = list(dict.fromkeys(MARKER.findall(draft)))
        markers_block = self.markers_block.replace("{markers}", " ".join(markers)) if markers else ""
        # str.replace, not str.format: drafts are full of braces ({{ticket.id}}) that format would choke on
        return (self.request.replace("{customer_message}", block)
                .replace("{language}", language)
                .replace("{markers}", markers_block)
                .replace("{draft}", draft))

    def messages(self, draft: str, language: str, customer_message: str = "") -> list[dict[str, str]]:
        """Chat turns: system, the examples as earlier turns, then this request."""
        turns = [{"role": "system", "content": self.system}]
        for example in self.examples:
            turns.append({"role": "user", "content": self.request_text(
                example.draft, example.language, example.customer_message)})
            turns.append({"role": "assistant", "content": example.rewrite})
        turns.append({"role": "user", "content": self.request_text(draft, language, customer_message)})
        return turns


def bundled_prompts_dir() -> Path:
    """The prompts shipped with kindreply: inside the installed package, or the repository's ``prompts/``."""
    packaged = resources.files("kindreply") / "prompts"
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[3] / "prompts"


def load_style(path: Path) -> Style:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise StyleError(f"{path}: not valid TOML ({error})") from None
    name = path.stem
    if not STYLE_NAME.match(name):
        raise StyleError(f"{path}: a style file name must be lowercase letters, digits, - or _ (it is the style's name)")
    for key in ("title", "description", "system", "request"):
        if not isinstance(data.get(key), str) or not data[key].strip():
            raise StyleError(f"{path}: '{key}' must be a non-empty string")
    missing = [f for f in REQUEST_FIELDS if f not in data["request"]]
    if missing:
        raise StyleError(f"{path}: 'request' must contain {', '.join(missing)}")
    examples = []
    for number, raw in enumerate(data.get("examples", []), start=1):
        if not isinstance(raw, dict) or not raw.get("draft") or not raw.get("rewrite"):
            raise StyleError(f"{path}: example {number} needs a 'draft' and a 'rewrite'")
        unknown = set(raw) - {"draft", "rewrite", "language", "customer_message"}
        if unknown:
            raise StyleError(f"{path}: example {number} has unknown keys {sorted(unknown)}")
        examples.append(Example(**raw))
    return Style(
        name=name,
        title=data["title"].strip(),
        description=data["description"].strip(),
        system=data["system"].strip(),
        request=data["request"],
        customer_block=data.get("customer_block", "Customer's message:\n{text}\n\n"),
        markers_block=data.get("markers_block", "Keep these markers: {markers}\n"),
        examples=tuple(examples),
    )


def load_styles(directory: str | Path | None = None) -> dict[str, Style]:
    """Every ``*.toml`` style in ``directory`` (default: the bundled prompts), by name."""
    folder = Path(directory) if directory else bundled_prompts_dir()
    if not folder.is_dir():
        raise StyleError(f"prompts folder {folder} does not exist")
    styles = {path.stem: load_style(path) for path in sorted(folder.glob("*.toml"))}
    if not styles:
        raise StyleError(f"prompts folder {folder} has no *.toml style files")
    return styles
