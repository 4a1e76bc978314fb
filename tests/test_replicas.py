"""Stateless replicas: two `kindreply serve` processes (real gunicorn) share one real `redis-server` for rate
limits and one keys file for API keys. The backend is the loopback stand-in: no model is needed here."""

import contextlib
import os
import shutil
import subprocess
import time

import pytest
import requests

from tests.conftest import KINDREPLY, free_port, running_server
from tests.standin import StandIn

LIMIT = 5


@contextlib.contextmanager
def redis_server():
    """A throwaway redis-server on a free loopback port, nothing written to disk; yields its URL."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.fail("redis-server is not installed: `apt-get install redis-server` (scripts/setup.sh does it)")
    import redis

    port = free_port()
    process = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    url = f"redis://127.0.0.1:{port}/0"
    try:
        client = redis.Redis.from_url(url)
        deadline = time.monotonic() + 10
        while True:
            try:
                client.ping()
                break
            except redis.ConnectionError:
                assert process.poll() is None, "redis-server exited at start"
                assert time.monotonic() < deadline, "redis-server did not answer PING in 10 s"
                time.sleep(0.05)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def backend():
    server = StandIn()
    yield server
    server.close()


@pytest.fixture(scope="module")
def keys_file(tmp_path_factory):
    return tmp_path_factory.mktemp("keys") / "keys.json"


def add_key(keys_file, name: str) -> str:
    result = subprocess.run([KINDREPLY, "keys", "add", name], env=dict(os.environ, KINDREPLY_KEYS_FILE=str(keys_file)),
                            capture_output=True, text=True, timeout=60, check=True)
    return result.stdout.strip()


def replica_env(name: str, backend: StandIn, keys_file, storage: str) -> dict:
    return dict(KINDREPLY_BACKEND="openai", KINDREPLY_BACKEND_URL=backend.url, KINDREPLY_REPLICA_NAME=name,
                KINDREPLY_KEYS_FILE=str(keys_file), KINDREPLY_RATE_LIMIT=f"{LIMIT}/minute",
                KINDREPLY_RATE_LIMIT_STORAGE=storage, KINDREPLY_WORKERS="2")


@pytest.fixture(scope="module")
def replicas(backend, keys_file):
    add_key(keys_file, "first")  # the replicas start with keys, like a deployment does
    with redis_server() as url, \
            running_server(**replica_env("replica-a", backend, keys_file, url)) as a, \
            running_server(**replica_env("replica-b", backend, keys_file, url)) as b:
        yield a, b


def analyze(base: str, key: str) -> requests.Response:
    return requests.post(f"{base}/v1/analyze", json={"text": "We can't refund you."}, timeout=10,
                         headers={"Authorization": f"Bearer {key}"})


def test_two_replicas_share_one_rate_limit(replicas, keys_file):
    key = add_key(keys_file, "limited")
    statuses = [analyze(replicas[n % 2], key) for n in range(3 * LIMIT)]
    codes = [response.status_code for response in statuses]
    # two gunicorn workers in each of two replicas, one budget: LIMIT in all, not 4 x LIMIT
    assert codes.count(200) == LIMIT, codes
    assert codes.count(429) == 2 * LIMIT, codes
    refused = next(response for response in statuses if response.status_code == 429)
    assert refused.headers["Content-Type"] == "application/problem+json"
    assert int(refused.headers["Retry-After"]) >= 1


def test_a_key_revoked_on_one_replica_is_refused_by_all(replicas, keys_file):
    key = add_key(keys_file, "to-revoke")
    assert [analyze(base, key).status_code for base in replicas] == [200, 200]
    subprocess.run([KINDREPLY, "keys", "revoke", "to-revoke"], check=True, capture_output=True, timeout=60,
                   env=dict(os.environ, KINDREPLY_KEYS_FILE=str(keys_file)))
    for base in replicas:
        response = analyze(base, key)
        assert response.status_code == 401 and "revoked" in response.json()["detail"]


def test_each_replica_names_itself_in_readyz_and_metrics(replicas):
    for base, name in zip(replicas, ["replica-a", "replica-b"]):
        ready = requests.get(f"{base}/readyz", timeout=10).json()
        assert ready == {"ready": True, "model": "standin-model", "backend": "openai", "replica": name}
        metrics = requests.get(f"{base}/metrics", timeout=10).text
        assert f'kindreply_replica_info{{backend="openai",replica="{name}"}} 1.0' in metrics


def test_a_replica_keeps_answering_when_redis_goes_away(backend, tmp_path):
    keys = tmp_path / "keys.json"
    key = add_key(keys, "team")
    with redis_server() as url, running_server(**replica_env("replica-c", backend, keys, url)) as base:
        assert analyze(base, key).status_code == 200
        # redis stops: this replica counts alone, in memory, rather than refusing or failing requests
        subprocess.run(["redis-cli", "-u", url, "shutdown", "nosave"], capture_output=True, timeout=10)
        codes = [analyze(base, key).status_code for _ in range(2 * LIMIT + 2)]  # 2 workers: one sees > LIMIT
        assert set(codes) <= {200, 429} and 200 in codes and 429 in codes, codes
