// The panel: its own shadow DOM (helpdesk CSS cannot reach it). It shows a state and offers actions; it
// never touches the editor and never knows which one there is: every action is a callback.
import { diffWords } from "./diff.js";

const STYLE = `
  :host { all: initial; }
  .panel { font: 14px/1.45 system-ui, sans-serif; color: #1d2b29; background: #fff; width: 440px;
           max-height: 60vh; display: flex; flex-direction: column; border-radius: 10px;
           box-shadow: 0 6px 28px rgba(0,0,0,.25); border: 1px solid #cfdcd9; overflow: hidden; }
  header { background: #2e7d6e; color: #fff; padding: 8px 12px; font-weight: 600; }
  .status { padding: 8px 12px 0; color: #44615b; font-size: 13px; }
  .status.error { color: #a12b2b; }
  .preview { padding: 8px 12px; overflow: auto; white-space: pre-wrap; flex: 1; }
  .preview:empty { display: none; }
  .preview ins { background: #d9f2e6; text-decoration: none; }
  .preview del { background: #fbe2e2; color: #7a3030; }
  .preview mark { background: #ffe9a8; border-bottom: 2px solid #c98a00; }
  .flags { margin: 0; padding: 0 12px 0 30px; font-size: 13px; }
  .flags:empty { display: none; }
  .flags li { margin: 4px 0; }
  .flags q { font-weight: 600; }
  .flags .reason { color: #44615b; }
  .warnings { padding: 0 12px; color: #8a5a00; font-size: 13px; white-space: pre-wrap; }
  footer { display: flex; flex-wrap: wrap; gap: 8px; padding: 8px 12px 12px; }
  button { font: inherit; padding: 5px 12px; border-radius: 6px; border: 1px solid #2e7d6e;
           background: #fff; color: #2e7d6e; cursor: pointer; }
  button.primary { background: #2e7d6e; color: #fff; }
  button[hidden] { display: none; }
  button:disabled { opacity: .45; cursor: default; }`;

// The actions, in footer order; each state shows some of them.
const ACTIONS = [
  ["replace", "Replace", true],
  ["rewrite", "Rewrite", true],
  ["undo", "Undo rewrite", false],
  ["retry", "Try again", false],
  ["copy", "Copy", false],
  ["copy-draft", "Copy draft", false],
  ["close", "Cancel", false],
];

export class Panel {
  // handlers: {replace, rewrite, undo, retry, close}, each called on its button's click
  constructor(handlers) {
    this.host = document.createElement("kindreply-panel");
    this.host.style.cssText = "position:fixed;z-index:2147483647;right:16px;bottom:16px;";
    const shadow = this.host.attachShadow({ mode: "open" });
    const style = document.createElement("style");
    style.textContent = STYLE;
    const panel = element("div", { class: "panel", role: "dialog", "aria-label": "kindreply" });
    panel.append(element("header", {}, "kindreply"));
    this.status = panel.appendChild(element("div", { class: "status", role: "status" }));
    this.preview = panel.appendChild(element("div", { class: "preview", "aria-live": "polite" }));
    this.flags = panel.appendChild(element("ol", { class: "flags" }));
    this.warnings = panel.appendChild(element("div", { class: "warnings" }));
    const footer = panel.appendChild(element("footer"));
    this.buttons = {};
    for (const [action, label, primary] of ACTIONS) {
      const button = footer.appendChild(element("button", { type: "button", "data-action": action, class: primary ? "primary" : "" }, label));
      button.addEventListener("mousedown", (event) => event.preventDefault()); // keep the editor's focus and selection
      button.addEventListener("click", () => this.act(action));
      this.buttons[action] = button;
    }
    shadow.append(style, panel);
    this.handlers = handlers;
    this.copies = { copy: "", "copy-draft": "" };
    document.documentElement.appendChild(this.host);
  }

  act(action) {
    if (action === "copy" || action === "copy-draft") this.copy(this.copies[action]);
    else this.handlers[action]();
  }

  // Which actions show, and which of those can be used now; the close button's label.
  show(actions, { closeLabel = "Close", disabled = [] } = {}) {
    for (const [action, button] of Object.entries(this.buttons)) {
      button.hidden = action !== "close" && !actions.includes(action);
      button.disabled = disabled.includes(action);
    }
    this.buttons.close.textContent = closeLabel;
  }

