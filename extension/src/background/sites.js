// Where the content script runs. Not on every page: only on the sites the options list (and the browser
// allowed, through the optional host permissions the options page asks for), registered here with
// chrome.scripting. Elsewhere it runs only when the agent asks, with the shortcut or the context menu, in
// that tab alone (activeTab).
import { loadSettings, sitePatterns } from "../options/settings.js";

const SCRIPT_ID = "kindreply-sites";
let queue = Promise.resolve();

// The registration follows the settings and the permissions; calls run one after another.
export function syncContentScripts() {
  queue = queue.then(register, register);
  return queue;
}

async function register() {
  let patterns = [];
  try {
    patterns = sitePatterns((await loadSettings()).sites);
  } catch (_) {
    /* the options page refuses to save a bad line; an old value is treated as no sites */
  }
  const allowed = [];
  for (const pattern of patterns) {
    if (await chrome.permissions.contains({ origins: [pattern] })) allowed.push(pattern);
  }
  const existing = await chrome.scripting.getRegisteredContentScripts({ ids: [SCRIPT_ID] });
  if (existing.length) await chrome.scripting.unregisterContentScripts({ ids: [SCRIPT_ID] });
  if (allowed.length) {
    await chrome.scripting.registerContentScripts([{
      id: SCRIPT_ID,
      matches: allowed,
      js: ["content.js"],
      allFrames: true, // a helpdesk may put its editor in a frame of its own origin
      runAt: "document_idle",
      persistAcrossSessions: true,
    }]);
  }
  return allowed;
}

// The shortcut or the context menu on a page where the script is not registered: run it in that frame now.
// The agent's gesture grants the tab to the extension (activeTab); a frame it does not cover throws.
export async function ensureContentScript(tabId, frameId = 0) {
  try {
    if (await chrome.tabs.sendMessage(tabId, { type: "ping" }, { frameId })) return;
  } catch (_) {
    /* no content script there yet */
  }
  await chrome.scripting.executeScript({ target: { tabId, frameIds: [frameId] }, files: ["content.js"] });
}
