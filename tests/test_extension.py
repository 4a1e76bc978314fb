"""The browser extension in a real Chromium, in real editors from npm.

Most tests run against a stand-in for the service (``tests/extension_standin.py``): it streams a known rewrite in the
service's own protocol, and can cut the stream, fail with 500 or stall, so each editor's spec takes seconds.
One spec over every editor: the buttons appear, the preview streams, Replace puts the rewrite into the
editor's own model (read back through the editor's API), the page's submit handler sees it, Ctrl+Z gives
the draft back, the editor stays editable, and the page logs no error; a cut stream and a 500 end in a said
error with the draft untouched. Then the faults no editor spec reaches (an editor that appends, one that
ignores a paste, one whose history cannot undo), the stream's other ends (stall, error event, a stopped
service worker), the shortcut, the context menu, the tone coaching, the options, where the content script
runs, and the build. The tests marked ``model`` run one editor of each family against the real service and
the real model.
"""

from __future__ import annotations

import dataclasses
import functools
import http.server
import json
import re
import shutil
import subprocess
import threading
import time
from pathlib import Path

import pytest
from playwright import sync_api as SYNC_API

from kindreply.keys import KeyStore
from kindreply.http.schemas import AnalyzeResponseSchema, ProblemSchema, RewriteResponseSchema
from tests.conftest import free_port, running_server
from tests.extension_standin import REWRITE_HTML, REWRITE_TEXT, StandIn, sse

ROOT = Path(__file__).resolve().parents[1]
EXTENSION = ROOT / "extension"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
KEY = "kr_stand_in_key"
expect = SYNC_API.expect


def canon(text: str) -> str:
    """Text without the whitespace editors render differently (as the extension compares it)."""
    return re.sub(r"[\s\u00a0\u200b-\u200d\u2060\ufeff]+", "", text or "")


def html_text(html: str) -> str:
    return re.sub(r"<[^>]+>", " ", html).replace("&nbsp;", " ").replace("&amp;", "&").replace("&#39;", "'")


def eventually(check, timeout: float = 5.0):
    """The value of ``check()`` once it is truthy; fails with the last value after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value or time.monotonic() > deadline:
            assert value, value
            return value
        time.sleep(0.1)


# -- the editors ------------------------------------------------------------------------------------------

@dataclasses.dataclass(frozen=True)
class Editor:
    page: str
    selector: str  # where the agent clicks to type
    format: str = "html"  # what the extension sends: html for rich editors, text for a textarea
    lists: bool = True  # the rewrite's list survives as a list in the editor's model
    customer: str = ""  # the customer's message the site adapter finds on the page

    def __str__(self):
        return self.page


EDITORS = [
    Editor("textarea", "#editor", format="text", lists=False),
    Editor("contenteditable", "#editor"),
    Editor("gmail", "#editor"),
    Editor("ckeditor", ".ck-editor__editable"),
    Editor("tiptap", ".ProseMirror"),
    Editor("quill", ".ql-editor"),
    Editor("tinymce", "iframe >> internal:control=enter-frame >> body#tinymce"),  # TinyMCE edits inside an iframe
    Editor("summernote", ".note-editable", customer="Where is my refund for order #4821?"),  # as in FreeScout
    Editor("froala", ".fr-element"),  # Freshdesk
    Editor("jodit", ".jodit-wysiwyg"),
    Editor("lexical", ".editor-input"),  # React
    Editor("slate", "[data-slate-editor]", lists=False),  # React, controlled; takes a paste as text
]
BY_NAME = {editor.page: editor for editor in EDITORS}

TEXT_DRAFT = "We can't refund order #4821. The window ended on 12 March. Nothing we can do."
RICH_DRAFT = "<p>We can't refund order <strong>#4821</strong>. Do this instead:</p><ul><li>open Settings</li><li>click Reset</li></ul>"
# with the real model: a blaming clause, so that the model edits while the preview streams (a blunt refusal
# alone is said with regret by rule, at once, and the preview would never show the streaming status)
MODEL_TEXT_DRAFT = "You missed the 30-day window, so we can't refund order #4821. The window ended on 12 March."
MODEL_RICH_DRAFT = ("<p>You missed the 30-day window, so we can't refund order <strong>#4821</strong>. Do this instead:</p>"
                    "<ul><li>open Settings</li><li>click Reset</li></ul>")
TYPED = " Ana"  # the agent's own typing at the end of the draft, which Ctrl+Z after Replace must keep


def expected_rewrite(editor: Editor) -> str:
    return REWRITE_TEXT if editor.format == "text" else html_text(REWRITE_HTML)


# -- fixtures -------------------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def built_extension():
    subprocess.run(["node", "build.mjs"], cwd=EXTENSION, check=True, capture_output=True)
    subprocess.run(["npm", "run", "-s", "test-pages"], cwd=EXTENSION, check=True, capture_output=True)
    return EXTENSION / "dist" / "chrome"


@pytest.fixture(scope="session")
def pages():
    """The test pages and the editors' npm packages, served from extension/ on loopback (any 127.x address)."""
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(EXTENSION))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("0.0.0.0", free_port()), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/test-pages"
    server.shutdown()


