"""Property-based tests: the API fuzzed from its own OpenAPI document, the fact guard with random drafts."""

import re

import schemathesis
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from kindreply.rewrite import protect as guard
from kindreply.rewrite.pipeline import RewriteRequest
from tests.conftest import FakeEngine, make_rewriter


def fuzz_app():
    import tempfile

    from kindreply.http import create_app
    from kindreply.config import Settings

    folder = tempfile.mkdtemp(prefix="kindreply-fuzz-")
    settings = Settings.from_env({"KINDREPLY_CACHE_DIR": folder, "KINDREPLY_KEYS_FILE": f"{folder}/keys.json",
                                  "KINDREPLY_RATE_LIMIT": "100000/minute"})
    return create_app(settings, engine=FakeEngine())


# 413 is this API's documented answer to a draft over the configured length (a schema violation too)
FUZZ_CONFIG = schemathesis.config.SchemathesisConfig.from_dict({"checks": {"negative_data_rejection": {
    "expected-statuses": ["400", "401", "403", "404", "405", "406", "409", "413", "415", "422", "428", "429", "5xx"]}}})
schema = schemathesis.openapi.from_wsgi("/openapi.json", fuzz_app(), config=FUZZ_CONFIG)


@schema.parametrize()
@hypothesis_settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_api_keeps_its_own_contract(case):
    """No 5xx but the documented 503, every documented status and content type, every error problem+json."""
    response = case.call_and_validate()
    if response.status_code >= 400:
        content_type = {k.lower(): v for k, v in response.headers.items()}["content-type"]
        content_type = content_type[0] if isinstance(content_type, list) else content_type
        assert content_type.startswith("application/problem+json") or case.path == "/readyz"


# -- the fact guard -------------------------------------------------------------------------------

FACTS = st.one_of(
    st.from_regex(r"#[1-9][0-9]{3,7}", fullmatch=True),
    st.from_regex(r"\$[1-9][0-9]{0,3}\.[0-9]{2}", fullmatch=True),
    st.from_regex(r"[1-9][0-9]? (January|March|May|October) 20[0-9]{2}", fullmatch=True),
    st.from_regex(r"https://[a-z]{3,8}\.example\.com/[a-z0-9]{1,8}", fullmatch=True),
    st.from_regex(r"[a-z]{3,8}@[a-z]{3,8}\.com", fullmatch=True),
    st.from_regex(r"\{\{ticket\.[a-z_]{2,12}\}\}", fullmatch=True),
    st.from_regex(r"`[a-z]{2,6} --[a-z]{2,6}`", fullmatch=True),
    st.from_regex(r"[A-Z]{2,3}-[0-9]{3,6}", fullmatch=True),
)
WORDS = st.lists(st.sampled_from(
    "we can not refund the order because window ended please see link or write to us today sorry".split()),
    min_size=1, max_size=6).map(" ".join)
DRAFTS = st.lists(st.tuples(WORDS, FACTS), min_size=1, max_size=6).map(
    lambda parts: " ".join(f"{words} {fact}." for words, fact in parts))


@given(DRAFTS)
@hypothesis_settings(max_examples=200, deadline=None)
def test_protect_then_restore_is_the_identity(draft):
    protected = guard.protect(draft, "en")
    assert guard.restore(protected.masked, protected.spans) == draft
    # every digit of the draft is inside a span: the model sees none
    assert not re.search(r"\d", re.sub(r"\[\d+\]", "", protected.masked))


# Any text at all: fragments that look like the guard's markers, brackets around facts, number words,
# and random characters between them.
LOOK_ALIKES = st.sampled_from([
    "[2]", "[[3]]", "⟦1⟧", "[ 4 ]", "[1]", "[12]", "[", "]", "[[", "]]", "⟦", "⟧", "[#", "#12", "`", "{{", "}}",
    "(", ")", "]( ", "https://a.io/x", "$5", "12 March", "three", "twice", "zweite", "deux", "one", "no one ",
    " ", "\n", "-", ".", "Order", "Sarah Connor",
])
ANY_TEXT = st.lists(st.one_of(LOOK_ALIKES, st.text(max_size=4),
                              st.text(alphabet="[]⟦⟧ 0123456789#-x", max_size=6)), max_size=20).map("".join)


@given(ANY_TEXT, st.sampled_from(["en", "es", "de", "fr", "pt", None]))
@hypothesis_settings(max_examples=500, deadline=None)
def test_the_drafts_own_text_comes_back_byte_for_byte(text, language):
    """The model returning the masked text unchanged gives the draft back exactly, whatever it contains."""
    protected = guard.protect(text, language)
    assert guard.restore(protected.masked, protected.spans) == text
    # every marker in the masked text is one the guard put there, and no digit is left outside them
    assert guard.verify(protected.masked, protected.masked, protected.spans) == []


@given(DRAFTS, st.randoms(use_true_random=False))
@hypothesis_settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_every_span_comes_back(draft, random):
    """Whatever the model does with the markers (keep, drop, duplicate, shuffle), each fact of the draft
    is in the reply exactly: a rewrite that lost one is replaced by the agent's own wording, and the
    warning names the fact the model lost."""

    def unreliable_model(kind, masked):
        markers = re.findall(r"\[\d+\]", masked)
        kept = [m for m in markers if random.random() < 0.7] + [m for m in markers if random.random() < 0.2]
        random.shuffle(kept)
        return "Thanks for your patience. " + " and ".join(kept or ["nothing"]) + " it is."

    result = make_rewriter(FakeEngine(unreliable_model, unreliable_model)).rewrite(RewriteRequest(text=draft))
    for span in guard.protect(draft, "en").spans:
        assert span.text in result.rewrite, (span, result)
