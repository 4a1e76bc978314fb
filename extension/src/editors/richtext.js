// Every rich editor in a page's own document: a contenteditable element, whether the browser edits it
// (Gmail's compose body) or an editor keeps its own model behind it (CKEditor 5, ProseMirror/Tiptap, Quill,
// TinyMCE in its iframe, Summernote, Froala, Jodit, Lexical, Slate, Draft.js). They differ in how they
// take a change, not in what they show: the DOM selection is how every one of them learns what the user
// selected, and a paste is what every one of them accepts (insert.js).
export const richText = {
  name: "rich text",
  format: "html",
  insertCommand: "insertHTML",

  // The editing host around the element: the editor's root.
  matches(element) {
    if (!element.isContentEditable) return null;
    let root = element;
    while (root.parentElement && root.parentElement.isContentEditable) root = root.parentElement;
    return root;
  },

  text: (root) => root.innerText,

  capture(root, selectionOnly) {
    const range = selectionOnly && selectedRange(root);
    if (!range) return { whole: true, text: root.innerText, html: root.innerHTML, prefix: "", suffix: "" };
    const holder = root.ownerDocument.createElement("div");
    holder.appendChild(range.cloneContents());
    const before = root.ownerDocument.createRange();
    before.setStart(root, 0);
    before.setEnd(range.startContainer, range.startOffset);
    const after = root.ownerDocument.createRange();
    after.setStart(range.endContainer, range.endOffset);
    after.setEnd(root, root.childNodes.length);
    return { whole: false, text: range.toString(), html: holder.innerHTML, prefix: before.toString(), suffix: after.toString(), range };
  },

  select(root, part) {
    const selection = root.ownerDocument.getSelection();
    let range = part.range;
    if (part.whole) {
      range = root.ownerDocument.createRange();
      range.selectNodeContents(root);
    }
    selection.removeAllRanges();
    selection.addRange(range);
  },

  selectedText(root) {
    const range = selectedRange(root);
    return range ? range.toString() : "";
  },

  // Where a key press or a paste would start: the element at the start of the selection.
  eventTarget(root) {
    const range = selectedRange(root);
    let node = range ? range.startContainer : root;
    if (node.nodeType !== Node.ELEMENT_NODE) node = node.parentElement;
    return node && root.contains(node) ? node : root;
  },
};

function selectedRange(root) {
  const selection = root.ownerDocument.getSelection();
  if (!selection || !selection.rangeCount || selection.isCollapsed) return null;
  const range = selection.getRangeAt(0);
  return root.contains(range.commonAncestorContainer) ? range.cloneRange() : null;
}
