"""Styles: the prompt files in ``prompts/`` (one ``*.toml`` per style), loaded, checked and turned into chat turns.

A style says how one hurtful sentence is edited (``[edit]``) and how the customer's message is
acknowledged (``[acknowledge]``). The system text and worked examples of each form the fixed prefix of
every prompt of that kind; they come first and never change between requests, so llama.cpp reuses their
cached evaluation and only the sentence itself is evaluated per request.

Templates are filled with ``string.Template``, once per placeholder and from the template only: text
from a request (a draft full of ``{{ticket.id}}`` braces, a customer message that says ``$sentence``)
is inserted as it is and never expanded again.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from string import Template

STYLE_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
EDIT_FIELDS = {"sentence", "hurts", "language"}
ACKNOWLEDGE_FIELDS = {"customer", "language"}


class StyleError(ValueError):
    """A prompt file is malformed; the message names the file and the problem."""


@dataclass(frozen=True)
class Prompt:
    """One kind of request: a system text, a request template and worked examples (fields → answer)."""

    system: str
    request: Template
    examples: tuple[tuple[dict[str, str], str], ...]

    def messages(self, **fields: str) -> list[dict[str, str]]:
        turns = [{"role": "system", "content": self.system}]
        for example_fields, answer in self.examples:
            turns.append({"role": "user", "content": self.request_text(**example_fields)})
            turns.append({"role": "assistant", "content": answer})
        turns.append({"role": "user", "content": self.request_text(**fields)})
        return turns

    @property
    def instructions(self) -> str:
        """The fixed wording of this prompt (system text and the request's own words), which an answer must
        never repeat: a model that echoes its prompt has written no edit."""
        return self.system + "\n" + re.sub(r"\$\{?\w+\}?", "\n", self.request.template)

    def request_text(self, **fields: str) -> str:
        return self.request.substitute({name: value.strip() or "-" for name, value in fields.items()})


@dataclass(frozen=True)
class Style:
    name: str
    title: str
    description: str
    edit: Prompt
    acknowledge: Prompt

    def edit_messages(self, sentence: str, hurts: str, language: str) -> list[dict[str, str]]:
        return self.edit.messages(sentence=sentence, hurts=hurts, language=language)

    def acknowledge_messages(self, customer_message: str, language: str) -> list[dict[str, str]]:
        return self.acknowledge.messages(customer=customer_message, language=language)

    def prefixes(self) -> list[list[dict[str, str]]]:
        """The fixed turns of each prompt kind, to evaluate once when the model loads."""
        return [prompt.messages(**dict.fromkeys(fields, ""))[:-1]
                for prompt, fields in ((self.edit, EDIT_FIELDS), (self.acknowledge, ACKNOWLEDGE_FIELDS))]


def bundled_prompts_dir() -> Path:
    """The prompts shipped with kindreply: inside the installed package, or the repository's ``prompts/``."""
    packaged = resources.files("kindreply") / "prompts"
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[3] / "prompts"


def _prompt(path: Path, data: dict, section: str, fields: set[str], answer: str) -> Prompt:
    table = data.get(section)
    if not isinstance(table, dict):
        raise StyleError(f"{path}: a [{section}] table is missing")
    for key in ("system", "request"):
        if not isinstance(table.get(key), str) or not table[key].strip():
            raise StyleError(f"{path}: [{section}] '{key}' must be a non-empty string")
    template = Template(table["request"])
    matches = list(template.pattern.finditer(template.template))
    if any(m.group("invalid") is not None for m in matches):
        raise StyleError(f"{path}: [{section}] 'request' has a $ that starts no placeholder (write $$ for a dollar sign)")
    named = {m.group("named") or m.group("braced") for m in matches} - {None}
    if named - fields:
        raise StyleError(f"{path}: [{section}] 'request' has unknown placeholders {sorted(named - fields)}; "
                         f"it may use {', '.join('$' + f for f in sorted(fields))}")
    if "customer" in fields and "customer" not in named or "sentence" in fields and "sentence" not in named:
        raise StyleError(f"{path}: [{section}] 'request' must contain ${'customer' if 'customer' in fields else 'sentence'}")
    examples = []
    for number, raw in enumerate(table.get("examples", []), start=1):
        keys = fields - {"language"}
        if not isinstance(raw, dict) or not raw.get(answer) or set(raw) - keys - {answer, "language"}:
            raise StyleError(f"{path}: [{section}] example {number} needs '{answer}' and only "
                             f"{', '.join(sorted(keys | {'language'}))}")
        example_fields = {name: str(raw.get(name, "")) for name in fields}
        example_fields["language"] = raw.get("language") or "the language of the text"
        examples.append((example_fields, raw[answer].strip()))
    return Prompt(table["system"].strip(), template, tuple(examples))


def load_style(path: Path) -> Style:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise StyleError(f"{path}: not valid TOML ({error})") from None
    name = path.stem
    if not STYLE_NAME.match(name):
        raise StyleError(f"{path}: a style file name must be lowercase letters, digits, - or _ (it is the style's name)")
    for key in ("title", "description"):
        if not isinstance(data.get(key), str) or not data[key].strip():
            raise StyleError(f"{path}: '{key}' must be a non-empty string")
    return Style(name=name, title=data["title"].strip(), description=data["description"].strip(),
                 edit=_prompt(path, data, "edit", EDIT_FIELDS, "edit"),
                 acknowledge=_prompt(path, data, "acknowledge", ACKNOWLEDGE_FIELDS, "acknowledgement"))


def load_styles(directory: str | Path | None = None) -> dict[str, Style]:
    """Every ``*.toml`` style in ``directory`` (default: the bundled prompts), by name."""
    folder = Path(directory) if directory else bundled_prompts_dir()
    if not folder.is_dir():
        raise StyleError(f"prompts folder {folder} does not exist")
    styles = {path.stem: load_style(path) for path in sorted(folder.glob("*.toml"))}
    if not styles:
        raise StyleError(f"prompts folder {folder} has no *.toml style files")
    return styles
