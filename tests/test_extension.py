"""The browser extension in a real Chromium, against the real service, in real editors from npm.

For each editor: the button appears, the preview streams, Replace puts the rewrite into the editor's own
model (read back through the editor's API), the page's submit handler sees it, and Ctrl+Z brings the
draft back. Then the error states, the keyboard command, the context of a customer message, and the
options page.
"""

from __future__ import annotations

import functools
import http.server
import re
import shutil
import subprocess
import threading
from pathlib import Path

import pytest
from playwright import sync_api as SYNC_API

from kindreply.keys import KeyStore
from tests.conftest import free_port, running_server

pytestmark = pytest.mark.model
ROOT = Path(__file__).resolve().parents[1]
EXTENSION = ROOT / "extension"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture(scope="session")
def built_extension():
    subprocess.run(["node", "build.mjs"], cwd=EXTENSION, check=True, capture_output=True)
    subprocess.run(["npm", "run", "-s", "test-pages"], cwd=EXTENSION, check=True, capture_output=True)
    return EXTENSION / "dist" / "chrome"


@pytest.fixture(scope="session")
def pages():
    """The test pages and the editors' npm packages, served from extension/ on loopback."""
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(EXTENSION))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/test-pages"
    server.shutdown()


@pytest.fixture(scope="session")
def service(tmp_path_factory):
    keys = tmp_path_factory.mktemp("keys") / "keys.json"
    key, _ = KeyStore(keys).add("extension-tests")
    with running_server(KINDREPLY_KEYS_FILE=str(keys), KINDREPLY_RATE_LIMIT="1000/minute") as base:
        yield base, key


@pytest.fixture(scope="session")
def browser(built_extension, tmp_path_factory):
    with SYNC_API.sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("profile")), executable_path=CHROMIUM, headless=True,
            args=["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--disable-quic",
                  f"--disable-extensions-except={built_extension}", f"--load-extension={built_extension}"])
        worker = context.service_workers[0] if context.service_workers else context.wait_for_event("serviceworker")
        yield context, worker
        context.close()


@pytest.fixture
def extension(browser, service):
    """The browser with the extension configured for the test service; returns (context, worker)."""
    context, worker = browser
    base, key = service
    worker.evaluate("(c) => chrome.storage.sync.set(c)", {"serverUrl": base, "apiKey": key, "style": "", "sites": ""})
    return context, worker


def page_with_draft(context, url: str, selector: str, draft: str):
    """A new page at ``url`` with ``draft`` typed into its editor, the page in front."""
    page = context.new_page()
    page.goto(url)
    page.click(selector)
    page.keyboard.type(draft)
    page.bring_to_front()
    return page


def panel_rewrite(page) -> str:
    """The rewrite shown in the panel: the diff view without the removed words."""
    return page.evaluate("""() => {
        const preview = document.querySelector('kindreply-panel').shadowRoot.querySelector('.preview').cloneNode(true);
        preview.querySelectorAll('del').forEach((d) => d.remove());
        return preview.textContent;
    }""")


def rewrite_with_button(page, editor_selector: str) -> str:
    page.click(editor_selector)
    button = page.locator("kindreply-button button")
    button.wait_for(state="visible", timeout=10_000)
    button.click()
    # the preview streams: the status counts words while the model is still writing
    SYNC_API.expect(page.locator("kindreply-panel .status")).to_have_text(re.compile(r"Rewriting… \d+ words"),
                                                                         timeout=180_000)
    replace = page.locator("kindreply-panel button[data-action=replace]")
    SYNC_API.expect(replace).to_be_enabled(timeout=180_000)
    return panel_rewrite(page)


TEXT_DRAFT = "We can't refund order #4821. The window ended on 12 March. Nothing we can do."