@pytest.fixture(scope="session")
def stand_in_service():
    service = StandIn(key=KEY)
    yield service
    service.close()


@pytest.fixture
def stand_in(stand_in_service):
    stand_in_service.reset()
    yield stand_in_service
    stand_in_service.reset()


@pytest.fixture(scope="session")
def browser(built_extension, tmp_path_factory):
    with SYNC_API.sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("profile")), executable_path=CHROMIUM, headless=True,
            args=["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--disable-quic",
                  f"--disable-extensions-except={built_extension}", f"--load-extension={built_extension}"])
        if not context.service_workers:
            context.wait_for_event("serviceworker")
        yield context
        context.close()


def worker(context):
    """The extension's service worker, woken if the browser stopped it."""
    for candidate in reversed(context.service_workers):
        try:
            candidate.evaluate("() => 1")
            return candidate
        except SYNC_API.Error:
            continue
    with context.expect_event("serviceworker", timeout=15_000) as started:
        page = context.new_page()
        page.goto(f"chrome-extension://{extension_id(context)}/options/options.html")
    page.close()
    return started.value


@functools.cache
def _extension_id(url: str) -> str:
    return url.split("/")[2]


def extension_id(context) -> str:
    return _extension_id(context.service_workers[0].url) if context.service_workers else _extension_id(
        context.background_pages[0].url)


def configure(context, **settings):
    """Set the extension's settings (the key in storage.local, the rest in storage.sync), then wait until the
    content script's registration follows them."""
    local = {"apiKey": settings.pop("apiKey")} if "apiKey" in settings else {}
    sw = worker(context)
    sw.evaluate("async ([sync, local]) => { await chrome.storage.sync.set(sync); await chrome.storage.local.set(local);"
                " await self.kindreplySyncContentScripts(); }", [settings, local])
    return sw


@pytest.fixture
def extension(browser, stand_in):
    """The browser with the extension set for the stand-in, running on 127.0.0.1 (the test pages' host)."""
    configure(browser, serverUrl=stand_in.url, apiKey=KEY, style="", sites="http://127.0.0.1", stallSeconds=90)
    yield browser
    for page in browser.pages:
        page.close()


