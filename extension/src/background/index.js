// The background: the only part of the extension that talks to the kindreply server. Content scripts ask
// through a port (a rewrite, streamed) or a message (styles, analyse, test connection).
import { analyze, streamRewrite, styles, testConnection } from "./server.js";
import { ensureContentScript, syncContentScripts } from "./sites.js";

// Only this extension's pages may read the local storage: not content scripts, where a page's exploit
// could reach it. (Chrome; Firefox keeps storage.local out of content scripts' reach on its own terms.)
if (chrome.storage.local.setAccessLevel) chrome.storage.local.setAccessLevel({ accessLevel: "TRUSTED_CONTEXTS" }).catch(() => {});

chrome.runtime.onConnect.addListener((port) => {
  if (port.name !== "kindreply-rewrite") return;
  const controller = new AbortController();
  port.onDisconnect.addListener(() => controller.abort()); // Cancel, or the tab went away: free the model
  port.onMessage.addListener((message) => {
    if (message.type !== "rewrite") return; // "ping": the content script keeps this worker awake
    const send = (reply) => {
      try {
        port.postMessage(reply);
      } catch (_) {
        /* the tab went away */
      }
    };
    streamRewrite(message, send, controller.signal);
  });
});

chrome.runtime.onMessage.addListener((message, _sender, reply) => {
  const handlers = {
    "test-connection": testConnection,
    styles,
    analyze: () => analyze(message),
    "sync-sites": syncContentScripts, // the options page, after saving: where the content script now runs
  };
  const handler = handlers[message.type];
  if (!handler) return false;
  handler().then(reply);
  return true; // the reply comes asynchronously
});

// The keyboard command: rewrite the focused editor of the active tab. Exposed on self so that tests can call
// it (browsers fire commands only for real key presses).
async function runRewriteCommand(tab) {
  const target = tab || (await chrome.tabs.query({ active: true, currentWindow: true }))[0];
  if (!target) return;
  await ensureContentScript(target.id);
  await chrome.tabs.sendMessage(target.id, { type: "command-rewrite" });
}
self.kindreplyRewriteCommand = runRewriteCommand;

chrome.commands.onCommand.addListener((command, tab) => {
  if (command === "rewrite") runRewriteCommand(tab).catch(() => {});
});

async function onContextMenu(info, tab) {
  const frameId = info.frameId || 0;
  await ensureContentScript(tab.id, frameId);
  const message = info.menuItemId === "customer-message"
    ? { type: "customer-message", text: info.selectionText || "" }
    : { type: "rewrite-selection" };
  return chrome.tabs.sendMessage(tab.id, message, { frameId });
}
self.kindreplyContextMenu = onContextMenu; // for tests, like the command: native menus cannot be clicked
chrome.contextMenus.onClicked.addListener((info, tab) => onContextMenu(info, tab).catch(() => {}));

chrome.runtime.onInstalled.addListener(() => {
  chrome.contextMenus.removeAll(() => {
    chrome.contextMenus.create({ id: "rewrite-selection", title: "Rewrite the selection with kindreply", contexts: ["editable"] });
    chrome.contextMenus.create({ id: "customer-message", title: "Use as the customer's message", contexts: ["selection"] });
  });
  syncContentScripts();
});
chrome.runtime.onStartup.addListener(syncContentScripts);
chrome.permissions.onAdded.addListener(syncContentScripts);
chrome.permissions.onRemoved.addListener(syncContentScripts);
chrome.storage.onChanged.addListener((changes, area) => {
  if (area === "sync" && changes.sites) syncContentScripts();
});
self.kindreplySyncContentScripts = syncContentScripts; // tests wait on it after changing the sites
