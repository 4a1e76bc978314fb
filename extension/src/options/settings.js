// The extension's settings, shared by the options page and the background (content scripts never read
// them: they ask the background, and never see the API key).
// The API key stays on this machine, in storage.local; the rest (server, style, sites, patience) follows the
// agent's browser profile in storage.sync.

export const DEFAULTS = {
  serverUrl: "http://127.0.0.1:8080",
  style: "",
  sites: "", // hosts where the button shows, one a line; empty: nowhere until the shortcut or the menu is used
  stallSeconds: 90, // give up on a rewrite when the server sends nothing for this long
};
const SYNCED = Object.keys(DEFAULTS);

export async function loadSettings() {
  await moveKeyOutOfSync();
  const synced = await chrome.storage.sync.get(SYNCED);
  const { apiKey = "" } = await chrome.storage.local.get("apiKey");
  return { ...DEFAULTS, ...synced, apiKey };
}

export async function saveSettings(values) {
  const { apiKey, ...synced } = values;
  if (apiKey !== undefined) await chrome.storage.local.set({ apiKey });
  await chrome.storage.sync.set(synced);
}

// Versions before 0.2 kept the key in storage.sync, which copies it to every browser the agent signs in to.
async function moveKeyOutOfSync() {
  const { apiKey } = await chrome.storage.sync.get("apiKey");
  if (apiKey === undefined) return;
  const local = await chrome.storage.local.get("apiKey");
  if (local.apiKey === undefined) await chrome.storage.local.set({ apiKey });
  await chrome.storage.sync.remove("apiKey");
}

// "example.zendesk.com", "*.zendesk.com", "https://help.example.com/agent/" or "http://127.0.0.1": the match
// patterns a line of the sites option stands for (a URL counts for its whole site). Throws on a line that
// is not a host.
export function sitePatterns(sites) {
  const patterns = [];
  for (const line of sites.split(/[\n,]+/).map((l) => l.trim()).filter(Boolean)) {
    const match = /^(?:(https?):\/\/)?(\*\.)?([a-z0-9-]+(?:\.[a-z0-9-]+)*)(?::\d+)?(?:\/\S*)?$/i.exec(line);
    if (!match) throw new Error(`"${line}" is not a host name (like example.zendesk.com or *.zendesk.com)`);
    const [, scheme, wildcard = "", host] = match;
    patterns.push(`${scheme || "https"}://${wildcard}${host.toLowerCase()}/*`); // http only when written out
  }
  return [...new Set(patterns)];
}