@pytest.mark.parametrize("page_name, selector", [
    ("textarea", "#editor"),
    ("contenteditable", "#editor"),
    ("gmail", "#editor"),
])
def test_plain_editors_replace_submit_and_undo(extension, pages, page_name, selector):
    context, _ = extension
    page = page_with_draft(context, f"{pages}/{page_name}.html", selector, TEXT_DRAFT)
    draft = normalise(page.evaluate("() => document.querySelector('#editor').value ?? document.querySelector('#editor').innerText"))

    rewrite = rewrite_with_button(page, selector)
    assert "#4821" in rewrite and "12 March" in rewrite
    assert normalise(rewrite) != draft
    page.locator("kindreply-panel button[data-action=replace]").click()
    SYNC_API.expect(page.locator("kindreply-panel")).to_have_count(0)

    read = "() => { const e = document.querySelector('#editor'); return e.value ?? e.innerText; }"
    assert normalise(page.evaluate(read)) == normalise(rewrite)
    page.click("#send")
    submitted = page.evaluate("() => window.submitted.at(-1)")
    assert "#4821" in submitted and normalise(rewrite)[:20] in normalise(re.sub(r"<[^>]+>", " ", submitted))

    page.click(selector)
    page.keyboard.press("Control+z")
    assert normalise(page.evaluate(read)) == draft
    page.close()


RICH_DRAFT = "<p>We can't refund order <strong>#4821</strong>. Do this instead:</p><ul><li>open Settings</li><li>click Reset</li></ul>"


@pytest.mark.parametrize("page_name, selector", [
    ("quill", ".ql-editor"),
    ("ckeditor", ".ck-editor__editable"),
    ("tiptap", ".ProseMirror"),
    ("tinymce", "iframe >> internal:control=enter-frame >> body#tinymce"),  # TinyMCE edits inside an iframe
])
def test_rich_editors_take_the_rewrite_into_their_model_with_undo(extension, pages, page_name, selector):
    context, _ = extension
    page = context.new_page()
    page.goto(f"{pages}/{page_name}.html")
    page.wait_for_function("() => typeof window.setDraft === 'function'", timeout=30_000)
    page.evaluate("(html) => window.setDraft(html)", RICH_DRAFT)
    draft_text = normalise(page.evaluate("() => window.readEditorText()"))
    assert "#4821" in draft_text

    rewrite = rewrite_with_button(page, selector)
    assert "#4821" in rewrite
    page.locator("kindreply-panel button[data-action=replace]").click()
    SYNC_API.expect(page.locator("kindreply-panel")).to_have_count(0)

    # read back through the editor's own API: its model, not the DOM
    model_text = normalise(page.evaluate("() => window.readEditorText()"))
    assert normalise(rewrite)[:25] in model_text and normalise(rewrite)[-25:] in model_text, (rewrite, model_text)
    model_html = page.evaluate("() => window.readEditor()")
    assert "<li" in model_html or "<p" in model_html  # the rewrite arrived as formatted HTML, not one text run
    page.click("#send")
    assert "#4821" in page.evaluate("() => window.submitted.at(-1)")

    page.click(selector)
    page.keyboard.press("Control+z")
    page.wait_for_timeout(300)
    assert normalise(page.evaluate("() => window.readEditorText()")) == draft_text
    page.close()


def test_a_wrong_key_shows_and_keeps_the_draft(extension, pages):
    context, worker = extension
    worker.evaluate("() => chrome.storage.sync.set({apiKey: 'kr_wrong'})")
    page = page_with_draft(context, f"{pages}/textarea.html", "#editor", TEXT_DRAFT)
    page.locator("kindreply-button button").click()
    status = page.locator("kindreply-panel .status")
    SYNC_API.expect(status).to_contain_text("refused the API key", timeout=30_000)
    assert page.input_value("#editor") == TEXT_DRAFT
    page.close()


def test_a_stopped_server_shows_and_keeps_the_draft(extension, pages):
    context, worker = extension
    worker.evaluate("(url) => chrome.storage.sync.set({serverUrl: url})", f"http://127.0.0.1:{free_port()}")
    page = context.new_page()
    page.goto(f"{pages}/quill.html")
    page.wait_for_function("() => typeof window.setDraft === 'function'")
    page.evaluate("(html) => window.setDraft(html)", RICH_DRAFT)
    page.click(".ql-editor")
    page.locator("kindreply-button button").click()
    SYNC_API.expect(page.locator("kindreply-panel .status")).to_contain_text("Can't reach the kindreply server",
                                                                               timeout=30_000)
    assert "#4821" in page.evaluate("() => window.readEditorText()")
    page.close()


