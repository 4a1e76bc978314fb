// Plain contenteditable (Gmail's compose body, simple helpdesk editors): the browser's editing commands,
// which fire input events and keep native undo. Registered last: specific families win.
kindreply.editorFamilies.push({
  name: "contenteditable",
  matches(element) {
    if (!element.isContentEditable) return null;
    let root = element;
    while (root.parentElement && root.parentElement.isContentEditable) root = root.parentElement;
    return root;
  },
  format: () => "html",
  read: (root, selectionOnly) => kindreply.editors.readHtml(root, selectionOnly),
  async write(root, rewrite, { selectionOnly }) {
    root.focus();
    kindreply.editors.selectContents(root, selectionOnly);
    root.ownerDocument.execCommand("insertHTML", false, rewrite.html);
    return kindreply.editors.landed(root, rewrite.text);
  },
});
