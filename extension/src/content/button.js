// The floating buttons at the reply editor's corner: ✨ Rewrite and Check tone. mousedown is cancelled so
// that a click leaves the focus and the selection in the editor.
const STYLE = `
  div { display: flex; gap: 4px; }
  button { all: initial; font: 600 12px system-ui, sans-serif; background: #2e7d6e; color: #fff; cursor: pointer;
           padding: 4px 10px; border-radius: 12px; box-shadow: 0 1px 4px rgba(0,0,0,.3); }
  button.secondary { background: #fff; color: #2e7d6e; }`;

export class Buttons {
  constructor({ rewrite, coach }) {
    this.host = document.createElement("kindreply-button");
    this.host.style.cssText = "position:fixed;z-index:2147483646;display:none;";
    const shadow = this.host.attachShadow({ mode: "open" });
    const style = document.createElement("style");
    style.textContent = STYLE;
    const row = document.createElement("div");
    for (const [action, label, title, handler] of [
      ["coach", "Check tone", "Show the phrases that may hurt this reply", coach],
      ["rewrite", "✨ Rewrite", "Rewrite with kindreply (Alt+Shift+K)", rewrite],
    ]) {
      const button = row.appendChild(document.createElement("button"));
      button.type = "button";
      button.dataset.action = action;
      button.textContent = label;
      button.title = title;
      if (action === "coach") button.className = "secondary";
      button.addEventListener("mousedown", (event) => event.preventDefault());
      button.addEventListener("click", handler);
    }
    shadow.append(style, row);
  }

  // rect: the editor's box on this page, or null to hide
  place(rect) {
    if (!rect) {
      this.host.style.display = "none";
      return;
    }
    if (!this.host.isConnected) document.documentElement.appendChild(this.host);
    this.host.style.left = `${Math.max(0, rect.right - 190)}px`;
    this.host.style.top = `${Math.max(0, rect.bottom - 30)}px`;
    this.host.style.display = "block";
  }
}