class EditorPage:
    """A test page with its editor ready, recording the page's console errors."""

    def __init__(self, context, pages: str, editor: Editor, query: str = ""):
        self.editor = editor
        self.errors: list[str] = []
        self.page = context.new_page()
        self.page.on("console", lambda message: message.type == "error" and self.errors.append(message.text))
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.goto(f"{pages}/{editor.page}.html{query}")
        self.page.wait_for_function("() => window.ready !== undefined", timeout=30_000)
        self.page.evaluate("() => window.ready")
        self.page.bring_to_front()

    def write_draft(self, text: str = TEXT_DRAFT, rich: str = RICH_DRAFT) -> str:
        """The draft as the helpdesk loads it, then the agent's typing at its end; returns the editor's text."""
        self.page.evaluate("(draft) => window.setDraft(draft)", text if self.editor.format == "text" else rich)
        self.type_at_end(TYPED)
        return self.text()

    def type_at_end(self, text: str):
        self.page.click(self.editor.selector)
        self.page.wait_for_timeout(100)  # as a person would: editors take the new selection in a later task
        self.page.keyboard.press("Control+End")
        self.page.wait_for_timeout(100)
        self.page.keyboard.type(text)
        self.page.wait_for_timeout(300)  # editors that record history after a pause (Jodit, Summernote) see it

    def text(self) -> str:
        return self.page.evaluate("() => window.readEditorText()")

    def html(self) -> str:
        return self.page.evaluate("() => window.readEditor()")

    def panel(self, part: str = ""):
        return self.page.locator(f"kindreply-panel {part}".strip())

    def status(self):
        return self.panel(".status")

    def button(self, action: str):
        return self.panel(f"button[data-action={action}]")

    def preview(self) -> str:
        """The rewrite shown in the panel: the diff view without the removed words."""
        return self.page.evaluate("""() => {
            const preview = document.querySelector('kindreply-panel').shadowRoot.querySelector('.preview').cloneNode(true);
            preview.querySelectorAll('del').forEach((d) => d.remove());
            return preview.textContent;
        }""")

    def click_rewrite(self):
        self.page.click(self.editor.selector)
        button = self.page.locator("kindreply-button button[data-action=rewrite]")
        button.wait_for(state="visible", timeout=10_000)
        button.click()

    def rewrite(self, timeout: float = 30_000) -> str:
        """Rewrite with the button; the preview once Replace can be used."""
        self.click_rewrite()
        # the preview streams: the status counts words while the rewrite is still coming
        expect(self.status()).to_have_text(re.compile(r"Rewriting… \d+ words"), timeout=timeout)
        expect(self.button("replace")).to_be_enabled(timeout=timeout)
        return self.preview()


def open_editor(context, pages, editor: Editor | str, query: str = "") -> EditorPage:
    return EditorPage(context, pages, BY_NAME[editor] if isinstance(editor, str) else editor, query)


# -- every editor ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("editor", EDITORS, ids=str)
def test_replace_goes_into_the_editors_model_and_ctrl_z_gives_the_draft(extension, pages, stand_in, editor):
    page = open_editor(extension, pages, editor)
    draft = page.write_draft()
    assert "#4821" in draft and TYPED.strip() in draft

    preview = page.rewrite()
    assert canon(preview) == canon(expected_rewrite(editor))
    request = stand_in.requests[-1]["body"]
    assert request["format"] == editor.format and "#4821" in request["text"] and TYPED.strip() in request["text"]
    assert request.get("customer_message", "") == editor.customer

    page.button("replace").click()
    expect(page.status()).to_contain_text("Replaced.", timeout=10_000)
    # read back through the editor's own API: its model, not the DOM
    assert canon(page.text()) == canon(expected_rewrite(editor)), page.text()
    if editor.lists:
        assert "<li" in page.html()  # the rewrite arrived as formatted HTML, not one run of text
    page.page.evaluate("() => document.querySelector('form').requestSubmit()")  # the helpdesk's Send, focus kept
    submitted = page.page.evaluate("() => window.submitted.at(-1)")
    assert canon(html_text(submitted)) == canon(expected_rewrite(editor))

    # the focus is still in the editor (the panel never takes it): the agent's next Ctrl+Z
    page.page.keyboard.press("Control+z")
    eventually(lambda: canon(page.text()) == canon(draft), timeout=3)  # one step, to the draft with the agent's typing
    expect(page.panel()).to_have_count(0)  # the agent has moved on: the panel's undo is no longer needed

    page.type_at_end(" XYZ")  # still an editor that takes typing, into its model
    assert "XYZ" in page.text() and "#4821" in page.text()
    assert page.errors == []


