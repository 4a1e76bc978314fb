// The content script's story: notice the reply editor the agent is in, offer the button, and on a click
// (or the shortcut, or the context menu) stream a rewrite into the preview panel; Replace writes it back
// through the editor's own family. Nothing in the editor changes before Replace.
(() => {
  // A same-origin frame (TinyMCE's iframe) is handled by the top frame's script, whose panel has room;
  // only frames the top cannot reach run on their own.
  if (window !== window.top) {
    try {
      if (window.top.document) return;
    } catch (_) {
      /* cross-origin frame: this frame handles its own editors */
    }
  }

  const { editors } = kindreply;
  let session = null; // the rewrite in progress: {editor, selectionOnly, draft, format, panel, port, rewrite}
  let customerMessage = ""; // chosen by the agent with "Use as the customer's message"
  let enabledHere = true;

  chrome.runtime.sendMessage({ type: "sites" }).then((config) => {
    const hosts = (config.sites || "").split(/\s+/).filter(Boolean);
    enabledHere = hosts.length === 0 || hosts.some((host) => location.hostname === host || location.hostname.endsWith(`.${host}`));
  }).catch(() => {});

  // The focused element, through shadow roots and into same-origin iframes.
  function focusedElement() {
    let element = editors.deepActiveElement(document);
    while (element && element.tagName === "IFRAME") {
      let inner = null;
      try {
        inner = element.contentDocument && editors.deepActiveElement(element.contentDocument);
      } catch (_) {
        /* cross-origin: its own content script handles it */
      }
      if (!inner || inner === element.contentDocument.body && !inner.isContentEditable) return element;
      element = inner;
    }
    return element;
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

  // -- the button -----------------------------------------------------------------------------------------
  const button = document.createElement("kindreply-button");
  const buttonShadow = button.attachShadow({ mode: "open" });
  buttonShadow.innerHTML = `<style>
      button { all: initial; font: 600 12px system-ui, sans-serif; background: #2e7d6e; color: #fff; cursor: pointer;
               padding: 4px 10px; border-radius: 12px; box-shadow: 0 1px 4px rgba(0,0,0,.3); }
    </style><button type="button" title="Rewrite with kindreply (Alt+Shift+K)">✨ Rewrite</button>`;
  button.style.cssText = "position:fixed;z-index:2147483646;display:none;";
  // mousedown would take the focus (and the selection) away from the editor
  buttonShadow.querySelector("button").addEventListener("mousedown", (event) => event.preventDefault());
  buttonShadow.querySelector("button").addEventListener("click", () => start(false));
  let buttonFor = null;

  function placeButton() {
    const editor = enabledHere && !session ? editors.find(focusedElement()) : null;
    if (!editor) {
      button.style.display = "none";
      buttonFor = null;
      return;
    }
    if (!button.isConnected) document.documentElement.appendChild(button);
    const rect = pageRect(editor.root.tagName === "BODY" ? editor.root.ownerDocument.defaultView.frameElement : editor.root);
    button.style.left = `${Math.max(0, rect.right - 96)}px`;
    button.style.top = `${Math.max(0, rect.bottom - 30)}px`;
    button.style.display = "block";
    buttonFor = editor;
  }

  function watch(doc) {
    doc.addEventListener("focusin", () => setTimeout(placeButton, 0), true);
    doc.addEventListener("focusout", () => setTimeout(placeButton, 150), true);
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
    placeButton();
  }, 0));
  window.addEventListener("scroll", () => buttonFor && placeButton(), true);

  // -- a rewrite ----------------------------------------------------------------------------------------
  function siteCustomerMessage() {
    const site = kindreply.siteFor(location.hostname);
    if (!site || !site.customerMessage) return "";
    const messages = document.querySelectorAll(site.customerMessage);
    return messages.length ? messages[messages.length - 1].innerText.trim() : "";
  }

  function start(selectionOnly) {
    const editor = editors.find(focusedElement()) || buttonFor;
    if (!editor || session) return;
    const format = editor.family.format(editor.root);
    const draft = editor.family.read(editor.root, selectionOnly);
    const draftText = format === "html" ? editors.htmlToText(draft) : draft;
    session = { editor, selectionOnly, draft, draftText, format, rewrite: null, port: null };
    session.panel = new kindreply.Panel({ onReplace: replace, onRetry: run, onCancel: finish });
    placeButton();
    if (!draftText.trim()) {
      session.panel.error("The editor is empty: write your draft first, then rewrite it.", { canRetry: false });
      return;
    }
    run();
  }

  function run() {
    const current = session;
    if (current.port) current.port.disconnect();
    current.panel.working();
    const port = chrome.runtime.connect({ name: "kindreply-rewrite" });
    current.port = port;
    port.onMessage.addListener((message) => {
      if (session !== current || current.port !== port) return;
      if (message.type === "delta") current.panel.append(message.text);
      else if (message.type === "reset") current.panel.reset();
      else if (message.type === "done") received(current, message.result);
      else if (message.type === "error") current.panel.error(explain(message));
    });
    port.postMessage({ text: current.draft, format: current.format,
                       customerMessage: customerMessage || siteCustomerMessage() });
  }

  function received(current, result) {
    const html = current.format === "html" ? result.rewrite : textToHtml(result.rewrite);
    const text = current.format === "html" ? editors.htmlToText(result.rewrite) : result.rewrite;
    current.rewrite = { text, html };
    current.panel.done(current.draftText, text, result.warnings || []);
  }

  function explain(error) {
    const reasons = {
      unreachable: "Can't reach the kindreply server. Is it running? Check the server address in the extension's options (Test connection).",
      key: "The server refused the API key. Set the right key in the extension's options.",
      busy: `The server is busy${error.retryAfter ? `; try again in ${error.retryAfter} s` : "; try again in a moment"}.`,
      "too-long": "The draft is too long for the server: select a part and use the context menu's \"Rewrite the selection\".",
    };
    return reasons[error.kind] || `The rewrite failed: ${error.detail || "unknown error"}. Your draft is unchanged.`;
  }

  async function replace() {
    const current = session;
    if (!current || !current.rewrite) return;
    const landed = await current.editor.family.write(current.editor.root, current.rewrite,
                                                     { selectionOnly: current.selectionOnly });
    if (landed) {
      finish();
    } else {
      current.panel.error("This editor did not take the rewrite, and your draft is unchanged. Use Copy and paste it yourself.",
                          { copyText: current.rewrite.text });
    }
  }

  function finish() {
    if (!session) return;
    if (session.port) session.port.disconnect(); // frees the model if it is still generating
    session.panel.close();
    session = null;
    placeButton();
  }

  function textToHtml(text) {
    const escape = (s) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
    return text.split(/\n{2,}/).map((p) => `<p>${escape(p).replace(/\n/g, "<br>")}</p>`).join("");
  }

  chrome.runtime.onMessage.addListener((message) => {
    if (message.type === "command-rewrite") start(false);
    else if (message.type === "rewrite-selection") start(true);
    else if (message.type === "customer-message") customerMessage = message.text;
  });
})();
