// Options: server address, API key, default style (from the server), sites. Saved in chrome.storage.sync.
const FIELDS = ["serverUrl", "apiKey", "style", "sites"];
const DEFAULTS = { serverUrl: "http://127.0.0.1:8080", apiKey: "", style: "", sites: "" };
const form = document.getElementById("options");
const status = document.getElementById("status");

function say(text, isError = false) {
  status.textContent = text;
  status.classList.toggle("error", isError);
}

async function loadStyles(selected) {
  const answer = await chrome.runtime.sendMessage({ type: "styles" });
  const select = form.style;
  select.length = 1;
  if (answer.type !== "ok") return;
  for (const style of answer.data.styles) {
    select.add(new Option(`${style.title}${style.default ? " (server default)" : ""}`, style.name));
  }
  select.value = selected || "";
}

async function load() {
  const config = { ...DEFAULTS, ...(await chrome.storage.sync.get(FIELDS)) };
  for (const name of ["serverUrl", "apiKey", "sites"]) form[name].value = config[name];
  await loadStyles(config.style);
  form.style.value = config.style;
}

// Host permission for a server that is not on loopback: asked for when the address changes (a click).
async function allowOrigin(url) {
  const origin = `${new URL(url).origin}/*`;
  if (await chrome.permissions.contains({ origins: [origin] })) return true;
  return chrome.permissions.request({ origins: [origin] });
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const values = Object.fromEntries(FIELDS.map((name) => [name, form[name].value.trim()]));
  values.serverUrl = values.serverUrl.replace(/\/+$/, "");
  try {
    if (!(await allowOrigin(values.serverUrl))) {
      say("Not saved: the browser did not allow the extension to reach that address.", true);
      return;
    }
  } catch (error) {
    say(`Not saved: ${error.message}`, true);
    return;
  }
  await chrome.storage.sync.set(values);
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
