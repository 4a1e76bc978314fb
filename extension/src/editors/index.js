// The reply editor: find it, read the draft, write the rewrite through the one insertion path, verify what
// the editor then holds, repair what is neither the draft nor the rewrite, and undo. The content script
// (and the panel) never knows which editor this is; a family differs only in how it reads and selects.
import { paste, pressUndo, select, settledText } from "./insert.js";
import { jodit } from "./jodit.js";
import { richText } from "./richtext.js";
import { canon, htmlToText, textToHtml } from "./text.js";
import { textarea } from "./textarea.js";

const FAMILIES = [textarea, jodit, richText]; // the first that matches; rich text last

// The element that really has focus, through open shadow roots and same-origin frames (TinyMCE edits in an
// iframe); a cross-origin frame is the end, its own content script handles it.
export function focusedElement(doc = document) {
  let element = doc.activeElement;
  for (;;) {
    while (element && element.shadowRoot && element.shadowRoot.activeElement) element = element.shadowRoot.activeElement;
    if (!element || element.tagName !== "IFRAME") return element;
    let inner = null;
    try {
      inner = element.contentDocument && element.contentDocument.activeElement;
    } catch (_) {
      /* cross-origin */
    }
    if (!inner || (inner === element.contentDocument.body && !inner.isContentEditable)) return element;
    element = inner;
  }
}

export function findEditor(element) {
  if (!element) return null;
  for (const family of FAMILIES) {
    const root = family.matches(element);
    if (root) return new Editor(family, root);
  }
  return null;
}

// Outcomes of replace() and restore(), for the content script to explain:
//   replaced      the editor holds the rewrite (checked)
//   unchanged     the editor holds the draft: it did not take the rewrite (checked)
//   not-selected  the editor would not let its draft be selected; nothing was inserted
//   draft-changed the editor no longer holds the draft the rewrite was made from; nothing was inserted
//   mixed         the editor held something else ({shape: both | partial | empty}); restored says whether
//                 the draft was put back (checked), else `now` is what the editor holds
//   restored      (restore) the draft is back
export class Editor {
  constructor(family, root) {
    this.family = family;
    this.root = root;
  }

  get format() {
    return this.family.format;
  }

  sameAs(other) {
    return other && other.root === this.root;
  }

  // The draft to rewrite: the whole editor, or the agent's selection in it.
  capture(selectionOnly) {
    const part = this.family.capture(this.root, selectionOnly);
    const whole = this.family.capture(this.root, false);
    return { part, whole, text: this.format === "html" ? htmlToText(part.html) : part.text,
             format: this.format, request: this.format === "html" ? part.html : part.text };
  }

  holds(text) {
    return canon(this.family.text(this.root)) === canon(text);
  }

  // The rewrite ({text, html}) in place of the draft, verified; anything else is repaired.
  async replace(draft, rewrite) {
    const { family, root } = this;
    const { part, whole } = draft;
    if (!this.holds(whole.text)) return { result: "draft-changed" };
    const content = { text: rewrite.text, html: rewrite.html || textToHtml(rewrite.text) };
    if (!(await select(family, root, part))) {
      return this.holds(whole.text) ? { result: "not-selected" } : this.repair(draft, "partial");
    }
    paste(family, root, content);
    const now = canon(await settledText(family, root));
    if (now === canon(part.prefix) + canon(rewrite.text) + canon(part.suffix)) return { result: "replaced" };
    if (now === canon(whole.text)) return { result: "unchanged" };
    const both = now.includes(canon(part.text)) && now.includes(canon(rewrite.text));
    return this.repair(draft, both ? "both" : now ? "partial" : "empty");
  }

  // The editor holds neither the draft nor the rewrite: put the draft back, with the editor's undo first,
  // then, if that did not, the insertion path.
  async repair(draft, shape) {
    const restored = await this.restore(draft);
    return { result: "mixed", shape, restored: restored.result === "restored", now: restored.now };
  }

  // Back to the draft: the editor's own undo (one step), checked; where the editor's history cannot, the
  // whole draft written back through the insertion path.
  async restore(draft) {
    const { family, root } = this;
    const { whole } = draft;
    pressUndo(family, root);
    let now = await settledText(family, root);
    if (canon(now) === canon(whole.text)) return { result: "restored", by: "undo" };
    if (await select(family, root, { whole: true, text: now })) {
      paste(family, root, { text: family.format === "html" ? htmlToText(whole.html) : whole.text, html: whole.html });
      now = await settledText(family, root);
      if (canon(now) === canon(whole.text)) return { result: "restored", by: "insert" };
    }
    return { result: "failed", now };
  }
}
