// The content script's story: notice the reply editor the agent is in and offer the buttons; on a click (or
// the shortcut, or the context menu) check the draft's tone or stream a rewrite into the panel; Replace
// writes it through the editor (editors/), which checks what the editor then holds. Nothing in the editor
// changes before Replace, and every way a rewrite can fail ends in a said state, never a spinner.
import { findEditor, focusedElement } from "../editors/index.js";
import { htmlToText, textToHtml } from "../editors/text.js";
import { customerMessage as siteCustomerMessage } from "../sites/index.js";
import { Buttons } from "./button.js";
import { Panel } from "./panel.js";

const ACCEPT_MS = 5000; // the background answers a request at once, or it is not there
const PING_MS = 20000; // keeps an MV3 service worker awake while the server is silent (queue, long prompt)

function main() {
  // Registered content scripts and the ones the shortcut injects may meet in one frame: one is enough.
  if (globalThis.kindreplyContentScript) return;
  globalThis.kindreplyContentScript = true;
  // A same-origin frame (TinyMCE's iframe) is handled by the top frame's script, whose panel has room;
  // only frames the top cannot reach run on their own.
  if (window !== window.top) {
    try {
      if (window.top.document) return;
    } catch (_) {
      /* cross-origin frame: this frame handles its own editors */
    }
  }

  let session = null; // {editor, draft, panel, port, rewrite, streaming, timers}
  let customerMessage = ""; // chosen by the agent with "Use as the customer's message"

  // -- the buttons --------------------------------------------------------------------------------------
  const buttons = new Buttons({ rewrite: () => start("rewrite", false), coach: () => start("coach", false) });
  let buttonFor = null;

  function placeButtons() {
    const editor = session ? null : findEditor(focusedElement());
    buttonFor = editor;
    buttons.place(editor && pageRect(editor.root.tagName === "BODY" ? editor.root.ownerDocument.defaultView.frameElement : editor.root));
  }

  function watch(doc) {
    doc.addEventListener("focusin", () => setTimeout(placeButtons, 0), true);
    doc.addEventListener("focusout", () => setTimeout(placeButtons, 150), true);
  }
  watch(document);
  // Same-origin iframes (TinyMCE) keep their own focus events. Focus moving into one blurs this window
  // and makes the iframe the active element: then listen inside it too.
  window.addEventListener("blur", () => setTimeout(() => {
    const frame = document.activeElement;
    if (frame && frame.tagName === "IFRAME" && !frame.dataset.kindreplyWatched) {
      try {
        watch(frame.contentDocument);
        frame.dataset.kindreplyWatched = "1";
      } catch (_) {
        /* cross-origin: its own content script handles it */
      }
    }
    placeButtons();
  }, 0));
  window.addEventListener("scroll", () => buttonFor && placeButtons(), true);
  placeButtons(); // injected by the shortcut into a page whose editor already has the focus

  // -- a session: one draft, checked or rewritten -------------------------------------------------------
  function start(mode, selectionOnly) {
    const editor = findEditor(focusedElement()) || buttonFor;
    if (!editor) return;
    if (session) {
      if (!session.editor.sameAs(editor)) return;
      finish();
    }
    const draft = editor.capture(selectionOnly);
    const panel = new Panel({ replace, rewrite: () => run(session), undo, retry: () => run(session), close: finish });
    session = { editor, selectionOnly, draft, panel, port: null, rewrite: null, streaming: false, timers: [] };
    placeButtons();
    if (!draft.text.trim()) {
      panel.error("The editor is empty: write your draft first.", { retry: false });
      return;
    }
    if (mode === "coach") coach(session);
    else run(session);
  }

  async function coach(current) {
    current.panel.checking();
    let answer;
    try {
      answer = await chrome.runtime.sendMessage({ type: "analyze", text: current.draft.request, format: current.draft.format });
    } catch (error) {
      answer = { type: "error", kind: "extension", detail: String(error.message || error) };
    }
    if (session !== current) return;
    if (answer && answer.type === "ok") current.panel.coach(answer.data);
    else current.panel.error(explain(answer || {}), { retry: false });
  }

  function run(current) {
    stopStream(current);
    // Try again after the agent edited the draft: rewrite the draft as it is now.
    if (!current.editor.holds(current.draft.whole.text)) current.draft = current.editor.capture(current.selectionOnly);
    current.rewrite = null;
    current.panel.working();
    let port;
    try {
      port = chrome.runtime.connect({ name: "kindreply-rewrite" });
    } catch (_) {
      current.panel.error("kindreply was updated or reloaded: reload this page to use it. Your draft is unchanged.", { retry: false });
      return;
    }
    current.port = port;
    current.streaming = true;
    const failed = (error) => {
      if (session !== current || current.port !== port || !current.streaming) return;
      stopStream(current);
      current.panel.error(explain(error));
    };
    // The background says "accepted" at once, then streams; silence longer than its own limit means it
    // is gone (a stopped service worker, a frozen process).
    let watchdog = null;
    let patience = ACCEPT_MS;
    const watch = () => {
      clearTimeout(watchdog);
      watchdog = setTimeout(() => failed({ kind: "background" }), patience);
    };
    watch();
    current.timers.push(() => clearTimeout(watchdog));
    const ping = setInterval(() => {
      try {
        port.postMessage({ type: "ping" });
      } catch (_) {
        failed({ kind: "background" });
      }
    }, PING_MS);
    current.timers.push(() => clearInterval(ping));
    port.onDisconnect.addListener(() => failed({ kind: "background" }));
    port.onMessage.addListener((message) => {
      if (session !== current || current.port !== port || !current.streaming) return;
      if (message.type === "accepted") patience = message.stallMs + ACCEPT_MS;
      watch();
      if (message.type === "delta") {
        current.panel.append(message.text);
      } else if (message.type === "reset") {
        current.panel.reset();
      } else if (message.type === "done") {
        stopStream(current);
        received(current, message.result);
      } else if (message.type === "error") {
        failed(message);
      }
    });
    port.postMessage({ type: "rewrite", text: current.draft.request, format: current.draft.format,
                       customerMessage: customerMessage || siteCustomerMessage(document) });
  }

  // The stream is over (or abandoned): no more timers, and the port closed, which frees the model.
  function stopStream(current) {
    current.streaming = false;
    for (const stop of current.timers.splice(0)) stop();
    if (current.port) {
      current.port.disconnect();
      current.port = null;
    }
  }

  function received(current, result) {
    current.rewrite = current.draft.format === "html"
      ? { html: result.rewrite, text: htmlToText(result.rewrite) }
      : { text: result.rewrite, html: textToHtml(result.rewrite) };
    current.panel.done(current.draft.text, current.rewrite.text, result.warnings || []);
  }

  function explain(error) {
    const reasons = {
      unreachable: "Can't reach the kindreply server. Is it running? Check the server address in the extension's options (Test connection).",
      key: "The server refused the API key. Set the right key in the extension's options.",
      busy: `The server is busy${error.retryAfter ? `; try again in ${error.retryAfter} s` : "; try again in a moment"}.`,
      "too-long": "The draft is too long for the server: select a part and use the context menu's \"Rewrite the selection\".",
      cut: "The server stopped before the rewrite was finished.",
      stalled: `The server stopped answering (${error.detail || "no answer"}).`,
      protocol: `The server's answer could not be read (${error.detail}).`,
      background: "The extension's background stopped during the rewrite (the browser may have ended it).",
      extension: `The extension could not ask the server (${error.detail}).`,
    };
    const reason = reasons[error.kind] || `The server failed${error.status ? ` (HTTP ${error.status})` : ""}: ${error.detail || "no detail"}.`;
    return `${reason} Your draft is unchanged.`;
  }

  // -- Replace, its check, and its undo --------------------------------------------------------------
  const SHAPES = {
    both: "put the rewrite next to your draft",
    partial: "changed only part of your draft",
    empty: "emptied itself",
  };

  async function replace() {
    const current = session;
    if (!current || !current.rewrite) return;
    current.panel.busy("Replacing…");
    const outcome = await current.editor.replace(current.draft, current.rewrite);
    if (session !== current) return;
    const copy = current.rewrite.text;
    if (outcome.result === "replaced") {
      current.panel.replaced("Replaced. Ctrl+Z in the editor brings your draft back, and so does Undo rewrite here.");
      followEdits(current);
    } else if (outcome.result === "unchanged") {
      current.panel.error("This editor did not take the rewrite; your draft is unchanged (checked). Copy the rewrite and paste it yourself.", { retry: false, copy });
    } else if (outcome.result === "not-selected") {
      current.panel.error("This editor would not let kindreply select your draft, so nothing was changed (checked). Copy the rewrite and paste it yourself.", { retry: false, copy });
    } else if (outcome.result === "draft-changed") {
      current.panel.error("Your draft changed after the rewrite was made, so kindreply did not replace it. Try again to rewrite the draft as it is now.", { copy });
    } else if (outcome.restored) {
      current.panel.error(`This editor ${SHAPES[outcome.shape]} instead of replacing it. kindreply put your draft back (checked: the editor holds your draft again). Copy the rewrite and paste it yourself.`, { retry: false, copy });
    } else {
      current.panel.error(`This editor ${SHAPES[outcome.shape]} instead of replacing it, and kindreply could not put your draft back: the editor now holds text that is neither your draft nor the rewrite. Copy your draft or the rewrite and paste it over the editor's text.`,
                          { retry: false, copy, copyDraft: current.draft.whole.text });
    }
  }

  // While the panel offers Undo rewrite, the editor must still hold the rewrite: once the agent edits
  // (or presses Ctrl+Z), the panel's part is over.
  function followEdits(current) {
    const doc = current.editor.root.ownerDocument;
    const replacedText = current.editor.family.text(current.editor.root);
    const check = (event) => {
      if (!event.isTrusted || session !== current) return;
      setTimeout(() => {
        if (session === current && !current.editor.holds(replacedText)) finish();
      }, 300);
    };
    for (const type of ["keydown", "input", "paste", "drop", "cut"]) doc.addEventListener(type, check, true);
    current.timers.push(() => {
      for (const type of ["keydown", "input", "paste", "drop", "cut"]) doc.removeEventListener(type, check, true);
    });
    current.replacedText = replacedText;
  }

  async function undo() {
    const current = session;
    if (!current || !current.replacedText) return;
    for (const stop of current.timers.splice(0)) stop();
    if (!current.editor.holds(current.replacedText)) {
      current.panel.error("The editor changed after Replace, so Undo rewrite would lose that: use Ctrl+Z in the editor.", { retry: false });
      return;
    }
    current.panel.busy("Bringing your draft back…");
    const outcome = await current.editor.restore(current.draft);
    if (session !== current) return;
    current.replacedText = null;
    if (outcome.result === "restored") {
      current.panel.restored("Your draft is back (checked).");
    } else {
      current.panel.error("kindreply could not bring your draft back: the editor holds text that is neither your draft nor the rewrite. Copy your draft and paste it over the editor's text.",
                          { retry: false, copy: current.rewrite.text, copyDraft: current.draft.whole.text });
    }
  }

  function finish() {
    if (!session) return;
    stopStream(session);
    session.panel.close();
    session = null;
    placeButtons();
  }

  chrome.runtime.onMessage.addListener((message, _sender, reply) => {
    if (message.type === "ping") {
      reply(true);
      return;
    }
    if (window !== window.top && !document.hasFocus()) return; // every frame gets the message; the focused one acts
    if (message.type === "command-rewrite") start("rewrite", false);
    else if (message.type === "rewrite-selection") start("rewrite", true);
    else if (message.type === "customer-message") customerMessage = message.text;
  });
}

// Where on this page an element is (an element inside an iframe is offset by its frame).
function pageRect(element) {
  const rect = element.getBoundingClientRect();
  let left = rect.left;
  let top = rect.top;
  let view = element.ownerDocument.defaultView;
  while (view && view !== window && view.frameElement) {
    const frame = view.frameElement.getBoundingClientRect();
    left += frame.left;
    top += frame.top;
    view = view.parent;
  }
  return { left, top, right: left + rect.width, bottom: top + rect.height };
}

main();