@pytest.mark.parametrize("fault, said", [
    ("cut", "The server stopped before the rewrite was finished. Your draft is unchanged."),
    ("500", "The server failed (HTTP 500): The rewrite failed; the draft was not changed.. Your draft is unchanged."),
])
@pytest.mark.parametrize("editor", EDITORS, ids=str)
def test_a_cut_stream_or_a_500_ends_in_a_said_error_with_the_draft_untouched(extension, pages, stand_in, editor, fault, said):
    stand_in.behave(fault)
    page = open_editor(extension, pages, editor)
    draft = page.write_draft()
    html = page.html()
    started = time.monotonic()
    page.click_rewrite()
    expect(page.status()).to_have_text(said, timeout=5_000)
    assert time.monotonic() - started < 5
    expect(page.button("replace")).to_be_hidden()
    expect(page.button("retry")).to_be_visible()
    assert page.text() == draft and page.html() == html
    assert page.errors == []


@pytest.mark.parametrize("editor", EDITORS, ids=str)
def test_undo_rewrite_in_the_panel_gives_the_draft_and_replace_works_again(extension, pages, editor):
    page = open_editor(extension, pages, editor)
    draft = page.write_draft()
    page.rewrite()
    page.button("replace").click()
    expect(page.status()).to_contain_text("Replaced.", timeout=10_000)
    page.button("undo").click()
    expect(page.status()).to_have_text("Your draft is back (checked).", timeout=10_000)
    assert canon(page.text()) == canon(draft)
    page.button("replace").click()
    expect(page.status()).to_contain_text("Replaced.", timeout=10_000)
    assert canon(page.text()) == canon(expected_rewrite(editor))
    assert page.errors == []


# -- editors that get it wrong: verify and repair ------------------------------------------------------

def test_an_editor_that_appends_the_rewrite_gets_the_draft_back_and_the_agent_is_told(extension, pages):
    page = open_editor(extension, pages, Editor("faulty", "#editor"), "?bug=append")
    draft = page.write_draft()
    page.rewrite()
    page.button("replace").click()
    expect(page.status()).to_have_text(
        "This editor put the rewrite next to your draft instead of replacing it. kindreply put your draft back "
        "(checked: the editor holds your draft again). Copy the rewrite and paste it yourself.", timeout=10_000)
    assert canon(page.text()) == canon(draft)  # not the draft and the rewrite, which sending would send
    expect(page.button("copy")).to_be_enabled()


def test_an_editor_that_ignores_the_paste_is_said_to_be_unchanged_and_nothing_is_undone(extension, pages):
    page = open_editor(extension, pages, Editor("faulty", "#editor"), "?bug=ignore")
    draft = page.write_draft()
    page.rewrite()
    page.button("replace").click()
    expect(page.status()).to_have_text(
        "This editor did not take the rewrite; your draft is unchanged (checked). Copy the rewrite and paste it yourself.",
        timeout=10_000)
    assert page.text() == draft  # the agent's typing is still there: nothing was undone
    expect(page.button("copy")).to_be_enabled()


def test_where_the_editors_history_cannot_undo_undo_rewrite_restores_the_draft(extension, pages):
    page = open_editor(extension, pages, Editor("faulty", "#editor"), "?bug=no-undo")
    draft = page.write_draft()
    page.rewrite()
    page.button("replace").click()
    expect(page.status()).to_contain_text("Replaced.", timeout=10_000)
    page.page.keyboard.press("Control+z")  # this editor's history does nothing
    page.page.wait_for_timeout(500)
    assert canon(page.text()) == canon(html_text(REWRITE_HTML))
    page.button("undo").click()
    expect(page.status()).to_have_text("Your draft is back (checked).", timeout=10_000)
    assert canon(page.text()) == canon(draft)
    expect(page.button("replace")).to_be_enabled()  # and the rewrite can go in again


