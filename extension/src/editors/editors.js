// Editor families: how to find the reply editor, read the draft, and write the rewrite back so that the
// editor itself records the change (its model updates, the helpdesk saves it, Ctrl+Z brings the draft
// back). Each family registers itself from its own file; the panel never knows which one it writes to.
globalThis.kindreply = globalThis.kindreply || {};
kindreply.editorFamilies = kindreply.editorFamilies || [];

kindreply.editors = {
  // The element that really has focus, through open shadow roots.
  deepActiveElement(doc = document) {
    let element = doc.activeElement;
    while (element && element.shadowRoot && element.shadowRoot.activeElement) element = element.shadowRoot.activeElement;
    return element;
  },

  // The editor around an element, as {family, root}, or null when it is not an editable reply field.
  find(element) {
    if (!element) return null;
    for (const family of kindreply.editorFamilies) {
      const root = family.matches(element);
      if (root) return { family, root };
    }
    return null;
  },

  normalise(text) {
    return text.replace(/\s+/g, " ").trim();
  },

  // Did the rewrite land? The editor's visible text must hold the start and the end of the rewrite.
  landed(root, expectedText) {
    const have = kindreply.editors.normalise(root.value !== undefined ? root.value : root.innerText);
    const want = kindreply.editors.normalise(expectedText);
    if (!want) return false;
    const head = want.slice(0, 30);
    const tail = want.slice(-30);
    return have.includes(head) && have.includes(tail);
  },

  // Select everything inside an editable root, unless the user selected part of it.
  selectContents(root, keepSelection) {
    const selection = root.ownerDocument.getSelection();
    if (keepSelection && selection.rangeCount && !selection.isCollapsed && root.contains(selection.anchorNode)) return;
    const range = root.ownerDocument.createRange();
    range.selectNodeContents(root);
    selection.removeAllRanges();
    selection.addRange(range);
  },

  // The HTML of an editable root, or of the part the user selected in it.
  readHtml(root, selectionOnly) {
    const selection = root.ownerDocument.getSelection();
    if (selectionOnly && selection.rangeCount && !selection.isCollapsed && root.contains(selection.anchorNode)) {
      const holder = root.ownerDocument.createElement("div");
      holder.appendChild(selection.getRangeAt(0).cloneContents());
      return holder.innerHTML;
    }
    return root.innerHTML;
  },

  // Visible text of an HTML string, for checks.
  htmlToText(html) {
    const doc = new DOMParser().parseFromString(html, "text/html");
    return doc.body.innerText || doc.body.textContent || "";
  },

  nextFrame() {
    return new Promise((resolve) => setTimeout(resolve, 50));
  },
};
