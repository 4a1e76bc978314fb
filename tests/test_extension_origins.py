"""KINDREPLY_EXTENSION_IDS: the service answers browsers' CORS for the kindreply extension IDs an admin lists,
as `chrome-extension://ID` and `moz-extension://ID`, and for no extension origin by default."""

from __future__ import annotations

from dataclasses import replace

import pytest

from kindreply.config import ConfigError, Settings
from kindreply.http import create_app
from kindreply.http.cors import register_cors
from tests.conftest import FakeEngine

CHROME_ID = "hamhnfmgmngcgikpdiaicddnmkgjgiff"  # 32 letters a-p, as Chrome makes them
FIREFOX_UUID = "6f1c7a52-3d1e-4b9a-9c55-0e2f8d4b7a10"  # Firefox's per-install internal UUID


def cors_client(settings):
    return create_app(settings, engine=FakeEngine()).test_client()


def allowed(client, origin: str) -> bool:
    """Would a browser at ``origin`` be allowed both the preflight and the answer?"""
    preflight = client.options("/v1/rewrite", headers={"Origin": origin, "Access-Control-Request-Method": "POST",
                                                       "Access-Control-Request-Headers": "authorization, content-type"})
    answer = client.get("/v1/styles", headers={"Origin": origin})
    return (preflight.headers.get("Access-Control-Allow-Origin") == origin
            and answer.headers.get("Access-Control-Allow-Origin") == origin)


def test_by_default_no_extension_origin_is_allowed(settings):
    assert Settings.from_env({}).extension_ids == "" and Settings.from_env({}).cors_origins == ""
    client = cors_client(settings)
    for origin in (f"chrome-extension://{CHROME_ID}", f"moz-extension://{FIREFOX_UUID}", "chrome-extension://x"):
        assert not allowed(client, origin)


def test_listed_ids_allow_their_chrome_and_firefox_origins_and_nothing_else(settings):
    listed = Settings.from_env({"KINDREPLY_EXTENSION_IDS": f" {CHROME_ID} ,{FIREFOX_UUID.upper()},"})
    assert listed.extension_origins == [f"chrome-extension://{CHROME_ID}", f"moz-extension://{CHROME_ID}",
                                        f"chrome-extension://{FIREFOX_UUID}", f"moz-extension://{FIREFOX_UUID}"]
    client = cors_client(replace(settings, extension_ids=listed.extension_ids))
    assert allowed(client, f"chrome-extension://{CHROME_ID}")
    assert allowed(client, f"moz-extension://{FIREFOX_UUID}")
    for origin in (f"chrome-extension://{'a' * 32}",  # another extension
                   f"chrome-extension://{CHROME_ID}x", f"chrome-extension://{CHROME_ID[:-1]}",  # near misses
                   f"https://{CHROME_ID}", f"http://{CHROME_ID}",  # the ID as a web host
                   "https://crm.example.com"):
        assert not allowed(client, origin), origin


def test_extension_ids_and_web_origins_add_up(settings):
    client = cors_client(replace(settings, extension_ids=CHROME_ID, cors_origins="https://crm.example.com"))
    assert allowed(client, f"chrome-extension://{CHROME_ID}") and allowed(client, "https://crm.example.com")
    assert not allowed(client, "https://evil.example")


@pytest.mark.parametrize("value", ["chrome-extension://abc", "*", "abc/def", "abc def", "-abc", "abc,ab*c"])
def test_a_value_that_is_not_an_id_is_refused_naming_the_variable(value):
    with pytest.raises(ConfigError, match="KINDREPLY_EXTENSION_IDS must list extension IDs"):
        Settings.from_env({"KINDREPLY_EXTENSION_IDS": value})


def test_register_cors_takes_the_origins_it_is_given(settings):
    from flask import Flask

    app = Flask("t")
    register_cors(app, "", extension_origins=[f"chrome-extension://{CHROME_ID}"])
    app.get("/x")(lambda: "ok")
    client = app.test_client()
    assert client.get("/x", headers={"Origin": f"chrome-extension://{CHROME_ID}"}).headers[
        "Access-Control-Allow-Origin"] == f"chrome-extension://{CHROME_ID}"
    assert "Access-Control-Allow-Origin" not in client.get("/x", headers={"Origin": "chrome-extension://other"}).headers
