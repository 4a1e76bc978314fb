"""The OpenAI-compatible engine against a stand-in server on loopback: answers, figures, concurrency, and
every fault it must turn into a clear error (refused, 5xx, malformed, wrong shape, cut, silent)."""

import math
import threading
import time

import pytest

from kindreply.config import ConfigError, Settings
from kindreply.model import BackendError, BackendTimeout, BackendUnavailable, Generation
from kindreply.model.openai import OpenAIEngine, base_url, display_name, option_of_answer, option_probabilities
from tests.conftest import free_port
from tests.standin import StandIn

MESSAGES = [{"role": "system", "content": "Rewrite kindly."}, {"role": "user", "content": "We can't refund you."}]


@pytest.fixture
def standin():
    server = StandIn()
    yield server
    server.close()


def run(engine, seconds=10.0, **options):
    stats = Generation()
    pieces = list(engine.generate(MESSAGES, max_tokens=options.pop("max_tokens", 200), temperature=0.3,
                                  deadline=time.monotonic() + seconds, stats=stats, **options))
    return "".join(pieces), stats


def test_urls_and_names():
    assert base_url("http://127.0.0.1:8081") == "http://127.0.0.1:8081/v1"
    assert base_url("http://127.0.0.1:8081/v1/") == "http://127.0.0.1:8081/v1"
    assert base_url("https://gateway.example/openai/v1") == "https://gateway.example/openai/v1"
    assert display_name("/models/qwen2.5-coder-1.5b-instruct-q4_k_m.gguf") == "qwen2.5-coder-1.5b-instruct-q4_k_m"
    assert display_name("qwen2.5:1.5b") == "qwen2.5:1.5b"


def test_streams_the_answer_with_the_servers_figures(standin):
    engine = OpenAIEngine(standin.url, api_key="sk-test")
    assert engine.ready and engine.name == "standin-model"
    assert engine.context_tokens == 2048  # from max_model_len
    text, stats = run(engine, seed=3)
    assert text == standin.answer
    assert stats.finish_reason == "stop" and stats.generated_tokens == len(standin.answer.split())
    assert (stats.prompt_tokens, stats.cached_tokens) == (123, 100)  # the usage chunk
    assert stats.first_token_ms is not None and stats.generate_ms > 0
    sent = standin.requests[-1]
    assert sent["model"] == "standin-model" and sent["stream"] is True and sent["seed"] == 3
    assert sent["messages"] == MESSAGES and sent["max_tokens"] == 200
    assert standin.headers[-1]["Authorization"] == "Bearer sk-test"


def test_readiness_is_cached_for_two_seconds(standin):
    engine = OpenAIEngine(standin.url)
    for _ in range(20):
        assert engine.ready
    assert standin.model_checks == 1


def test_a_busy_server_costs_requests_no_waiting(standin):
    engine = OpenAIEngine(standin.url)
    counted = "one two three four five six seven eight"
    assert engine.ready and engine.count_tokens(counted) == 8
    standin.busy = 1.5  # llama_cpp.server answers /v1/models and /tokenize only between generations
    time.sleep(2.1)
    started = time.monotonic()
    assert engine.ready  # the last answer; the new check runs in the background
    assert time.monotonic() - started < 0.1
    # the tokenizer timed out (0.5 s): estimated, at the characters per token of the last count
    assert engine.count_tokens("x" * 80) == round(80 / (len(counted) / 8))
    started = time.monotonic()
    engine.count_tokens("x" * 80)
    assert time.monotonic() - started < 0.1  # and not asked again for a while
    time.sleep(1.6)
    assert engine.ready  # a busy server that was ready stays ready


def test_a_model_the_server_does_not_list_is_named_in_the_reason(standin):
    engine = OpenAIEngine(standin.url, model="llama-70b")
    assert not engine.ready
    assert "serves standin-model, not 'llama-70b': set KINDREPLY_BACKEND_MODEL" in engine.load_error


