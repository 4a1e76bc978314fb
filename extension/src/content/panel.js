// The preview panel: its own shadow DOM (helpdesk CSS cannot reach it), the rewrite streaming in, then a
// word diff against the draft, with Replace, Try again, Copy and Cancel. It never touches the editor:
// it calls back, and the caller writes through the editor family.
kindreply.Panel = class Panel {
  constructor({ onReplace, onRetry, onCancel }) {
    this.host = document.createElement("kindreply-panel");
    this.host.style.cssText = "position:fixed;z-index:2147483647;right:16px;bottom:16px;";
    this.shadow = this.host.attachShadow({ mode: "open" });
    this.shadow.innerHTML = `
      <style>
        :host { all: initial; }
        .panel { font: 14px/1.45 system-ui, sans-serif; color: #1d2b29; background: #fff; width: 420px;
                 max-height: 60vh; display: flex; flex-direction: column; border-radius: 10px;
                 box-shadow: 0 6px 28px rgba(0,0,0,.25); border: 1px solid #cfdcd9; overflow: hidden; }
        header { background: #2e7d6e; color: #fff; padding: 8px 12px; font-weight: 600; }
        .status { padding: 8px 12px 0; color: #44615b; font-size: 13px; }
        .status.error { color: #a12b2b; }
        .preview { padding: 8px 12px; overflow: auto; white-space: pre-wrap; flex: 1; }
        .preview ins { background: #d9f2e6; text-decoration: none; }
        .preview del { background: #fbe2e2; color: #7a3030; }
        .warnings { padding: 0 12px; color: #8a5a00; font-size: 13px; }
        footer { display: flex; gap: 8px; padding: 8px 12px 12px; }
        button { font: inherit; padding: 5px 12px; border-radius: 6px; border: 1px solid #2e7d6e;
                 background: #fff; color: #2e7d6e; cursor: pointer; }
        button.primary { background: #2e7d6e; color: #fff; }
        button:disabled { opacity: .45; cursor: default; }
      </style>
      <div class="panel" role="dialog" aria-label="kindreply rewrite">
        <header>kindreply</header>
        <div class="status" role="status"></div>
        <div class="preview" aria-live="polite"></div>
        <div class="warnings"></div>
        <footer>
          <button class="primary" data-action="replace" disabled>Replace</button>
          <button data-action="retry" disabled>Try again</button>
          <button data-action="copy" disabled>Copy</button>
          <button data-action="cancel">Cancel</button>
        </footer>
      </div>`;
    this.status = this.shadow.querySelector(".status");
    this.preview = this.shadow.querySelector(".preview");
    this.warnings = this.shadow.querySelector(".warnings");
    this.buttons = Object.fromEntries([...this.shadow.querySelectorAll("button")].map((b) => [b.dataset.action, b]));
    this.buttons.replace.addEventListener("click", () => onReplace());
    this.buttons.retry.addEventListener("click", () => onRetry());
    this.buttons.cancel.addEventListener("click", () => onCancel());
    this.buttons.copy.addEventListener("click", () => this.copy());
    this.copyText = "";
    document.documentElement.appendChild(this.host);
  }

  working() {
    this.setStatus("Rewriting…");
    this.preview.textContent = "";
    this.warnings.textContent = "";
    this.enable({ replace: false, retry: false, copy: false });
  }

  append(text) {
    this.preview.textContent += text;
    const words = this.preview.textContent.trim().split(/\s+/).filter(Boolean).length;
    this.setStatus(`Rewriting… ${words} words`);
  }

  reset() {
    this.preview.textContent = "";
    this.setStatus("Rewriting…");  // a second attempt, or the finished reply replacing the preview
  }

  done(draftText, rewriteText, warnings) {
    this.preview.textContent = "";
    for (const part of kindreply.diffWords(draftText, rewriteText)) {
      const tag = { same: "span", added: "ins", removed: "del" }[part.type];
      const node = document.createElement(tag);
      node.textContent = part.text;
      this.preview.appendChild(node);
    }
    this.warnings.textContent = warnings.map((w) => `⚠ ${w.message}`).join("\n");
    this.copyText = rewriteText;
    this.setStatus("Ready: Replace puts it in the editor (Ctrl+Z brings your draft back).");
    this.enable({ replace: true, retry: true, copy: true });
  }

  error(message, { canRetry = true, copyText = "" } = {}) {
    this.setStatus(message, true);
    this.copyText = copyText || this.copyText;
    this.enable({ replace: false, retry: canRetry, copy: Boolean(this.copyText) });
  }

  setStatus(text, isError = false) {
    this.status.textContent = text;
    this.status.classList.toggle("error", isError);
  }

  enable(states) {
    for (const [action, enabled] of Object.entries(states)) this.buttons[action].disabled = !enabled;
  }

  async copy() {
    try {
      await navigator.clipboard.writeText(this.copyText);
      this.setStatus("Copied.");
    } catch (_) {
      this.setStatus("The browser refused the clipboard; select the text above and copy it.", true);
    }
  }

  close() {
    this.host.remove();
  }
};