  setStatus(text, isError = false) {
    this.status.textContent = text;
    this.status.classList.toggle("error", isError);
  }

  clear() {
    this.preview.textContent = "";
    this.flags.textContent = "";
    this.warnings.textContent = "";
  }

  working() {
    this.clear();
    this.copies = { copy: "", "copy-draft": "" };
    this.setStatus("Rewriting…");
    this.show(["replace", "retry", "copy"], { closeLabel: "Cancel", disabled: ["replace", "retry", "copy"] });
  }

  append(text) {
    this.preview.textContent += text;
    const words = this.preview.textContent.trim().split(/\s+/).filter(Boolean).length;
    this.setStatus(`Rewriting… ${words} words`);
  }

  reset() {
    this.preview.textContent = "";
    this.setStatus("Rewriting…"); // a second attempt, or the finished reply replacing the preview
  }

  done(draftText, rewriteText, warnings) {
    this.clear();
    for (const part of diffWords(draftText, rewriteText)) {
      this.preview.appendChild(element({ same: "span", added: "ins", removed: "del" }[part.type], {}, part.text));
    }
    this.warnings.textContent = warnings.map((w) => `⚠ ${w.message}`).join("\n");
    this.copies = { copy: rewriteText, "copy-draft": "" };
    this.setStatus("Ready: Replace puts it in the editor (Ctrl+Z brings your draft back).");
    this.show(["replace", "retry", "copy"], { closeLabel: "Cancel" });
  }

  busy(text) {
    this.setStatus(text);
    this.show(["replace", "retry", "copy"], { closeLabel: "Cancel", disabled: ["replace", "retry", "copy", "close"] });
  }

  // After a checked Replace: the editor's Ctrl+Z, or Undo rewrite here, brings the draft back.
  replaced(text) {
    this.setStatus(text);
    this.show(["undo"]);
  }

  // The draft is back after Undo rewrite: the rewrite can go in again.
  restored(text) {
    this.setStatus(text);
    this.show(["replace", "copy"]);
  }

  // A failure, said as what happened; the copies offered are the texts the agent may need.
  error(text, { retry = true, copy = "", copyDraft = "" } = {}) {
    this.setStatus(text, true);
    if (copy) this.copies.copy = copy;
    this.copies["copy-draft"] = copyDraft;
    this.show([...(retry ? ["retry"] : []), ...(this.copies.copy ? ["copy"] : []), ...(copyDraft ? ["copy-draft"] : [])]);
  }

  checking() {
    this.clear();
    this.setStatus("Checking the tone of your draft…");
    this.show(["rewrite"], { closeLabel: "Close", disabled: ["rewrite"] });
  }

  // The tone analyser on the agent's own draft: each flagged phrase marked where it stands, and listed with
  // what hurts and what to do instead.
  coach(analysis) {
    this.clear();
    const flags = [...analysis.flags].sort((a, b) => a.start - b.start);
    let at = 0;
    for (const flag of flags) {
      if (flag.start < at) continue; // overlapping flags: the first one is marked, every one is listed
      this.preview.append(analysis.text.slice(at, flag.start));
      this.preview.append(element("mark", { title: `${flag.label}: ${flag.suggestion}` }, analysis.text.slice(flag.start, flag.end)));
      at = flag.end;
    }
    this.preview.append(analysis.text.slice(at));
    for (const flag of flags) {
      const item = element("li", { "data-category": flag.category });
      item.append(element("q", {}, flag.span), ` ${flag.label}. `, element("span", { class: "reason" }, flag.suggestion));
      this.flags.append(item);
    }
    this.setStatus(flags.length
      ? `${flags.length} ${flags.length === 1 ? "phrase" : "phrases"} may hurt this reply (tone score ${analysis.score}/100). Edit them yourself, or let kindreply rewrite the draft.`
      : `Nothing in this draft is flagged (tone score ${analysis.score}/100).`);
    this.show(["rewrite"]);
  }

  async copy(text) {
    try {
      await navigator.clipboard.writeText(text);
      this.setStatus("Copied.");
    } catch (_) {
      this.setStatus("The browser refused the clipboard; select the text above and copy it.", true);
    }
  }

  close() {
    this.host.remove();
  }
}

function element(tag, attributes = {}, text = "") {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) if (value) node.setAttribute(name, value);
  if (text) node.textContent = text;
  return node;
}
