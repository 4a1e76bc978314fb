"""The story of one rewrite.

HTML → Markdown (for html drafts) → set greeting and sign-off aside → protect facts → prompt in the
style's words → generate, streaming → clean → verify facts (retry once when one is missing or added)
→ restore facts → greeting and sign-off back → HTML (sanitised) for html drafts.
"""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass, field
from typing import Iterator

from .. import tone
from ..model import AdmissionQueue, Engine, Generation, NotReady
from . import acknowledge as compose, language, markup, protect as guard
from .cleanup import clean_model_output
from .injection import without_instructions, without_instructions_to_a_model
from .letter import Letter, split_letter
from .styles import Style

# Generation settings of the two attempts: greedy first (the steadiest text), then sampled, so a retry
# is a different text rather than the same mistake again. A second attempt is made only when the first
# lost or added a fact, changed the language, or kept a hurting phrase next to a fact; a missing
# acknowledgement or closing costs no second generation, ``compose`` adds it.
ATTEMPT_TEMPERATURES = (0.0, 0.7)


@dataclass
class Candidate:
    masked: str  # the cleaned, softened model output, facts still as markers
    findings: list[guard.Finding]
    stats: Generation
    wrong_language: str | None  # the language the text is in, when it is not the draft's
    analysis: tone.Analysis | None

    @property
    def usable(self) -> bool:
        """Safe to show: every fact kept, nothing added, in the draft's language."""
        return bool(self.masked) and not self.findings and not self.wrong_language

    @property
    def hurts(self) -> int:
        return sum(1 for f in self.analysis.flags if f.category in compose.HURTING) if self.analysis else 0

    @property
    def good_enough(self) -> bool:
        return self.usable and not self.hurts

    def rank(self) -> tuple:
        """Lower is better: usable first, then fewest fact problems, then least hurt, then the better tone."""
        return (not self.usable, len(self.findings), self.hurts, -(self.analysis.score if self.analysis else 0))


class RewriteError(ValueError):
    """The request cannot be rewritten as asked (unknown style, draft too long); the message says why."""

    def __init__(self, message: str, status: int = 422, field: str | None = None):
        super().__init__(message)
        self.status = status
        self.field = field


@dataclass(frozen=True)
class RewriteRequest:
    text: str
    format: str = "text"
    style: str | None = None
    customer_message: str = ""
    language: str | None = None


@dataclass
class RewriteWarning:
    code: str
    message: str
    span: str | None = None


@dataclass
class RewriteResult:
    rewrite: str
    style: str
    model: str
    language: str | None
    warnings: list[RewriteWarning] = field(default_factory=list)
    timings: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Plan:
    """Everything decided before the model runs; pure, so it can be tested without a model."""

    request: RewriteRequest
    style: Style
    letter: Letter
    protected: guard.Protected
    language_code: str | None
    # the chat turns of each attempt: the second leaves the customer's message out, the usual source
    # of confusion when the first attempt lost a fact
    attempt_messages: tuple[list[dict[str, str]], ...]
    max_tokens: int
    customer_message: str = ""  # without instruction-like sentences
    removed_instructions: tuple[str, ...] = ()  # sentences of the draft that spoke to an AI model

    @property
    def messages(self) -> list[dict[str, str]]:
        return self.attempt_messages[0]


