"""The API's requests and responses as marshmallow schemas; the OpenAPI document is generated from them."""

from __future__ import annotations

import re

from marshmallow import Schema, ValidationError, fields, validate, validates

from ..service import language_code, languages

FORMATS = ("text", "html")
# C0 controls other than tab, newline and carriage return, and DEL: never part of a reply a person wrote
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# the same rules, for the OpenAPI document: no control characters, and (for text) not only whitespace
_NO_CONTROL = r"[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]"
TEXT_PATTERN = rf"^{_NO_CONTROL}*[^\s\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]{_NO_CONTROL}*$"
PLAIN_PATTERN = rf"^{_NO_CONTROL}*$"


def _any_case(word: str) -> str:
    return "".join(f"[{c.upper()}{c.lower()}]" if c.isalpha() else re.escape(c) for c in word)


# The languages a request may name, for the OpenAPI document and the check alike: a code the service knows,
# optionally with a region or script ("es-MX", "pt_BR", "zh-Hant"), or its English name, in any case; or
# nothing (the draft's own language). The language goes into the prompt, so free text never does.
LANGUAGE_PATTERN = (r"^(?:(?:" + "|".join(_any_case(code) for code in languages()) + r")(?:[-_][A-Za-z0-9]{1,8})*"
                    r"|" + "|".join(_any_case(name) for name in languages().values()) + r")?$")
_LANGUAGE = re.compile(LANGUAGE_PATTERN)


def has_words(value: str, what: str) -> None:
    if not value.strip():
        raise ValidationError(f"The {what} is empty: send the text.")
    no_control_characters(value)


def no_control_characters(value: str) -> None:
    if match := _CONTROL.search(value):
        raise ValidationError(f"Contains the control character U+{ord(match.group()):04X} at position "
                              f"{match.start()}; remove it and send the text again.")


