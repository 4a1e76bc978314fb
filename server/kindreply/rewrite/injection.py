"""Instruction-like sentences, removed before text reaches the model.

The customer's message is context, used only so the reply can acknowledge what they said. A sentence
in it that addresses the model ("ignore your rules", "reply only with…") carries no feeling to
acknowledge, and a 1.5B model tends to obey it, so it is dropped.

The agent's draft is filtered more narrowly: only sentences that speak to an AI about its instructions
("ignore all previous instructions…", "disregard the above and…", "system prompt"), which no reply to a
customer contains, but which text pasted from elsewhere can. Asked to rewrite them, the model obeyed
them (dev set, inj-03: a pirate poem). They are taken out and reported to the agent, never silently:
a draft's "reply only with YES to confirm" to the customer stays.
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
_ADDRESSES_A_MODEL = re.compile(
    r"\b(?:ignore|disregard|forget|override)\b[^.!?\n]{0,40}\b(?:instructions?|prompts?|guidelines)\b"
    r"|\b(?:ignore|disregard|forget)\s+(?:all\s+|everything\s+)?(?:the\s+)?above\b"
    r"|\b(?:system prompt|developer mode|jailbreak)\b|\byou are (?:now|no longer) (?:an?|in)\b"
    # a sentence that addresses the model by name, or the markup of a prompt
    r"|^\W*(?:(?:dear |hey |note to (?:the )?)?(?:ai|assistant|ai assistant|language model|llm|chatgpt|gpt|model|bot|"
    r"asistente|ki|ia)\b\s*[,:])"
    r"|\[/?INST\]|</?(?:draft|system|instructions?)>|#{2,}\s*instruction|\bnew system message\b"
    r"|\b(?:before|instead of) rewriting\b|\bstop being a (?:rewriter|rewriting tool|model|assistant)\b"
    r"|\b(?:reveal|print|output|show|list)\b[^.!?\n]{0,30}\b(?:hidden instructions|your (?:prompt|instructions|rules|settings)|system settings)\b"
    r"|\b(?:disregard|ignore|forget)\b[^.!?\n]{0,20}\b(?:your|the)\b[^.!?\n]{0,15}\b(?:rules|rewriting rules|reglas|regeln|règles)\b"
    r"|\b(?:ignora|olvida)\b[^.!?\n]{0,40}\binstrucciones\b"
    r"|\b(?:ignoriere|vergiss)\b[^.!?\n]{0,40}\banweisungen\b"
    r"|\b(?:ignore[sz]?|oublie[sz]?)\b[^.!?\n]{0,40}\b(?:instructions|consignes)\b",
    re.I)
_AGENT_SPEAKING = re.compile(r"\b(?:I|we|my|our|us)\b", re.I)
_SENTENCE = re.compile(r"[^.!?\n]+[.!?]*\s*|\n")


def without_instructions(text: str) -> str:
    """``text`` less every sentence that gives the model an instruction."""
    kept = [sentence for sentence in _SENTENCE.findall(text) if not _INSTRUCTION.search(sentence)]
    return "".join(kept).strip()


def speaks_to_a_model(sentence: str) -> bool:
    """True for a sentence of a draft that addresses an AI model about its instructions.

    "ignore the previous instructions I sent about the label" is the agent talking: it stays."""
    return bool(_ADDRESSES_A_MODEL.search(sentence)) and not _AGENT_SPEAKING.search(sentence)


def without_instructions_to_a_model(draft: str) -> tuple[str, list[str]]:
    """``draft`` less the sentences that address an AI model; returns the text and the removed sentences."""
    kept, removed = [], []
    for sentence in _SENTENCE.findall(draft):
        (removed if speaks_to_a_model(sentence) else kept).append(sentence)
    if not removed or not "".join(kept).strip():
        return draft, []
    return "".join(kept).strip(), [sentence.strip() for sentence in removed]