def test_a_draft_edited_during_the_rewrite_is_not_replaced(extension, pages, stand_in):
    stand_in.behave(delay=0.15)
    page = open_editor(extension, pages, "tiptap")
    page.write_draft()
    page.click_rewrite()
    page.type_at_end(" and more")
    expect(page.button("replace")).to_be_enabled(timeout=15_000)
    edited = page.text()
    page.button("replace").click()
    expect(page.status()).to_contain_text("Your draft changed after the rewrite was made", timeout=10_000)
    assert page.text() == edited
    page.button("retry").click()  # rewrites the draft as it is now
    expect(page.button("replace")).to_be_enabled(timeout=15_000)
    assert "and more" in stand_in.requests[-1]["body"]["text"]
    page.button("replace").click()
    expect(page.status()).to_contain_text("Replaced.", timeout=10_000)


# -- how a stream can end -------------------------------------------------------------------------------

def test_a_stalled_server_ends_in_an_error_after_the_silence_limit(extension, pages, stand_in):
    configure(extension, stallSeconds=2)
    stand_in.behave("stall")
    page = open_editor(extension, pages, "quill")
    draft = page.write_draft()
    page.click_rewrite()
    expect(page.status()).to_contain_text("Rewriting…")
    expect(page.status()).to_have_text("The server stopped answering (no answer for 2 s). Your draft is unchanged.", timeout=6_000)
    assert page.text() == draft


def test_an_error_event_and_a_reset_are_shown_as_the_service_means_them(extension, pages, stand_in):
    stand_in.behave("error-event")
    page = open_editor(extension, pages, "textarea")
    draft = page.write_draft()
    page.click_rewrite()
    expect(page.status()).to_have_text(
        "The server failed (HTTP 500): The rewrite failed; the draft was not changed.. Your draft is unchanged.")
    stand_in.behave("reset", delay=0.1)
    page.button("retry").click()
    expect(page.panel(".preview")).to_contain_text("I'M SORRY")  # the first attempt, streaming
    expect(page.button("replace")).to_be_enabled(timeout=15_000)
    assert "I'M" not in page.preview() and canon(page.preview()) == canon(REWRITE_TEXT)  # reset cleared it
    assert page.text() == draft


def test_a_service_worker_stopped_mid_stream_ends_in_an_error_within_seconds(extension, pages, stand_in):
    stand_in.behave("stall")
    page = open_editor(extension, pages, "gmail")
    draft = page.write_draft()
    page.click_rewrite()
    expect(page.status()).to_contain_text("Rewriting… 4 words")
    cdp = extension.new_cdp_session(page.page)
    cdp.send("ServiceWorker.enable")
    cdp.send("ServiceWorker.stopAllWorkers")
    expect(page.status()).to_have_text(
        "The extension's background stopped during the rewrite (the browser may have ended it). Your draft is unchanged.",
        timeout=7_000)
    assert page.text() == draft
    stand_in.release.set()
    # and the next rewrite works: the worker starts again
    stand_in.behave("ok")
    page.button("retry").click()
    expect(page.button("replace")).to_be_enabled(timeout=15_000)


def test_cancel_during_the_stream_closes_the_connection_which_frees_the_model(extension, pages, stand_in):
    stand_in.behave("stall")
    page = open_editor(extension, pages, "ckeditor")
    draft = page.write_draft()
    page.click_rewrite()
    expect(page.status()).to_contain_text("Rewriting… 4 words")
    page.button("close").click()
    expect(page.panel()).to_have_count(0)
    assert stand_in.disconnected.wait(3)
    assert page.text() == draft