def test_the_keyboard_command_opens_the_preview_and_cancel_changes_nothing(extension, pages):
    context, worker = extension
    page = page_with_draft(context, f"{pages}/gmail.html", "#editor", "Refund for order 5590 sent on 2 May.")
    worker.evaluate("() => self.kindreplyRewriteCommand()")
    replace = page.locator("kindreply-panel button[data-action=replace]")
    SYNC_API.expect(replace).to_be_enabled(timeout=180_000)
    assert "5590" in panel_rewrite(page)
    page.locator("kindreply-panel button[data-action=cancel]").click()
    SYNC_API.expect(page.locator("kindreply-panel")).to_have_count(0)
    assert "Refund for order 5590 sent on 2 May." in page.inner_text("#editor")  # Cancel changed nothing
    page.close()


def test_the_context_menu_rewrites_only_the_selection(extension, pages):
    context, worker = extension
    kept = "Order #4821 was shipped on 3 May."
    page = page_with_draft(context, f"{pages}/textarea.html", "#editor", f"{kept}\nWe can't refund it. Nothing we can do.")
    page.evaluate("() => { const e = document.querySelector('#editor'); e.setSelectionRange(e.value.indexOf('We'), e.value.length); }")
    worker.evaluate("async () => { const [tab] = await chrome.tabs.query({active: true, currentWindow: true});"
                    " await self.kindreplyContextMenu({menuItemId: 'rewrite-selection', frameId: 0}, tab); }")
    replace = page.locator("kindreply-panel button[data-action=replace]")
    SYNC_API.expect(replace).to_be_enabled(timeout=180_000)
    rewrite = panel_rewrite(page)
    assert "Order #4821" not in rewrite  # only the selection was sent
    replace.click()
    value = page.input_value("#editor")
    assert value.startswith(kept + "\n") and normalise(value[len(kept) + 1:]) == normalise(rewrite)
    page.close()


def test_options_save_reload_and_test_connection(extension, service):
    context, worker = extension
    base, key = service
    extension_id = worker.url.split("/")[2]
    page = context.new_page()
    page.goto(f"chrome-extension://{extension_id}/options/options.html")
    page.fill("#serverUrl", base)
    page.fill("#apiKey", key)
    page.wait_for_function("() => document.querySelector('#style').options.length > 1", timeout=30_000)
    page.select_option("#style", "formal")
    page.fill("#sites", "example.zendesk.com")
    page.click("#save")
    SYNC_API.expect(page.locator("#status")).to_have_text("Saved.")
    page.reload()
    SYNC_API.expect(page.locator("#style")).to_have_value("formal", timeout=30_000)
    assert page.input_value("#sites") == "example.zendesk.com" and page.input_value("#apiKey") == key
    page.click("#test")
    SYNC_API.expect(page.locator("#status")).to_contain_text("Connected: model qwen2.5-coder-1.5b-instruct-q4_k_m")
    page.fill("#apiKey", "kr_wrong")
    page.click("#save")
    page.click("#test")
    SYNC_API.expect(page.locator("#status")).to_contain_text("refused the API key")
    page.close()


def test_one_source_builds_both_browsers_and_web_ext_lint_is_clean(built_extension):
    import json

    chrome = json.loads((EXTENSION / "dist" / "chrome" / "manifest.json").read_text())
    firefox = json.loads((EXTENSION / "dist" / "firefox" / "manifest.json").read_text())
    assert chrome["manifest_version"] == firefox["manifest_version"] == 3
    assert chrome["background"] == {"service_worker": "background.js"}
    assert firefox["background"] == {"scripts": ["background.js"]}
    assert firefox["browser_specific_settings"]["gecko"]["id"]
    lint = subprocess.run(["node_modules/.bin/web-ext", "lint", "--source-dir", "dist/firefox", "--self-hosted",
                           "--output", "json"], cwd=EXTENSION, capture_output=True, text=True, timeout=300)
    summary = json.loads(lint.stdout)["summary"]
    assert summary == {"errors": 0, "notices": 0, "warnings": 0}, lint.stdout[:2000]