class Rewriter:
    def __init__(self, engine: Engine, queue: AdmissionQueue, styles: dict[str, Style], *,
                 default_style: str, max_draft_chars: int, generation_timeout: float):
        if default_style not in styles:
            raise RewriteError(f"KINDREPLY_DEFAULT_STYLE={default_style!r} is not one of {sorted(styles)}")
        self.engine = engine
        self.queue = queue
        self.styles = styles
        self.default_style = default_style
        self.max_draft_chars = max_draft_chars
        self.generation_timeout = generation_timeout

    # -- planning ---------------------------------------------------------------------------------

    def plan(self, request: RewriteRequest) -> Plan:
        style_name = self.default_style if request.style is None else request.style
        if style_name not in self.styles:
            raise RewriteError(f"unknown style {style_name!r}; choose one of {', '.join(sorted(self.styles))} "
                               "(GET /v1/styles lists them)", field="style")
        if len(request.text) > self.max_draft_chars:
            raise RewriteError(f"the draft has {len(request.text)} characters; the limit is {self.max_draft_chars}: "
                               "rewrite it in parts", status=413, field="text")
        style = self.styles[style_name]
        text = markup.html_to_markdown(request.text) if request.format == "html" else request.text
        letter = split_letter(text)
        body, removed_instructions = without_instructions_to_a_model(letter.body)
        letter = dataclasses.replace(letter, body=body)
        if request.language:
            code = language.code_of(request.language)
            language_name = language.name_of(code) if code else request.language.strip()
        else:
            # a body too short to tell ("Your reset link: [1].") is told by the whole draft, then the customer
            code = language.detect(letter.body) or language.detect(text) or \
                language.detect(request.customer_message)
            language_name = language.name_of(code)
        protected = guard.protect(letter.body, code)
        customer_message = without_instructions(request.customer_message)
        messages = style.messages(protected.masked, language_name, customer_message)
        retry_messages = style.messages(protected.masked, language_name) if customer_message else messages
        # a rewrite is about as long as its draft; twice that plus room for an acknowledgement is plenty,
        # and the bound keeps a rambling model from running to the end of the context
        max_tokens = 2 * self.engine.count_tokens(protected.masked) + 120
        return Plan(request, style, letter, protected, code, (messages, retry_messages), max_tokens, customer_message,
                    tuple(removed_instructions))

    # -- running ----------------------------------------------------------------------------------

    def admit(self) -> None:
        """Take a place in the model's queue (raises Busy or NotReady); pair with ``release``."""
        if not self.engine.ready:
            raise NotReady("the model is still loading; try again in a few seconds")
        self.queue.enter()

    def release(self) -> None:
        self.queue.leave()

    def events(self, plan: Plan, queued_at: float) -> Iterator[tuple[str, object]]:
        """Run an admitted plan. Yields ("delta", text) for the preview, ("reset", None) when a second
        attempt starts over or the finished reply differs from what was streamed (an added opener, a
        softened clause, the draft kept), and finally ("done", RewriteResult)."""
        started = time.monotonic()
        deadline = started + self.generation_timeout
        timings = {"queue_ms": round((started - queued_at) * 1000, 1)}
        body = plan.letter.body
        if not body.strip():
            yield "done", self._result(plan, plan.letter.join(""), [RewriteWarning(
                "nothing_to_rewrite", "the draft has only a greeting or sign-off; it is returned unchanged")], timings)
            return
        attempts: list[Candidate] = []
        for attempt, temperature in enumerate(ATTEMPT_TEMPERATURES):
            # a retry after a lost fact leaves the customer's message out; after a weak tone it keeps it
            messages = plan.attempt_messages[1 if attempt and attempts[-1].findings else 0]
            if attempt:
                yield "reset", None
            streamed = plan.letter.greeting + "\n\n" if plan.letter.greeting else ""
            if streamed:
                yield "delta", streamed
            stats = Generation()
            restorer = StreamRestorer(plan.protected.spans)
            pieces = []
            for piece in self.engine.generate(messages, max_tokens=plan.max_tokens, temperature=temperature,
                                              deadline=deadline, stats=stats, seed=attempt):
                pieces.append(piece)
                if delta := restorer.feed(piece):
                    streamed += delta
                    yield "delta", delta
            if delta := restorer.finish():
                streamed += delta
                yield "delta", delta
            attempts.append(self._candidate(plan, "".join(pieces), stats))
            if plan.letter.sign_off:
                streamed += "\n\n" + plan.letter.sign_off
                yield "delta", "\n\n" + plan.letter.sign_off
            if attempts[-1].good_enough or stats.finish_reason == "deadline" or time.monotonic() > deadline:
                break
        text, warnings = self._finish(plan, attempts, timings, started)
        if text != streamed:
            yield "reset", None
            yield "delta", text
        yield "done", self._result(plan, text, warnings, timings)

    def rewrite(self, request: RewriteRequest) -> RewriteResult:
        """Plan, wait for the model, run; for callers that want the result, not the stream."""
        plan = self.plan(request)
        queued_at = time.monotonic()
        self.admit()
        try:
            for kind, value in self.events(plan, queued_at):
                if kind == "done":
                    return value
        finally:
            self.release()
        raise RuntimeError("rewrite ended without a result")  # unreachable: events always ends with done

    # -- choosing and finishing -------------------------------------------------------------------

    def _candidate(self, plan: Plan, answer: str, stats: Generation) -> Candidate:
        masked, _ = compose.soften(clean_model_output(answer))
        if not masked:
            return Candidate("", [], stats, None, None)
        restored = guard.restore(masked, plan.protected.spans)
        return Candidate(masked, guard.verify(masked, plan.protected.masked, plan.protected.spans), stats,
                         self._wrong_language(plan, masked), tone.analyze(restored))

    def _finish(self, plan: Plan, attempts: list[Candidate], timings: dict,
                started: float) -> tuple[str, list[RewriteWarning]]:
        """Choose the best candidate (or the draft), compose it; returns the reply text and its warnings."""
        best = min(attempts, key=Candidate.rank)
        stats = best.stats
        warnings: list[RewriteWarning] = []
        if best.usable and not self._lost_the_draft(plan, best.masked):
            masked = best.masked
        else:
            # no model text is safe to show: keep the agent's own words, softened, rather than risk a fact
            masked = compose.soften(plan.protected.masked)[0] or plan.protected.masked
            warnings = self._draft_kept_warnings(best)
        # a draft too short to tell its language ("No.") is told by the rewrite (plan() tried the rest)
        code = plan.language_code or language.detect(masked)
        composed = compose.compose(masked, code, customer_message=plan.customer_message,
                                   draft=plan.protected.masked)
        text = plan.letter.join(guard.restore(composed.masked, plan.protected.spans))
        warnings += [RewriteWarning("instruction_removed", "this sentence speaks to an AI model, not to the customer, "
                                    "so it was left out; add it back if it was meant for the customer", sentence)
                     for sentence in plan.removed_instructions]
        if stats.finish_reason == "deadline":
            warnings.append(RewriteWarning("deadline", "generation was cut off at the time limit; the rewrite may be incomplete"))
        elif stats.finish_reason == "length":
            warnings.append(RewriteWarning("length", "generation reached its length limit; the rewrite may be incomplete"))
        timings.update({
            "first_token_ms": round(stats.first_token_ms, 1) if stats.first_token_ms is not None else None,
            "generate_ms": round(sum(a.stats.generate_ms for a in attempts), 1),
            "total_ms": round((time.monotonic() - started) * 1000 + timings["queue_ms"], 1),
            "prompt_tokens": stats.prompt_tokens,
            "prompt_tokens_evaluated": sum(a.stats.evaluated_tokens for a in attempts),
            "generated_tokens": sum(a.stats.generated_tokens for a in attempts),
            "attempts": len(attempts),
            "added": composed.added,
        })
        return text, warnings

    @staticmethod
    def _draft_kept_warnings(best: Candidate) -> list[RewriteWarning]:
        kept = "so the reply keeps your wording, with only the tone adjusted"
        if best.findings:
            return [RewriteWarning("draft_kept", f"the model's rewrite {f.message.removeprefix('the rewrite ')}, {kept}",
                                   f.span) for f in best.findings]
        if best.wrong_language:
            return [RewriteWarning("draft_kept", f"the model's rewrite was in {language.name_of(best.wrong_language)}, "
                                                 f"{kept}")]
        return [RewriteWarning("draft_kept", f"the model did not give a usable rewrite, {kept}")]

    @staticmethod
    def _lost_the_draft(plan: Plan, masked: str) -> bool:
        """An answer a fraction of the draft's length is not a rewrite of it, even with every marker."""
        return len(masked.split()) * 10 < len(plan.protected.masked.split()) * 3

    @staticmethod
    def _wrong_language(plan: Plan, masked: str) -> str | None:
        if not plan.language_code or len(masked) <= 60:
            return None
        found = language.detect(masked, minimum_confidence=0.9)
        return found if found and found != plan.language_code else None

    def _result(self, plan: Plan, text: str, warnings: list[RewriteWarning], timings: dict) -> RewriteResult:
        if plan.request.format == "html":
            text = markup.markdown_to_html(text)
        return RewriteResult(rewrite=text, style=plan.style.name, model=self.engine.name,
                             language=plan.language_code, warnings=warnings, timings=timings)


class StreamRestorer:
    """Turns the model's streamed, masked text into restored text deltas for the live preview.

    A marker can arrive split over several tokens ("[", "1", "]"), so text from an unclosed bracket on
    is held back until the marker is complete or clearly is not one.
    """

    def __init__(self, spans):
        self._spans = spans
        self._raw = ""
        self._sent = ""

    def feed(self, piece: str) -> str:
        self._raw += piece
        cut = max(self._raw.rfind("["), self._raw.rfind("⟦"))
        safe = self._raw if cut == -1 or "]" in self._raw[cut:] or "⟧" in self._raw[cut:] or \
            len(self._raw) - cut > 8 else self._raw[:cut]
        return self._emit(safe)

    def finish(self) -> str:
        return self._emit(self._raw)

    def _emit(self, raw: str) -> str:
        restored = guard.restore(raw, self._spans)
        if not restored.startswith(self._sent):
            return ""  # a held-back fragment turned out differently; the final event has the exact text
        delta = restored[len(self._sent):]
        self._sent = restored
        return delta