def test_a_wrong_key_and_a_stopped_server_are_said_and_keep_the_draft(extension, pages):
    configure(extension, apiKey="kr_wrong")
    page = open_editor(extension, pages, "textarea")
    draft = page.write_draft()
    page.click_rewrite()
    expect(page.status()).to_contain_text("refused the API key")
    configure(extension, serverUrl=f"http://127.0.0.1:{free_port()}")
    page.button("retry").click()
    expect(page.status()).to_contain_text("Can't reach the kindreply server")
    assert page.text() == draft


# -- shortcut, context menu, customer message ---------------------------------------------------------

def test_the_keyboard_command_opens_the_preview_and_cancel_changes_nothing(extension, pages, stand_in):
    page = open_editor(extension, pages, "gmail")
    draft = page.write_draft()
    worker(extension).evaluate("() => self.kindreplyRewriteCommand()")
    expect(page.button("replace")).to_be_enabled(timeout=15_000)
    page.button("close").click()
    expect(page.panel()).to_have_count(0)
    assert page.text() == draft


@pytest.mark.parametrize("editor", ["textarea", "tiptap"])
def test_the_context_menu_rewrites_only_the_selection(extension, pages, stand_in, editor):
    page = open_editor(extension, pages, editor)
    kept = "Order #4821 was shipped on 3 May."
    text = f"{kept}\nWe can't refund it. Nothing we can do."
    page.page.evaluate("(draft) => window.setDraft(draft)", text if editor == "textarea" else
                       f"<p>{kept}</p><p>We can't refund it. Nothing we can do.</p>")
    page.page.click(page.editor.selector)
    page.page.evaluate("""() => {
        const e = document.querySelector('textarea#editor');
        if (e) { e.setSelectionRange(e.value.indexOf('We'), e.value.length); return; }
        const p = document.querySelectorAll('.ProseMirror p')[1];
        getSelection().selectAllChildren(p);
    }""")
    stand_in.behave(text="Sorry, we can't refund this order.", html="<p>Sorry, we can't refund this order.</p>")
    worker(extension).evaluate("async () => { const [tab] = await chrome.tabs.query({active: true, currentWindow: true});"
                               " await self.kindreplyContextMenu({menuItemId: 'rewrite-selection', frameId: 0}, tab); }")
    expect(page.button("replace")).to_be_enabled(timeout=15_000)
    assert kept not in stand_in.requests[-1]["body"]["text"]  # only the selection was sent
    page.button("replace").click()
    expect(page.status()).to_contain_text("Replaced.", timeout=10_000)
    assert canon(page.text()) == canon(f"{kept} Sorry, we can't refund this order.")


def test_a_chosen_customer_message_goes_with_the_draft(extension, pages, stand_in):
    page = open_editor(extension, pages, "textarea")
    page.write_draft()
    worker(extension).evaluate("async () => { const [tab] = await chrome.tabs.query({active: true, currentWindow: true});"
                               " await self.kindreplyContextMenu({menuItemId: 'customer-message', frameId: 0,"
                               " selectionText: 'My parcel never came.'}, tab); }")
    page.rewrite()
    assert stand_in.requests[-1]["body"]["customer_message"] == "My parcel never came."


# -- coaching -------------------------------------------------------------------------------------------

def test_check_tone_shows_the_analysers_flags_on_the_draft_phrase_by_phrase(extension, pages, stand_in):
    page = open_editor(extension, pages, "contenteditable")
    page.page.evaluate("(d) => window.setDraft(d)", "<p>As I already said, we can't refund you!!</p>")
    page.page.click("#editor")
    page.page.locator("kindreply-button button[data-action=coach]").click()
    expect(page.panel(".flags li")).to_have_count(3)
    items = page.panel(".flags li").all_inner_texts()
    assert items[0].startswith("As I already said Blames the customer.") and "Describe the situation" in items[0]
    assert any(item.startswith("we can't Negative framing.") for item in items)
    expect(page.panel(".preview mark")).to_have_count(3)
    assert page.panel(".preview mark").first.inner_text() == "As I already said"
    expect(page.status()).to_contain_text("3 phrases may hurt this reply")
    assert stand_in.requests == []  # no rewrite asked for: coaching alone
    page.button("rewrite").click()  # and then a rewrite, from the same panel
    expect(page.button("replace")).to_be_enabled(timeout=15_000)
    assert stand_in.requests[-1]["body"]["text"] == "<p>As I already said, we can't refund you!!</p>"


