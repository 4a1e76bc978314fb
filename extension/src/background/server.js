// Calls to the kindreply server. They leave from the background with the extension's host permissions, so
// page CORS and private-network rules never apply, and the API key never reaches a page or content script.
import { createParser } from "eventsource-parser";
import { loadSettings } from "../options/settings.js";

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
  const kind = { 401: "key", 413: "too-long", 429: "busy", 503: "busy" }[response.status] || "server";
  return { type: "error", kind, status: response.status, detail, retryAfter: Number(response.headers.get("Retry-After")) || null };
}

function unreachable(error) {
  return { type: "error", kind: "unreachable", detail: String(error && error.message || error) };
}

// One rewrite, streamed: calls send() with {type: "accepted", stallMs} at once, then {type: "delta", text} and
// {type: "reset"} as they come, then exactly one of
// {type: "done", result} or {type: "error", kind, detail}. Every way a stream can end is one of those two:
// the final event, an error event, a stream that ends (or breaks) before `done`, and a server that says
// nothing for settings.stallSeconds. Aborting `signal` (the tab went away) ends it silently.
export async function streamRewrite(request, send, signal) {
  const config = await loadSettings();
  const controller = new AbortController();
  signal.addEventListener("abort", () => controller.abort());
  let finished = false;
  const finish = (message) => {
    if (finished) return;
    finished = true;
    clearTimeout(silence);
    controller.abort(); // after done too: nothing more is read, the connection closes and the model is free
    if (!signal.aborted) send(message);
  };
  const stallMs = Math.max(1, Number(config.stallSeconds) || 90) * 1000;
  send({ type: "accepted", stallMs });
  let silence = null;
  const heard = () => {
    clearTimeout(silence);
    silence = setTimeout(() => finish({ type: "error", kind: "stalled", detail: `no answer for ${stallMs / 1000} s` }), stallMs);
  };
  heard();

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
    finish(unreachable(error));
    return;
  }
  if (!response.ok) {
    finish(await failure(response));
    return;
  }
  if (!(response.headers.get("Content-Type") || "").startsWith("text/event-stream")) {
    finish({ type: "error", kind: "protocol", detail: `the server answered ${response.headers.get("Content-Type") || "without a type"}, not a stream` });
    return;
  }

  const parser = createParser({
    onEvent(event) {
      let data;
      try {
        data = JSON.parse(event.data || "{}");
      } catch (_) {
        finish({ type: "error", kind: "protocol", detail: `an unreadable ${event.event || "message"} event` });
        return;
      }
      if (event.event === "delta") send({ type: "delta", text: String(data.text || "") });
      else if (event.event === "reset") send({ type: "reset" });
      else if (event.event === "done") {
        if (typeof data.rewrite === "string") finish({ type: "done", result: data });
        else finish({ type: "error", kind: "protocol", detail: "the final event carried no rewrite" });
      } else if (event.event === "error") finish({ type: "error", kind: "server", status: data.status, detail: data.detail || data.title || "" });
    },
  });
  try {
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    while (!finished) {
      const { value, done } = await reader.read();
      if (done) break;
      heard();
      parser.feed(value);
    }
    finish({ type: "error", kind: "cut", detail: "the stream ended before the rewrite was finished" });
  } catch (error) {
    finish({ type: "error", kind: "cut", detail: String(error && error.message || error) });
  }
}

async function call(path, init = {}) {
  const config = await loadSettings();
  try {
    const response = await fetch(`${config.serverUrl}${path}`, {
      ...init,
      headers: headers(config.apiKey),
      signal: AbortSignal.timeout(Math.max(1, Number(config.stallSeconds) || 90) * 1000),
    });
    if (!response.ok) return failure(response);
    return { type: "ok", data: await response.json() };
  } catch (error) {
    return unreachable(error);
  }
}

export const styles = () => call("/v1/styles");

// The tone analyser's flags on the agent's own draft: no model, milliseconds.
export const analyze = ({ text, format }) => call("/v1/analyze", { method: "POST", body: JSON.stringify({ text, format }) });

// "Test connection" on the options page: is the server there, is the model loaded, is the key good?
export async function testConnection() {
  const ready = await call("/readyz");
  const list = await call("/v1/styles");
  if (list.type !== "ok") return list;
  if (ready.type !== "ok") return { type: "error", kind: "busy", detail: "The server is up but its model is still loading." };
  return { type: "ok", data: { model: ready.data.model, styles: list.data.styles } };
}
