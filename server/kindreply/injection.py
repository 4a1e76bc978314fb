"""Instruction-like sentences in the customer's message, removed before it reaches the model.

The customer's message is context, used only so the reply can acknowledge what they said. A sentence
in it that addresses the model ("ignore your rules", "reply only with…") carries no feeling to
acknowledge, and a 1.5B model tends to obey it, so it is dropped. The agent's draft is never filtered:
it is the text to rewrite, and the prompt and examples teach the model to rewrite such sentences too.
"""

from __future__ import annotations

import re

_INSTRUCTION = re.compile(
    r"\b(?:ignore|disregard|forget|override)\b[^.!?\n]{0,40}\b(?:instructions?|rules?|prompts?|guidelines|above|previous)\b"
    r"|\b(?:reply|respond|answer|say|write|output|print)\b[^.!?\n]{0,20}\bonly\b"
    r"|\b(?:system prompt|developer mode|jailbreak)\b"
    r"|\byou are now\b|\bact as\b|\bpretend (?:to be|you are)\b"
    r"|\b(?:ignora|olvida)\b[^.!?\n]{0,40}\b(?:instrucciones|reglas)\b"
    r"|\b(?:ignoriere|vergiss)\b[^.!?\n]{0,40}\b(?:anweisungen|regeln)\b"
    r"|\b(?:ignore[sz]?|oublie[sz]?)\b[^.!?\n]{0,40}\b(?:instructions|règles|consignes)\b",
    re.I)
_SENTENCE = re.compile(r"[^.!?\n]+[.!?]*\s*|\n")


def without_instructions(text: str) -> str:
    """``text`` less every sentence that gives the model an instruction."""
    kept = [sentence for sentence in _SENTENCE.findall(text) if not _INSTRUCTION.search(sentence)]
    return "".join(kept).strip()