# -- where the content script runs, and the settings -----------------------------------------------------

def test_the_content_script_runs_only_on_listed_sites(extension, pages):
    registered = worker(extension).evaluate("() => chrome.scripting.getRegisteredContentScripts()")
    assert [script["matches"] for script in registered] == [["http://127.0.0.1/*"]]
    manifest = json.loads((EXTENSION / "dist" / "chrome" / "manifest.json").read_text())
    assert "content_scripts" not in manifest  # nothing on every page

    other = pages.replace("127.0.0.1", "localhost")  # the same page on a host that is not listed
    page = open_editor(extension, other, "textarea")
    page.write_draft()
    page.page.wait_for_timeout(500)
    assert page.page.locator("kindreply-button").count() == 0

    configure(extension, sites="")
    assert worker(extension).evaluate("() => chrome.scripting.getRegisteredContentScripts()") == []
    page = open_editor(extension, pages, "textarea")
    page.write_draft()
    page.page.wait_for_timeout(500)
    assert page.page.locator("kindreply-button").count() == 0
    # the shortcut still works there: it runs the script in that tab, then
    worker(extension).evaluate("() => self.kindreplyRewriteCommand()")
    expect(page.button("replace")).to_be_enabled(timeout=15_000)


def test_options_keep_the_key_out_of_sync_and_test_the_connection(extension, stand_in):
    sw = worker(extension)
    sw.evaluate("async () => { await chrome.storage.local.remove('apiKey');"
                " await chrome.storage.sync.set({apiKey: 'kr_old_synced_key'}); }")  # as versions before 0.2 kept it
    page = extension.new_page()
    page.goto(f"chrome-extension://{extension_id(extension)}/options/options.html")
    expect(page.locator("#apiKey")).to_have_value("kr_old_synced_key")  # moved, not lost
    page.fill("#serverUrl", stand_in.url)
    page.fill("#apiKey", KEY)
    page.fill("#sites", "http://127.0.0.1\nexample zendesk")
    page.click("#save")
    expect(page.locator("#status")).to_contain_text("Not saved: \"example zendesk\" is not a host name")
    page.fill("#sites", "http://127.0.0.1")
    page.fill("#stallSeconds", "30")
    page.click("#save")
    expect(page.locator("#status")).to_have_text("Saved.")
    page.wait_for_function("() => document.querySelector('#style').options.length > 1", timeout=10_000)  # with the new key
    page.select_option("#style", "formal")
    page.click("#save")
    expect(page.locator("#status")).to_have_text("Saved.")
    expect(page.locator("#running")).to_have_text("Runs on: http://127.0.0.1/*")
    assert sw.evaluate("() => chrome.storage.local.get('apiKey')") == {"apiKey": KEY}
    assert "apiKey" not in sw.evaluate("() => chrome.storage.sync.get(null)")
    page.reload()
    expect(page.locator("#style")).to_have_value("formal", timeout=10_000)
    assert page.input_value("#sites") == "http://127.0.0.1" and page.input_value("#apiKey") == KEY
    assert page.input_value("#stallSeconds") == "30"
    page.click("#test")
    expect(page.locator("#status")).to_contain_text("Connected: model stand-in-model, 2 styles.")
    page.fill("#apiKey", "kr_wrong")
    page.click("#save")
    page.click("#test")
    expect(page.locator("#status")).to_contain_text("refused the API key")


# -- the stand-in speaks the service's protocol ---------------------------------------------------------

