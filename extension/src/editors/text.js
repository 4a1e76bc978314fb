// Text helpers for comparing what an editor holds with the draft and the rewrite.

// Editors differ in the whitespace they render (paragraph breaks, non-breaking spaces, the zero-width
// characters some put in empty blocks); the words are what count. Two texts are the same when their
// canonical forms are equal.
export function canon(text) {
  return (text || "").replace(/[\s\u00a0\u200b-\u200d\u2060\ufeff]+/g, "");
}

const BLOCKS = new Set(["ADDRESS", "ARTICLE", "ASIDE", "BLOCKQUOTE", "DIV", "DL", "DT", "DD", "FIGURE", "FOOTER",
  "H1", "H2", "H3", "H4", "H5", "H6", "HEADER", "HR", "LI", "OL", "P", "PRE", "SECTION", "TABLE", "TR", "UL"]);

// The plain text of an HTML string, with a line per block and a blank line between paragraphs: what the
// text/plain side of a paste carries, for editors that take only that.
export function htmlToText(html) {
  const doc = new DOMParser().parseFromString(html, "text/html");
  let out = "";
  const walk = (node) => {
    if (node.nodeType === Node.TEXT_NODE) {
      out += node.data.replace(/\s+/g, " ");
      return;
    }
    if (node.nodeType !== Node.ELEMENT_NODE) return;
    if (node.tagName === "BR") {
      out += "\n";
      return;
    }
    const block = BLOCKS.has(node.tagName);
    if (block && out && !out.endsWith("\n")) out += "\n";
    for (const child of node.childNodes) walk(child);
    if (block && !out.endsWith("\n")) out += "\n";
    if (node.tagName === "P") out += "\n";
  };
  walk(doc.body);
  return out.replace(/[ \t]*\n[ \t]*/g, "\n").replace(/\n{3,}/g, "\n\n").trim();
}

export function escapeHtml(text) {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

// A plain-text rewrite as HTML, a paragraph per blank-line-separated block, for rich editors.
export function textToHtml(text) {
  return text.split(/\n{2,}/).map((p) => `<p>${escapeHtml(p).replace(/\n/g, "<br>")}</p>`).join("");
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
