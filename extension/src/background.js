// The only part of the extension that talks to the kindreply server. Content scripts ask through a port
// (rewrites, streamed) or a message (styles, analyze, test connection); calls leave from here, with the
// extension's host permissions, so page CORS and private-network rules never apply.

const DEFAULTS = { serverUrl: "http://127.0.0.1:8080", apiKey: "", style: "", sites: "" };

async function settings() {
  return { ...DEFAULTS, ...(await chrome.storage.sync.get(Object.keys(DEFAULTS))) };
}

function headers(apiKey, accept = "application/json") {
  const result = { "Content-Type": "application/json", Accept: accept };
  if (apiKey) result.Authorization = `Bearer ${apiKey}`;
  return result;
}

// An HTTP failure as the content script shows it: a kind it can explain, the server's own detail.
async function failure(response) {
  let detail = "";
  try {
    detail = (await response.json()).detail || "";
  } catch (_) {
    /* not problem+json: the status says enough */
  }
  const kind = { 401: "key", 413: "too-long", 429: "busy", 503: "busy" }[response.status] || "error";
  return { type: "error", kind, status: response.status, detail, retryAfter: Number(response.headers.get("Retry-After")) || null };
}

// Reads a text/event-stream body and calls onEvent(name, data) for each event.
async function readEvents(body, onEvent) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += value;
    let end;
    while ((end = buffer.indexOf("\n\n")) !== -1) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let name = "message";
      const data = [];
      for (const line of block.split("\n")) {
        if (line.startsWith("event: ")) name = line.slice(7);
        else if (line.startsWith("data: ")) data.push(line.slice(6));
      }
      onEvent(name, JSON.parse(data.join("\n") || "{}"));
    }
  }
}

async function rewrite(port, request) {
  const config = await settings();
  const controller = new AbortController();
  port.onDisconnect.addListener(() => controller.abort()); // Cancel, or the tab went away: free the model
  let response;
  try {
    response = await fetch(`${config.serverUrl}/v1/rewrite`, {
      method: "POST",
      headers: headers(config.apiKey, "text/event-stream"),
      body: JSON.stringify({
        text: request.text,
        format: request.format,
        ...(config.style ? { style: config.style } : {}),
        ...(request.customerMessage ? { customer_message: request.customerMessage } : {}),
      }),
      signal: controller.signal,
    });
  } catch (error) {
    if (!controller.signal.aborted) port.postMessage({ type: "error", kind: "unreachable", detail: String(error) });
    return;
  }
  if (!response.ok) {
    port.postMessage(await failure(response));
    return;
  }
  try {
    await readEvents(response.body, (name, data) => {
      if (name === "delta") port.postMessage({ type: "delta", text: data.text });
      else if (name === "reset") port.postMessage({ type: "reset" });
      else if (name === "done") port.postMessage({ type: "done", result: data });
      else if (name === "error") port.postMessage({ type: "error", kind: "error", detail: data.detail });
    });
  } catch (error) {
    if (!controller.signal.aborted) port.postMessage({ type: "error", kind: "unreachable", detail: String(error) });
  }
}

chrome.runtime.onConnect.addListener((port) => {
  if (port.name !== "kindreply-rewrite") return;
  port.onMessage.addListener((message) => rewrite(port, message));
});

async function getJson(path) {
  const config = await settings();
  const response = await fetch(`${config.serverUrl}${path}`, { headers: headers(config.apiKey) });
  if (!response.ok) return failure(response);
  return { type: "ok", data: await response.json() };
}

// "Test connection" on the options page: is the server there, is the model loaded, is the key good?
async function testConnection() {
  try {
    const ready = await getJson("/readyz");
    const styles = await getJson("/v1/styles");
    if (styles.type !== "ok") return styles;
    if (ready.type !== "ok") return { type: "error", kind: "busy", detail: "The server is up but its model is still loading." };
    return { type: "ok", data: { model: ready.data.model, styles: styles.data.styles } };
  } catch (error) {
    return { type: "error", kind: "unreachable", detail: String(error) };
  }
}

chrome.runtime.onMessage.addListener((message, _sender, reply) => {
  const handlers = {
    "test-connection": testConnection,
    styles: () => getJson("/v1/styles").catch((e) => ({ type: "error", kind: "unreachable", detail: String(e) })),
    // content scripts learn where to show the button, never the API key
    sites: async () => ({ sites: (await settings()).sites }),
  };
  const handler = handlers[message.type];
  if (!handler) return false;
  handler().then(reply);
  return true; // the reply comes asynchronously
});

// The keyboard command: ask the focused frame of the active tab to rewrite its editor. Exposed on self so
// that tests can call it (browsers fire commands only for real key presses).
async function runRewriteCommand(tab) {
  const target = tab || (await chrome.tabs.query({ active: true, currentWindow: true }))[0];
  if (target) await chrome.tabs.sendMessage(target.id, { type: "command-rewrite" });
}
self.kindreplyRewriteCommand = runRewriteCommand;

chrome.commands.onCommand.addListener((command, tab) => {
  if (command === "rewrite") runRewriteCommand(tab);
});

chrome.runtime.onInstalled.addListener(() => {
  chrome.contextMenus.create({ id: "rewrite-selection", title: "Rewrite the selection with kindreply", contexts: ["editable"] });
  chrome.contextMenus.create({ id: "customer-message", title: "Use as the customer's message", contexts: ["selection"] });
});

function onContextMenu(info, tab) {
  const message = info.menuItemId === "customer-message"
    ? { type: "customer-message", text: info.selectionText || "" }
    : { type: "rewrite-selection" };
  return chrome.tabs.sendMessage(tab.id, message, { frameId: info.frameId || 0 });
}
self.kindreplyContextMenu = onContextMenu; // for tests, like the command: native menus cannot be clicked
chrome.contextMenus.onClicked.addListener(onContextMenu);