def test_the_stand_in_answers_in_the_services_own_schemas(stand_in):
    import requests

    headers = {"Authorization": f"Bearer {KEY}"}
    stream = requests.post(f"{stand_in.url}/v1/rewrite", json={"text": "We can't.", "format": "html"},
                           headers=headers, timeout=10)
    assert stream.headers["Content-Type"].startswith("text/event-stream")
    events = [(m.group(1), json.loads(m.group(2))) for m in re.finditer(r"event: (\w+)\ndata: (.*)\n\n", stream.text)]
    assert {name for name, _ in events} == {"delta", "done"} and events[-1][0] == "done"
    assert RewriteResponseSchema().validate(events[-1][1]) == {}
    assert stream.text.encode() == b"".join(sse(name, data) for name, data in events)  # framed byte for byte
    stand_in.behave("500")
    failed = requests.post(f"{stand_in.url}/v1/rewrite", json={"text": "x"}, headers=headers, timeout=10)
    assert failed.status_code == 500 and ProblemSchema().validate(failed.json()) == {}
    analysis = requests.post(f"{stand_in.url}/v1/analyze", json={"text": "As I already said, no."}, headers=headers, timeout=10)
    assert AnalyzeResponseSchema().validate(analysis.json()) == {} and analysis.json()["flags"]
    assert requests.get(f"{stand_in.url}/v1/styles", timeout=10).status_code == 401


def test_one_source_builds_both_browsers_and_web_ext_lint_is_clean(built_extension):
    chrome = json.loads((EXTENSION / "dist" / "chrome" / "manifest.json").read_text())
    firefox = json.loads((EXTENSION / "dist" / "firefox" / "manifest.json").read_text())
    assert chrome["manifest_version"] == firefox["manifest_version"] == 3
    assert chrome["background"] == {"service_worker": "background.js"}
    assert firefox["background"] == {"scripts": ["background.js"]}
    assert firefox["browser_specific_settings"]["gecko"]["id"]
    # bundles, not a list of scripts sharing globals
    assert sorted(p.name for p in (EXTENSION / "dist" / "chrome").glob("*.js")) == ["background.js", "content.js"]
    lint = subprocess.run(["node_modules/.bin/web-ext", "lint", "--source-dir", "dist/firefox", "--self-hosted",
                           "--output", "json"], cwd=EXTENSION, capture_output=True, text=True, timeout=300)
    summary = json.loads(lint.stdout)["summary"]
    assert summary == {"errors": 0, "notices": 0, "warnings": 0}, lint.stdout[:2000]


# -- the real service and the real model: one editor of each family ---------------------------------------

@pytest.fixture(scope="session")
def service(tmp_path_factory):
    keys = tmp_path_factory.mktemp("keys") / "keys.json"
    key, _ = KeyStore(keys).add("extension-tests")
    with running_server(KINDREPLY_KEYS_FILE=str(keys), KINDREPLY_RATE_LIMIT="1000/minute") as base:
        yield base, key


@pytest.mark.model
@pytest.mark.parametrize("editor", ["textarea", "gmail", "ckeditor", "tinymce", "jodit", "lexical"])
def test_with_the_real_model_replace_and_undo(browser, service, pages, editor):
    base, key = service
    configure(browser, serverUrl=base, apiKey=key, style="", sites="http://127.0.0.1", stallSeconds=180)
    page = open_editor(browser, pages, editor)
    draft = page.write_draft(MODEL_TEXT_DRAFT, MODEL_RICH_DRAFT)
    preview = page.rewrite(timeout=180_000)
    assert "#4821" in preview and canon(preview) != canon(draft)
    page.button("replace").click()
    expect(page.status()).to_contain_text("Replaced.", timeout=10_000)
    assert canon(page.text()) == canon(preview)
    page.page.keyboard.press("Control+z")
    eventually(lambda: canon(page.text()) == canon(draft), timeout=3)
    assert page.errors == []
    page.page.close()