def test_tokens_are_counted_by_the_server_or_estimated(standin):
    engine = OpenAIEngine(standin.url)
    assert engine.count_tokens("one two three four five six seven eight nine ten") == 10
    standin.tokenizer = False
    hosted = OpenAIEngine(standin.url)
    assert hosted.count_tokens("x" * 400) == 100  # about 4 characters a token
    assert hosted._tokenizer == ""  # asked once, not at every count


def test_connection_refused_is_retried_with_backoff_then_unavailable():
    engine = OpenAIEngine(f"http://127.0.0.1:{free_port()}")
    assert not engine.ready and "connection refused" in engine.load_error
    started = time.monotonic()
    with pytest.raises(BackendUnavailable, match="unreachable \\(connection refused, 3 attempts\\)") as raised:
        run(engine)
    assert 0.7 < time.monotonic() - started < 3  # 0.25 s + 0.5 s of backoff
    assert raised.value.status == 503 and raised.value.retry_after >= 1


@pytest.mark.parametrize("status, kind, expected", [
    (500, BackendError, "failed \\(HTTP 500 to POST .*: boom\\)"),
    (503, BackendUnavailable, "overloaded or down \\(HTTP 503"),
    (401, BackendError, "check KINDREPLY_BACKEND_API_KEY"),
    (404, BackendError, "check KINDREPLY_BACKEND_URL"),
])
def test_error_statuses_become_clear_errors(standin, status, kind, expected):
    standin.mode, standin.status = "status", status
    with pytest.raises(kind, match=expected) as raised:
        run(OpenAIEngine(standin.url))
    assert type(raised.value) is kind
    assert len(standin.requests) == 1  # the server got the request: never sent twice
    if status == 503:
        assert raised.value.retry_after == 7  # the server's own Retry-After


def test_a_chunk_that_is_not_json(standin):
    standin.mode = "malformed"
    with pytest.raises(BackendError, match="stream chunk that is not JSON"):
        run(OpenAIEngine(standin.url))


def test_a_chunk_in_the_wrong_shape(standin):
    standin.mode = "wrong-shape"
    with pytest.raises(BackendError, match="without choices \\(an object with result\\)"):
        run(OpenAIEngine(standin.url))


def test_a_stream_cut_mid_answer_is_unavailable_and_marks_the_backend_down(standin):
    standin.mode = "cut"
    engine = OpenAIEngine(standin.url)
    assert engine.ready
    seen = []
    with pytest.raises(BackendUnavailable, match="cut off after 2 tokens"):
        for piece in engine.generate(MESSAGES, max_tokens=100, temperature=0.3, deadline=time.monotonic() + 10,
                                     stats=Generation()):
            seen.append(piece)
    assert len(seen) == 2
    assert not engine.ready and "went away mid-answer" in engine.load_error
    # 2 s on, a readiness check asks the server again (in the background), and it answers
    deadline = time.monotonic() + 4
    while not engine.ready:
        assert time.monotonic() < deadline, engine.load_error
        time.sleep(0.1)


def test_an_interrupted_stream_names_the_llama_cpp_server_flag(standin):
    standin.mode = "interrupted"
    with pytest.raises(BackendError, match="--interrupt_requests False"):
        run(OpenAIEngine(standin.url))


def test_a_silent_backend_times_out_at_the_deadline(standin):
    standin.mode, standin.silence = "silent", 5
    started = time.monotonic()
    with pytest.raises(BackendTimeout, match="sent nothing before the generation deadline|did not start answering"):
        run(OpenAIEngine(standin.url), seconds=1)
    assert time.monotonic() - started < 2.5


def test_the_deadline_mid_answer_keeps_the_text_so_far(standin):
    standin.delay = 0.3
    text, stats = run(OpenAIEngine(standin.url), seconds=1)
    assert stats.finish_reason == "deadline"
    assert text and standin.answer.startswith(text) and text != standin.answer