class StrictBoolean(fields.Boolean):
    """JSON true or false only: 0, 1 and "yes" are errors, as the OpenAPI document says."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, bool):
            raise self.make_error("invalid")
        return value


class RewriteRequestSchema(Schema):
    """Unknown fields are refused (marshmallow's default), so a typo such as `txt` is an error, not ignored."""

    text = fields.String(required=True, metadata={
        "description": "The agent's draft reply. Plain text, or HTML when `format` is `html`.",
        "pattern": TEXT_PATTERN,
        "example": "We can't refund you. The window for order #4821 ended on 12 March."})
    format = fields.String(load_default="text", validate=validate.OneOf(FORMATS), metadata={
        "description": "`text` for textareas, `html` for rich editors (the answer is the same document with its words changed, sanitised)."})
    style = fields.String(load_default=None, metadata={
        "description": "A style from `GET /v1/styles`; the server's default style when left out."})
    customer_message = fields.String(load_default="", metadata={
        "pattern": PLAIN_PATTERN,
        "description": "The customer's last message, so the reply can acknowledge what they actually said."})
    language = fields.String(load_default=None, allow_none=True, metadata={
        "pattern": LANGUAGE_PATTERN,
        "description": "Language of the rewrite, as a code, a language tag or an English name (`es`, `es-MX`, "
                       "`German`), one of: " + ", ".join(f"`{code}` ({name})" for code, name in languages().items())
                       + ". Default (also for null or an empty string): the draft's own language."})
    stream = StrictBoolean(load_default=False, metadata={
        "description": "Stream Server-Sent Events (the same as sending `Accept: text/event-stream`)."})

    @validates("text")
    def _text_has_words(self, value: str, **_kwargs) -> None:
        has_words(value, "draft")

    @validates("customer_message")
    def _customer_message_is_text(self, value: str, **_kwargs) -> None:
        no_control_characters(value)

    @validates("language")
    def _language_is_known(self, value: str | None, **_kwargs) -> None:
        # the language is named to the model in the prompt: only languages the service knows get there
        if value and (not _LANGUAGE.fullmatch(value) or language_code(value) is None):
            accepted = ", ".join(f"{code} ({name})" for code, name in languages().items())
            raise ValidationError(f"Unknown language {value[:40]!r}; send one of these codes, a tag such as es-MX, "
                                  f"or the English name: {accepted}.")


class WarningSchema(Schema):
    code = fields.String(required=True, metadata={"description": (
        "`sentence_kept` (a hurtful sentence could not be softened without changing a fact or its decision, "
        "so it is as the agent wrote it, less any part the rules took out; `span` is the sentence as sent), "
        "`instruction_removed` (a sentence of the "
        "draft spoke to an AI model and was left out; `span` is the sentence), `may_hurt` (with "
        "KINDREPLY_RUDE_THRESHOLD set: the model's judgement finds a sentence the phrase lists keep hurtful and no "
        "part of it can go to make it fine; it is as the agent wrote it; `span` is the sentence), `left_out` (with "
        "KINDREPLY_RUDE_THRESHOLD set: the judgement is sure such a sentence hurts and it holds no fact, negation, "
        "request, promise or question, so it was left out; `span` is the sentence), `deadline` or "
        "`nothing_to_rewrite`.")})
    message = fields.String(required=True)
    span = fields.String(allow_none=True, metadata={"description": "The sentence concerned, where there is one."})


class SentenceCountsSchema(Schema):
    keep = fields.Integer(metadata={"description": "Sentences kept as the agent wrote them."})
    soften = fields.Integer(metadata={"description": "Hurtful sentences with a fact or decision, to edit."})
    drop = fields.Integer(metadata={"description": "Hurtful sentences that said nothing else, left out."})
    injected = fields.Integer(metadata={"description": "Sentences addressed to an AI model, left out."})


class TimingsSchema(Schema):
    queue_ms = fields.Float(metadata={"description": "Time waiting for the model."})
    first_text_ms = fields.Float(allow_none=True, metadata={
        "description": "From the request to the first text of the reply (kept sentences are sent at once)."})
    generate_ms = fields.Float(metadata={"description": "Time spent generating, all model calls together."})
    total_ms = fields.Float()
    prompt_tokens = fields.Integer()
    prompt_tokens_evaluated = fields.Integer(metadata={
        "description": "Prompt tokens actually evaluated; each prompt kind's fixed prefix is kept from start-up."})
    generated_tokens = fields.Integer()
    model_calls = fields.Integer(metadata={"description": "Generations: one per sentence edit try and acknowledgement."})
    model_classified = fields.Integer(metadata={
        "description": "Sentences the model gave its second opinion on (one forward pass each, no generation)."})
    sentences = fields.Nested(SentenceCountsSchema, metadata={"description": "What was decided for each sentence."})
    edited = fields.Integer(metadata={"description": "Sentences actually changed (by the model or by rule)."})
    unshouted = fields.Integer(metadata={"description": "ALL-CAPS sentences put in sentence case."})
    added = fields.List(fields.String(), metadata={"description": (
        "What kindreply added to the agent's sentences: `opener` (an acknowledgement, when the draft had none "
        "and brought bad news or came with the customer's message) and `closing` (an offer of help, when the "
        "draft brought bad news and had no closing).")})


class RewriteResponseSchema(Schema):
    rewrite = fields.String(required=True)
    style = fields.String(required=True)
    model = fields.String(required=True)
    language = fields.String(allow_none=True, metadata={"description": "ISO code of the draft's language, if known."})
    warnings = fields.List(fields.Nested(WarningSchema), required=True)
    timings = fields.Nested(TimingsSchema, required=True)


class StyleSchema(Schema):
    name = fields.String(required=True)
    title = fields.String(required=True)
    description = fields.String(required=True)
    default = fields.Boolean(required=True)


class StylesResponseSchema(Schema):
    styles = fields.List(fields.Nested(StyleSchema), required=True)


class HealthSchema(Schema):
    status = fields.String(required=True)


class ReadySchema(Schema):
    ready = fields.Boolean(required=True)
    model = fields.String(required=True)
    detail = fields.String()
    replica = fields.String(metadata={"description": "This replica's name (KINDREPLY_REPLICA_NAME)."})
    backend = fields.String(metadata={"description": "`local` (the model in this process) or `openai` (a backend server)."})


class ProblemSchema(Schema):
    """RFC 9457 problem details; `errors` maps each invalid field to what is wrong with it."""

    type = fields.String(required=True)
    title = fields.String(required=True)
    status = fields.Integer(required=True)
    detail = fields.String(required=True)
    errors = fields.Dict(keys=fields.String(), values=fields.List(fields.String()))


class AnalyzeRequestSchema(Schema):
    text = fields.String(required=True, metadata={"description": "The reply to analyse.", "pattern": TEXT_PATTERN,
                                                  "example": "As I already said, we can't refund you."})
    format = fields.String(load_default="text", validate=validate.OneOf(FORMATS), metadata={
        "description": "`html` analyses the visible text of an HTML reply; offsets refer to that text."})

    @validates("text")
    def _text_has_words(self, value: str, **_kwargs) -> None:
        has_words(value, "text")


class FlagSchema(Schema):
    category = fields.String(required=True, metadata={
        "description": "`blame`, `dismissive`, `negative`, `sarcasm`, `pity`, `caps` or `apology`."})
    label = fields.String(required=True)
    span = fields.String(required=True, metadata={"description": "The words flagged, exactly as in the text."})
    start = fields.Integer(required=True, metadata={"description": "Offset of the span in the (visible) text."})
    end = fields.Integer(required=True)
    suggestion = fields.String(required=True)


class AnalyzeResponseSchema(Schema):
    score = fields.Integer(required=True, metadata={"description": "0 to 100: how well the reply follows the practice."})
    scores = fields.Dict(keys=fields.String(), values=fields.Float(), required=True, metadata={
        "description": "acknowledgement, restatement, positive, respect: each 0 to 1."})
    sentiment = fields.Float(required=True, metadata={"description": "VADER compound sentiment, -1 to 1 (English)."})
    present = fields.List(fields.String(), required=True, metadata={
        "description": "Practices found: acknowledgement, restatement, positive, respect."})
    flags = fields.List(fields.Nested(FlagSchema), required=True)
    text = fields.String(required=True, metadata={"description": "The text analysed (the visible text for html)."})
