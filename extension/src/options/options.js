// Options: server address, API key, default style (from the server), the sites where kindreply runs, and
// how long to wait for a silent server.
import { DEFAULTS, loadSettings, saveSettings, sitePatterns } from "./settings.js";

const FIELDS = ["serverUrl", "apiKey", "style", "sites", "stallSeconds"];
const form = document.getElementById("options");
const status = document.getElementById("status");
const running = document.getElementById("running");

function say(text, isError = false) {
  status.textContent = text;
  status.classList.toggle("error", isError);
}

async function loadStyles(selected) {
  const answer = await chrome.runtime.sendMessage({ type: "styles" });
  const select = form.style;
  select.length = 1;
  if (answer.type === "ok") {
    for (const style of answer.data.styles) {
      select.add(new Option(`${style.title}${style.default ? " (server default)" : ""}`, style.name));
    }
  }
  select.value = selected || "";
}

async function showRunning(patterns) {
  running.textContent = patterns.length
    ? `Runs on: ${patterns.join(", ")}`
    : "Runs on no site by itself (only where you use the shortcut or the context menu).";
}

async function load() {
  const config = await loadSettings();
  for (const name of FIELDS) if (name !== "style") form[name].value = config[name];
  showRunning(await chrome.runtime.sendMessage({ type: "sync-sites" }));
  await loadStyles(config.style);
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const values = Object.fromEntries(FIELDS.map((name) => [name, form[name].value.trim()]));
  values.serverUrl = values.serverUrl.replace(/\/+$/, "");
  values.stallSeconds = Number(values.stallSeconds) || DEFAULTS.stallSeconds;
  let origins;
  try {
    origins = [`${new URL(values.serverUrl).origin}/*`, ...sitePatterns(values.sites)];
  } catch (error) {
    say(`Not saved: ${error.message}`, true);
    return;
  }
  // One request for the server and the sites, while the click still counts as the agent's gesture.
  try {
    if (!(await chrome.permissions.request({ origins }))) {
      say("Not saved: the browser did not allow the extension to reach those addresses.", true);
      return;
    }
  } catch (error) {
    say(`Not saved: ${error.message}`, true);
    return;
  }
  await saveSettings(values);
  showRunning(await chrome.runtime.sendMessage({ type: "sync-sites" }));
  say("Saved.");
  await loadStyles(values.style);
});

document.getElementById("test").addEventListener("click", async () => {
  say("Testing…");
  const answer = await chrome.runtime.sendMessage({ type: "test-connection" });
  if (answer.type === "ok") {
    say(`Connected: model ${answer.data.model}, ${answer.data.styles.length} styles.`);
  } else {
    const reasons = {
      unreachable: "Can't reach the server at that address (saved settings are used: Save first).",
      key: "The server refused the API key.",
      busy: answer.detail || "The server is busy.",
    };
    say(`Connection failed: ${reasons[answer.kind] || answer.detail || `HTTP ${answer.status}`}`, true);
  }
});

load();