def test_generations_from_several_threads_run_at_once(standin):
    standin.delay = 0.1  # 9 words: about 0.9 s each
    engine = OpenAIEngine(standin.url, concurrency=4)
    engine.ready
    results = []
    threads = [threading.Thread(target=lambda: results.append(run(engine)[0])) for _ in range(4)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    assert results == [standin.answer] * 4
    assert standin.most_in_flight == 4  # nothing serialised in the engine
    assert elapsed < 2.5, f"4 generations of ~0.9 s took {elapsed:.1f} s"


def test_choose_reads_the_first_tokens_logprobs(standin):
    standin.logprobs = [{"token": "keep", "logprob": math.log(0.5)}, {"token": " soft", "logprob": math.log(0.2)},
                        {"token": "The", "logprob": math.log(0.2)}, {"token": "drop", "logprob": math.log(0.1)}]
    chances = OpenAIEngine(standin.url).choose(MESSAGES, ["keep", "soften", "drop"])
    assert chances == pytest.approx({"keep": 0.5 / 0.8, "soften": 0.2 / 0.8, "drop": 0.1 / 0.8})
    sent = standin.requests[-1]
    assert (sent["max_tokens"], sent["temperature"], sent["logprobs"], sent["top_logprobs"]) == (1, 0, True, 20)


def test_choose_without_logprobs_falls_back_to_a_greedy_answer(standin):
    standin.answer = "soften the second sentence"
    engine = OpenAIEngine(standin.url)
    assert engine.choose(MESSAGES, ["keep", "soften", "drop"]) == {"keep": 0.0, "soften": 1.0, "drop": 0.0}
    assert "logprobs" not in standin.requests[-1] and standin.requests[-1]["temperature"] == 0
    engine.choose(MESSAGES, ["keep", "soften"])
    assert len(standin.requests) == 3  # the server has no logprobs: asked for them once, not again


def test_option_mapping():
    top = [{"token": "Yes", "logprob": math.log(0.6)}, {"token": " Yes", "logprob": math.log(0.1)},
           {"token": "No", "logprob": math.log(0.3)}]
    assert option_probabilities(top, ["Yes", "No"]) == pytest.approx({"Yes": 0.7, "No": 0.3})
    # options that begin with the same token share its probability
    assert option_probabilities([{"token": "keep", "logprob": 0.0}], ["keep", "keeping"]) == {"keep": 0.5, "keeping": 0.5}
    assert option_probabilities([{"token": "Maybe", "logprob": 0.0}], ["Yes", "No"]) == {}
    assert option_of_answer('"Keep it', ["keep", "drop"]) == {"keep": 1.0, "drop": 0.0}
    assert option_of_answer("???", ["keep", "drop"]) == {"keep": 0.5, "drop": 0.5}


def test_backend_settings_are_checked():
    settings = Settings.from_env({"KINDREPLY_BACKEND": "openai", "KINDREPLY_BACKEND_URL": "http://127.0.0.1:1/v1"})
    assert settings.backend == "openai" and settings.backend_concurrency == 4
    with pytest.raises(ConfigError, match="KINDREPLY_BACKEND=openai needs KINDREPLY_BACKEND_URL"):
        Settings.from_env({"KINDREPLY_BACKEND": "openai"})
    with pytest.raises(ConfigError, match="KINDREPLY_BACKEND must be local or openai"):
        Settings.from_env({"KINDREPLY_BACKEND": "vllm"})
    with pytest.raises(ConfigError, match="KINDREPLY_RATE_LIMIT_STORAGE must be memory:// or a Redis URL"):
        Settings.from_env({"KINDREPLY_RATE_LIMIT_STORAGE": "127.0.0.1:6379"})


def test_start_loading_sends_each_prompt_prefix_once_the_server_answers(standin):
    prefixes = [[{"role": "system", "content": "Edit kindly."}], [{"role": "system", "content": "Acknowledge."}]]
    OpenAIEngine(standin.url, warm_up=prefixes).start_loading()
    deadline = time.monotonic() + 5
    while len(standin.requests) < 2:
        assert time.monotonic() < deadline, standin.requests
        time.sleep(0.05)
    assert [r["messages"] for r in standin.requests] == prefixes
    assert all(r["max_tokens"] == 1 and not r.get("stream") for r in standin.requests)
