"""The API's requests and responses as marshmallow schemas; the OpenAPI document is generated from them."""

from __future__ import annotations

import re

from marshmallow import Schema, ValidationError, fields, validate, validates

FORMATS = ("text", "html")
# C0 controls other than tab, newline and carriage return, and DEL: never part of a reply a person wrote
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# the same rules, for the OpenAPI document: no control characters, and (for text) not only whitespace
_NO_CONTROL = r"[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]"
TEXT_PATTERN = rf"^{_NO_CONTROL}*[^\s\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]{_NO_CONTROL}*$"
PLAIN_PATTERN = rf"^{_NO_CONTROL}*$"


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
        "description": "`text` for textareas, `html` for rich editors (the answer is sanitised HTML)."})
    style = fields.String(load_default=None, metadata={
        "description": "A style from `GET /v1/styles`; the server's default style when left out."})
    customer_message = fields.String(load_default="", metadata={
        "pattern": PLAIN_PATTERN,
        "description": "The customer's last message, so the reply can acknowledge what they actually said."})
    language = fields.String(load_default=None, metadata={
        "description": "Language of the rewrite (`es`, `German`…). Default: the draft's own language."})
    stream = StrictBoolean(load_default=False, metadata={
        "description": "Stream Server-Sent Events (the same as sending `Accept: text/event-stream`)."})

    @validates("text")
    def _text_has_words(self, value: str, **_kwargs) -> None:
        has_words(value, "draft")

    @validates("customer_message")
    def _customer_message_is_text(self, value: str, **_kwargs) -> None:
        no_control_characters(value)


class WarningSchema(Schema):
    code = fields.String(required=True, metadata={"description": (
        "`draft_kept` (the model's rewrite lost or added a fact, or changed the language, so the reply keeps "
        "the agent's wording with only the tone adjusted; `span` names the fact), `instruction_removed` (a "
        "sentence of the draft spoke to an AI model and was left out; `span` is the sentence), `deadline`, "
        "`length` or `nothing_to_rewrite`.")})
    message = fields.String(required=True)
    span = fields.String(allow_none=True, metadata={"description": "The fact concerned, where there is one."})


class TimingsSchema(Schema):
    queue_ms = fields.Float(metadata={"description": "Time waiting for the model."})
    first_token_ms = fields.Float(allow_none=True, metadata={"description": "From start of generation to first token."})
    generate_ms = fields.Float()
    total_ms = fields.Float()
    prompt_tokens = fields.Integer()
    prompt_tokens_evaluated = fields.Integer(metadata={
        "description": "Prompt tokens actually evaluated; the style's fixed prefix is reused from cache."})
    generated_tokens = fields.Integer()
    attempts = fields.Integer(metadata={"description": "2 when the first try lost or added a fact, changed the "
                                                       "language or kept a hurting phrase next to a fact."})
    added = fields.List(fields.String(), metadata={"description": (
        "What kindreply added around the model's text: `opener` (an acknowledgement, when the rewrite had "
        "none) and `closing` (an offer of help, when it said nothing of what we can do).")})


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
